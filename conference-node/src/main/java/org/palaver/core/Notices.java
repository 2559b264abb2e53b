package org.palaver.core;

/**
 * A room's notice texts (spec §11.3): appended verbatim to the nick (join, leave) or put between
 * the old and new nick (rename); {@code null} disables that notice (DEV-7 for leave).
 */
record Notices(String join, String leave, String rename) {
    static Notices of(ServiceSettings s) {
        return new Notices(s.joinNotice(), s.leaveNotice(), s.renameNotice());
    }

    /** A predefined room's own texts, falling back to the service's where it has none. */
    Notices overriddenBy(ServiceSettings.PredefinedRoom room) {
        return new Notices(or(room.joinNotice(), join), or(room.leaveNotice(), leave),
                or(room.renameNotice(), rename));
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}
