package org.palaver.core;

import java.util.List;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * Fan-out of membership events (enter, rename, leave, spec §9.5): the subject user is served
 * first, then everybody else, style by style (new-style, plain gc-1.0, MUC-capable gc-1.0), each
 * style's templates built at most once and only when someone of that style is present. Putting
 * the subject first gives one rule for every event (§18 scenarios 18, 43, 46, 49, 59, 60 list the
 * subject first); the rest keeps entry order within a style.
 */
abstract class Broadcast {
    private Element[] newStyle;
    private Element[] plain;
    private Element[] muc;

    /** Templates for a new-style recipient (no {@code to}). */
    protected abstract Element[] newStyle();

    /** Templates for a gc-1.0 recipient; {@code self} only matters for MUC-capable ones (110). */
    protected abstract Element[] legacy(boolean mucCapable, boolean self);

    /** Subject first, then everyone else in the room. */
    final void announce(Room room, Participant subject, Outbox out) {
        List<Jid> self = List.of(subject.real);
        if (!subject.legacy()) {
            send(newStyleTemplates(), self, out);
        } else if (subject.muc()) {
            for (Element t : legacy(true, true)) {
                out.fanout(MucBridge.forViewer(room, subject, subject, t), self);
            }
        } else {
            send(plainTemplates(), self, out);
        }
        announceToOthers(room, subject, out);
    }

    /** Everyone in the room but the subject; MUC moderators see its real JID where the room says so. */
    private void announceToOthers(Room room, Participant subject, Outbox out) {
        Recipients r = room.recipients();
        Jid excluded = subject.real;
        List<Jid> n = Recipients.without(r.newStyle, excluded);
        if (!n.isEmpty()) {
            send(newStyleTemplates(), n, out);
        }
        List<Jid> p = Recipients.without(r.plainLegacy, excluded);
        if (!p.isEmpty()) {
            send(plainTemplates(), p, out);
        }
        List<Jid> m = Recipients.without(r.mucLegacy, excluded);
        if (!m.isEmpty()) {
            if (muc == null) {
                muc = legacy(true, false);
            }
            for (Element t : muc) {
                MucBridge.fanout(room, subject, t, m, out);
            }
        }
    }

    private Element[] newStyleTemplates() {
        if (newStyle == null) {
            newStyle = newStyle();
        }
        return newStyle;
    }

    private Element[] plainTemplates() {
        if (plain == null) {
            plain = legacy(false, false);
        }
        return plain;
    }

    private static void send(Element[] templates, List<Jid> to, Outbox out) {
        for (Element t : templates) {
            out.fanout(t, to);
        }
    }

    /** A fan-out that skips empty recipient lists. */
    static void fanout(Element template, List<Jid> to, Outbox out) {
        if (!to.isEmpty()) {
            out.fanout(template, to);
        }
    }

    /**
     * A groupchat text from the bare room (join/leave/rename notices): subject first unless it is
     * MUC-capable, then the others; MUC-capable recipients get no textual notices (§11.3, §13.2).
     */
    static void notice(Room room, Participant subject, String body, Outbox out) {
        Element tpl = new Element("message").attr("type", "groupchat").attr("from", room.jid.toString())
                .add(Stanzas.textElement("body", body));
        Recipients r = room.recipients();
        Jid excluded = null;
        if (subject != null) {
            excluded = subject.real;
            if (!subject.muc()) {
                out.fanout(tpl, List.of(subject.real));
            }
        }
        fanout(tpl, excluded == null ? r.newStyle : Recipients.without(r.newStyle, excluded), out);
        fanout(tpl, excluded == null ? r.plainLegacy : Recipients.without(r.plainLegacy, excluded), out);
    }
}
