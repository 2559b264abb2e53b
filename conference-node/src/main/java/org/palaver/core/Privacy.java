package org.palaver.core;

import org.palaver.xml.Element;

/**
 * Privacy mode (spec §8.4, DEV-2): requested with {@code <privacy/>} in the iq:conference set,
 * honoured only when the room allows it; a private participant's real JID is hidden in
 * participant browse and relayed iqs other than browse/last (answered by the service) are
 * refused. Messages and room broadcasts still reach it.
 */
final class Privacy {
    private Privacy() {
    }

    /** Whether a join request asks for privacy and the room grants it. */
    static boolean granted(Room room, Element request) {
        return room.privacyAllowed && request.child("privacy") != null;
    }

    static boolean hidesRealJid(Participant target) {
        return target.privacy();
    }

    /** Relayed iqs to a private participant are refused with 403 (E9). */
    static boolean refusesIq(Participant target) {
        return target.privacy();
    }
}
