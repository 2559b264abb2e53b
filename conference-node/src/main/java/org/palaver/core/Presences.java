package org.palaver.core;

import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/** Building presence stanzas from a participant's cached presence (spec §8.2, §9.5). */
final class Presences {
    private Presences() {
    }

    /**
     * What gets cached from an inbound available presence: the stanza without addresses and
     * without the MUC join element (it is a request, and may carry the room password).
     */
    static Element cacheable(Element presence) {
        Element c = Stanzas.copy(presence).attr("to", null).attr("from", null);
        Element join = presence.child("x", Ns.MUC);
        if (join != null) {
            c.removeChild(join);
        }
        // the common bare join presence shares one element instead of holding its own (memory)
        return c.attrCount() == 0 && c.children().isEmpty() ? Participant.EMPTY_PRESENCE : c;
    }

    /** Fan-out template: {@code u}'s cached presence from the given address. */
    static Element of(Participant u, Jid from) {
        return u.presence().shallowCopy().attr("from", from.toString());
    }

    /** {@code u}'s cached presence sent to one recipient. */
    static Element of(Participant u, Jid from, Jid to) {
        return of(u, from).attr("to", to.toString());
    }

    /** {@code <presence type='unavailable' from=../>} template. */
    static Element unavailable(Jid from) {
        return new Element("presence").attr("type", "unavailable").attr("from", from.toString());
    }

    /** A copy of the template with one more child (e.g. the {@code muc#user} element). */
    static Element with(Element template, Element extra) {
        return template.shallowCopy().add(extra);
    }
}
