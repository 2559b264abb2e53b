package org.palaver.core;

import static org.palaver.core.Addressing.S;
import static org.palaver.core.Addressing.norm;
import static org.palaver.core.Addressing.roomOf;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * Who may receive what for one input: dropped stanzas get nothing, every output is addressed,
 * room traffic reaches only participants, errors have the DEV-12 shape and errors and iq results
 * are never answered.
 */
final class DeliveryInvariants {
    private final StepContext ctx;
    private final ObservedMembership membership;
    private final ErrorShape errors;

    DeliveryInvariants(StepContext ctx, ObservedMembership membership) {
        this.ctx = ctx;
        this.membership = membership;
        this.errors = new ErrorShape(ctx);
    }

    /**
     * Checks the output of the current input; {@code before} and {@code after} are the tracked
     * rooms' real participants around it (either may legitimately receive its traffic).
     */
    void check(List<Element> out, String sender, Map<String, Set<String>> before, Map<String, Set<String>> after) {
        checkDropped(out, sender);
        for (Element o : out) {
            checkAddressed(o);
            checkRecipient(o, sender, before, after);
            errors.check(o, sender);
            checkNotAnAnswer(o, sender);
        }
    }

    /** The normalised invitee of an {@code invite:} subject (§12.2) in the input, or {@code null}. */
    static String inviteTarget(Element input) {
        Element subject = input.name().equals("message") ? input.child("subject") : null;
        if (subject == null || !subject.text().toLowerCase(Locale.ROOT).startsWith("invite:")) {
            return null;
        }
        return norm(subject.text().substring(7));
    }

    /** §3 step 0 / DEV-8: stanzas without a usable sender, from our own domain or not for us get nothing. */
    private void checkDropped(List<Element> out, String sender) {
        Element input = ctx.input();
        Jid to = Jid.parse(input.attr("to"));
        boolean unusable = sender == null || Jid.parse(sender).domain().equals(S)
                || input.attr("to") == null || to != null && !to.domain().equals(S);
        ctx.check(!unusable || out.isEmpty(), "answered a stanza that must be dropped: " + out);
    }

    private void checkAddressed(Element o) {
        ctx.check(o.attr("to") != null && o.attr("from") != null, "stanza without to/from: " + o);
        ctx.check(Jid.parse(o.attr("to")) != null, "stanza to an invalid JID: " + o);
    }

    /** Room traffic goes to entered participants only, replies go to the sender only. */
    private void checkRecipient(Element o, String sender, Map<String, Set<String>> before,
                                Map<String, Set<String>> after) {
        String to = norm(o.attr("to"));
        if (to != null && to.equals(sender)) {
            return;
        }
        String invited = inviteTarget(ctx.input());
        if (invited != null && invited.equals(to)) {
            return;
        }
        Jid from = Jid.parse(o.attr("from"));
        ctx.check(from != null && from.domain().equals(S) && from.hasNode(),
                "stanza to a third party not from a room: " + o);
        String room = roomOf(o.attr("from"));
        if (!membership.tracks(room)) {
            ctx.check(membership.mayBeIn(room, to),
                    "untracked room's traffic to somebody who never sent it presence: " + o);
        } else {
            Set<String> ok = new HashSet<>(before.getOrDefault(room, Set.of()));
            ok.addAll(after.getOrDefault(room, Set.of()));
            ctx.check(ok.contains(to), "room traffic to somebody not entered: " + o);
        }
    }

    /**
     * DEV-8 / §14.1: never answer an error or an iq result. (An iq result to {@code R/x} whose
     * target is the sender itself is relayed back to it, §8.3: that is a relay, not an answer.)
     */
    private void checkNotAnAnswer(Element o, String sender) {
        Element input = ctx.input();
        boolean isError = "error".equals(input.attr("type"));
        boolean isResult = input.name().equals("iq") && "result".equals(input.attr("type"));
        if (!(isError || isResult) || sender == null || !sender.equals(norm(o.attr("to")))
                || !o.attr("from").equals(input.attr("to"))) {
            return;
        }
        Jid to = Jid.parse(input.attr("to"));
        boolean relayToSelf = isResult && to != null && to.hasResource() && "result".equals(o.attr("type"));
        ctx.check(relayToSelf || !("error".equals(o.attr("type")) || "result".equals(o.attr("type"))),
                "answered an " + input.attr("type") + ": " + o);
    }
}
