package org.palaver.core;

/**
 * Things the core counts besides joins and leaves, for monitoring ({@link ConferenceService#count}).
 * Each is a plain counter kept on the core's thread.
 */
public enum RoomEvent {
    /** An error from an occupant that did not say it is gone: ignored (spec §10.3, update). */
    ERROR_IGNORED,
    /** A history message dropped early to keep the room's history within its byte limit. */
    HISTORY_TRIMMED,
    /** A message not kept in history at all: larger than the room's whole byte limit. */
    HISTORY_REFUSED,
    /** An occupant kicked by a moderator (XEP-0045 role none, status 307). */
    KICKED,
    /** An occupant removed by a ban (XEP-0045 outcast, status 301). */
    BANNED,
    /** An occupant removed because the owner destroyed the room. */
    DESTROYED,
    /** A non-member removed from a members-only room (XEP-0045 status 322 or 321). */
    NOT_A_MEMBER;

    private static final RoomEvent[] ALL = values();

    static int size() {
        return ALL.length;
    }
}
