package org.palaver.core;

import static org.palaver.core.Addressing.hash;
import static org.palaver.core.Addressing.norm;
import static org.palaver.core.Addressing.roomOf;
import static org.palaver.core.ObservedMembership.TRACKED;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * What one input may do to the tracked rooms' membership, judged from the observers' view before
 * and after it: nicks stay unique, only the sender's own membership changes, an entrant is told,
 * and a participant's message reaches every participant.
 */
final class MembershipInvariants {
    private final StepContext ctx;
    private final ObservedMembership membership;

    MembershipInvariants(StepContext ctx, ObservedMembership membership) {
        this.ctx = ctx;
        this.membership = membership;
    }

    /** {@code before} and {@code after} are {@link ObservedMembership#snapshot() snapshots} around the input. */
    void check(List<Element> out, String sender, Map<String, Map<String, String>> before,
               Map<String, Map<String, String>> after) {
        checkUniqueNicks();
        checkOnlySenderChanged(before, after, sender);
        checkEntrantsWereTold(out, membership.reals(before), membership.reals(after));
        checkBroadcastComplete(out, sender, before, after);
    }

    private void checkUniqueNicks() {
        for (String room : TRACKED) {
            Map<String, String> nicks = membership.nicks(room);
            Set<String> seen = new HashSet<>();
            for (String nick : nicks.values()) {
                ctx.check(seen.add(nick), "two participants of " + room + " named '" + nick + "': " + nicks);
            }
        }
    }

    /** Only the sender's own membership can change with its stanza. */
    private void checkOnlySenderChanged(Map<String, Map<String, String>> before,
                                        Map<String, Map<String, String>> after, String sender) {
        for (String room : TRACKED) {
            Set<String> hashes = new HashSet<>(before.get(room).keySet());
            hashes.addAll(after.get(room).keySet());
            for (String hash : hashes) {
                if (!Objects.equals(before.get(room).get(hash), after.get(room).get(hash))) {
                    ctx.check(sender != null && hash.equals(hash(sender)),
                            membership.realOf(hash) + " changed in " + room + " by somebody else's stanza");
                }
            }
        }
    }

    /** Somebody who enters a tracked room is told so (result or self-announcement). */
    private void checkEntrantsWereTold(List<Element> out, Map<String, Set<String>> before,
                                       Map<String, Set<String>> after) {
        for (String room : TRACKED) {
            for (String real : after.get(room)) {
                if (!before.get(room).contains(real)) {
                    boolean told = out.stream().anyMatch(o -> real.equals(norm(o.attr("to")))
                            && o.attr("from").toLowerCase(Locale.ROOT).startsWith(room));
                    ctx.check(told, real + " entered " + room + " without being told");
                }
            }
        }
    }

    /**
     * §8.1: a message from a participant to a tracked room reaches every participant exactly
     * once, as groupchat; the observer (new-style) sees it from the sender's hash id.
     */
    private void checkBroadcastComplete(List<Element> out, String sender, Map<String, Map<String, String>> before,
                                        Map<String, Map<String, String>> after) {
        String room = roomOf(ctx.input().attr("to"));
        if (!isRoomMessage(room)) {
            return;
        }
        String hash = sender == null ? null : hash(sender);
        if (hash == null || !before.get(room).containsKey(hash) || !after.get(room).containsKey(hash)) {
            return;
        }
        List<String> got = new ArrayList<>();
        for (Element o : out) {
            if (o.name().equals("message") && room.equals(roomOf(o.attr("from")))) {
                ctx.check("groupchat".equals(o.attr("type")), "broadcast not groupchat: " + o);
                got.add(norm(o.attr("to")));
                if (ObservedMembership.observerOf(room).equals(o.attr("to"))) {
                    ctx.check((room + "/" + hash).equals(o.attr("from")), "observer's copy not from the hash id: " + o);
                }
            }
        }
        List<String> expected = new ArrayList<>(membership.reals(after).get(room));
        got.sort(null);
        expected.sort(null);
        ctx.check(got.equals(expected), "broadcast reached " + got + ", participants are " + expected);
    }

    /** Whether the input is a message to a tracked bare room that is broadcast (invites are not, §12.2). */
    private boolean isRoomMessage(String room) {
        Element input = ctx.input();
        Jid to = Jid.parse(input.attr("to"));
        return input.name().equals("message") && !"error".equals(input.attr("type")) && room != null
                && !to.hasResource() && membership.tracks(room) && DeliveryInvariants.inviteTarget(input) == null
                && !(input.child("subject") != null
                        && input.child("subject").text().regionMatches(true, 0, "invite:", 0, 7));
    }
}
