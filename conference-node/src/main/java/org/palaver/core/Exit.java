package org.palaver.core;

/**
 * How an occupant leaves the room: on its own (or its server says it is gone), kicked by a
 * moderator (XEP-0045 status 307), banned (301), or removed as a non-member of a members-only room
 * (322 when the room became members-only, 321 when its membership was taken away; decision 52). MUC occupants see the status and the reason on
 * the unavailable presence; the others see the spec's leave (§10.1) followed by a notice naming it.
 *
 * @param status XEP-0045 status code, 0 for an ordinary leave
 * @param reason the moderator's reason, or {@code null}
 * @param notice text appended to the nick in the notice to non-MUC occupants, {@code null} = the
 *               room's leave notice
 */
record Exit(int status, String reason, String notice) {
    static final Exit LEAVE = new Exit(0, null, null);

    static Exit kicked(String reason) {
        return new Exit(307, reason, " has been kicked" + because(reason));
    }

    static Exit banned(String reason) {
        return new Exit(301, reason, " has been banned" + because(reason));
    }

    static Exit roomNowMembersOnly() {
        return new Exit(322, null, " has been removed: the room is now members-only");
    }

    static Exit membershipRevoked() {
        return new Exit(321, null, " has been removed: no longer a member");
    }

    private static String because(String reason) {
        return reason == null || reason.isBlank() ? "" : ": " + reason;
    }
}
