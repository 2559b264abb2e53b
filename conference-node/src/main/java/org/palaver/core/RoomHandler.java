package org.palaver.core;

import org.palaver.xml.Element;

/**
 * Stanzas to the bare room (spec §6.1 outsiders, §6.2 participants) after the dispatcher's common
 * steps. The two tables differ on purpose (original): an unknown iq namespace is 501 for outsiders
 * and 405 for participants; other presence types are 501 / 405 likewise.
 */
final class RoomHandler {
    private final ServiceSettings settings;
    private final ConferenceIq conferenceIq;
    private final Traffic traffic;
    private final Moderation moderation;

    RoomHandler(ServiceSettings settings, ConferenceIq conferenceIq, Traffic traffic, Moderation moderation) {
        this.settings = settings;
        this.conferenceIq = conferenceIq;
        this.traffic = traffic;
        this.moderation = moderation;
    }

    /** §6.1: {@code u} is the sender's registration, or {@code null} when it never sent presence. */
    void outsider(Room room, Participant u, Inbound in, Outbox out) {
        if (in.isPresence()) {
            if (!in.isAvailable()) {
                Replies.error(in, StanzaError.FEATURE_NOT_IMPLEMENTED, out); // e.g. subscription
            }
            return; // available: registered by the dispatcher, nothing to answer
        }
        if (in.isMessage()) {
            Replies.error(in, StanzaError.FORBIDDEN, out);
            return;
        }
        if (MucBridge.isUnsupported(in)) {
            Replies.error(in, StanzaError.FEATURE_NOT_IMPLEMENTED, out);
        } else if (in.payloadIs(Ns.MUC_ADMIN) || in.payloadIs(Ns.MUC_OWNER)) {
            Replies.error(in, StanzaError.FORBIDDEN, out); // moderation is for occupants
        } else if (in.isSet()) {
            if (in.payloadIs(Ns.CONFERENCE)) {
                conferenceIq.join(room, u, in, out);
            } else {
                Replies.error(in, StanzaError.FORBIDDEN, out);
            }
        } else if (in.isGet()) {
            answerGet(room, null, in, StanzaError.FEATURE_NOT_IMPLEMENTED, out);
        }
    }

    /** §6.2: {@code u} is entered. */
    void participant(Room room, Participant u, Inbound in, long now, Outbox out) {
        if (in.isPresence()) {
            if (in.isAvailable()) {
                traffic.presence(room, u, in, out);
            } else {
                Replies.error(in, StanzaError.NOT_ALLOWED, out); // e.g. subscription
            }
        } else if (in.isMessage()) {
            traffic.message(room, u, in, now, out);
        } else if (MucBridge.isUnsupported(in)) {
            Replies.error(in, StanzaError.FEATURE_NOT_IMPLEMENTED, out);
        } else if (in.payloadIs(Ns.MUC_ADMIN)) {
            moderation.admin(room, u, in, out);
        } else if (in.payloadIs(Ns.MUC_OWNER)) {
            moderation.owner(room, u, in, out);
        } else if (in.isSet()) {
            if (in.payloadIs(Ns.CONFERENCE)) {
                conferenceIq.change(room, u, in, out);
            } else {
                Replies.error(in, StanzaError.FORBIDDEN, out);
            }
        } else if (in.isGet()) {
            answerGet(room, u, in, StanzaError.NOT_ALLOWED, out);
        }
    }

    /** Gets to the room: browse, conference, disco; {@code otherwise} for anything else. */
    private void answerGet(Room room, Participant u, Inbound in, StanzaError otherwise, Outbox out) {
        if (Disco.isNodeQuery(in)) {
            Replies.error(in, StanzaError.ITEM_NOT_FOUND, out);
            return;
        }
        Element answer = answer(room, u, in);
        if (answer == null) {
            Replies.error(in, otherwise, out);
        } else {
            Replies.result(in, answer, out);
        }
    }

    private Element answer(Room room, Participant u, Inbound in) {
        String ns = in.payloadNs();
        if (ns == null) {
            return null;
        }
        switch (ns) {
            case Ns.BROWSE:
                return Browse.room(settings, room, u != null);
            case Ns.CONFERENCE:
                return u != null ? ConferenceIq.current(room, u) : ConferenceIq.requirements(room);
            case Ns.DISCO_INFO:
                return Disco.roomInfo(settings, room);
            case Ns.DISCO_ITEMS:
                return Disco.roomItems();
            default:
                return null;
        }
    }
}
