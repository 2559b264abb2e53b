package org.palaver.core;

import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * The original's {@code invite:} subject hack (spec §12.2): a participant's message to the room
 * whose subject starts with {@code invite:} (any case) is not broadcast, not stored and does not
 * change the topic; it is forwarded to the JID after the prefix, from the sender's {@code R/nick}.
 * A JID that does not parse gets 400 (E2).
 */
final class Invites {
    private static final String PREFIX = "invite:";

    private Invites() {
    }

    static boolean isInvite(Element subject) {
        String text = subject.text();
        return text.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    static void forward(Participant sender, Element subject, Inbound in, Outbox out) {
        Jid invitee = Jid.parse(subject.text().substring(PREFIX.length()).trim());
        if (invitee == null) {
            Replies.error(in, StanzaError.JID_MALFORMED, out);
        } else {
            out.send(Stanzas.readdressed(in.stanza, sender.nickJid().toString(), invitee.toString()));
        }
    }
}
