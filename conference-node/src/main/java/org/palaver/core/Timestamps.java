package org.palaver.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The time formats of the protocol, always in UTC (the core has no time zone of its own). */
final class Timestamps {
    /** jabber:x:delay and jabber:iq:time {@code utc}: CCYYMMDDThh:mm:ss [J14 jutil_timestamp]. */
    private static final DateTimeFormatter LEGACY =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** XEP-0082 date-time for urn:xmpp:delay. */
    private static final DateTimeFormatter XEP82 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** C library ctime() layout, e.g. {@code Fri Jan  2 03:04:05 2026}, for jabber:iq:time display. */
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss uuuu", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    static String legacy(long millis) {
        return LEGACY.format(Instant.ofEpochMilli(millis));
    }

    static String xep82(long millis) {
        return XEP82.format(Instant.ofEpochMilli(millis));
    }

    static String ctime(long millis) {
        return CTIME.format(Instant.ofEpochMilli(millis));
    }

    /** Whole seconds elapsed, never negative (a clock step back must not produce "-3"). */
    static long secondsBetween(long fromMillis, long toMillis) {
        return Math.max(0, (toMillis - fromMillis) / 1000);
    }
}
