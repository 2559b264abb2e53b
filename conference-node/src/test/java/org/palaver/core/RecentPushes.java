package org.palaver.core;

import static org.palaver.core.Addressing.norm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.palaver.xml.Element;

/**
 * The ids of the last pushes each user was sent, so generated iq results and errors can answer a
 * real push (§7.3, DEV-17) and not only made-up ids.
 */
final class RecentPushes {
    /** Enough to hit a recent push often; old ids would mostly be answers nobody waits for. */
    private static final int KEPT = 8;

    private final Map<String, List<String>> idsByUser = new HashMap<>();

    void remember(Element o) {
        if (o.name().equals("iq") && "set".equals(o.attr("type")) && o.attr("id") != null) {
            List<String> ids = idsByUser.computeIfAbsent(norm(o.attr("to")), k -> new ArrayList<>());
            ids.add(o.attr("id"));
            if (ids.size() > KEPT) {
                ids.remove(0);
            }
        }
    }

    /** The push ids sent to a normalised user, oldest first (empty when none). */
    List<String> to(String user) {
        return idsByUser.getOrDefault(user, List.of());
    }
}
