package org.palaver.core;

/**
 * How an occupant leaves the room: on its own (or its server says it is gone), kicked by a
 * moderator (XEP-0045 status 307) or banned (301). MUC occupants see the status and the reason on
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

    private static String because(String reason) {
        return reason == null || reason.isBlank() ? "" : ": " + reason;
    }
}
