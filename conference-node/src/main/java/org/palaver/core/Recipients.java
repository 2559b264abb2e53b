package org.palaver.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.palaver.xml.Jid;

/**
 * Immutable snapshot of a room's entered participants' real JIDs, split by the address style they
 * receive (spec §9.5): new-style ({@code from=R/hash}), plain gc-1.0 ({@code from=R/nick}) and
 * MUC-capable gc-1.0 ({@code from=R/nick}, plus {@code muc#user} decoration on presence).
 *
 * <p>The room rebuilds it only when membership or a recipient's style changes; every broadcast
 * hands these lists straight to {@link Outbox#fanout}, so a message costs no per-recipient
 * allocation in the core. Lists keep entry order.
 */
final class Recipients {
    static final Recipients NONE = new Recipients(List.of(), List.of(), List.of());

    final List<Jid> newStyle;
    final List<Jid> plainLegacy;
    final List<Jid> mucLegacy;

    private Recipients(List<Jid> newStyle, List<Jid> plainLegacy, List<Jid> mucLegacy) {
        this.newStyle = newStyle;
        this.plainLegacy = plainLegacy;
        this.mucLegacy = mucLegacy;
    }

    static Recipients of(Collection<Participant> entered) {
        List<Jid> n = new ArrayList<>();
        List<Jid> p = new ArrayList<>();
        List<Jid> m = new ArrayList<>();
        for (Participant u : entered) {
            (!u.legacy() ? n : u.muc() ? m : p).add(u.real);
        }
        return new Recipients(List.copyOf(n), List.copyOf(p), List.copyOf(m));
    }

    /**
     * {@code list} without {@code jid}. The usual case (the newest participant, i.e. the joiner, is
     * last) is a view without copying.
     */
    static List<Jid> without(List<Jid> list, Jid jid) {
        int n = list.size();
        if (n > 0 && list.get(n - 1).equals(jid)) {
            return list.subList(0, n - 1);
        }
        if (!list.contains(jid)) {
            return list;
        }
        List<Jid> copy = new ArrayList<>(n - 1);
        for (Jid j : list) {
            if (!j.equals(jid)) {
                copy.add(j);
            }
        }
        return List.copyOf(copy);
    }
}
