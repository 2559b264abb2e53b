package org.palaver.core;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.palaver.xml.Element;

/**
 * A MUC joiner's {@code <history maxstanzas maxchars seconds since/>} (XEP-0045 "Managing
 * Discussion History"): every attribute given narrows the replay; an attribute that does not
 * parse (negative, not a number, not a XEP-0082 date-time) is ignored, as if absent.
 *
 * @param maxStanzas most messages, newest kept; -1 = no limit
 * @param maxChars   most characters of the replayed stanzas' XML, newest kept; -1 = no limit
 * @param seconds    only messages at most this many seconds old; -1 = no limit
 * @param since      only messages stamped at or after this time (epoch ms); Long.MIN_VALUE = no limit
 */
record HistoryRequest(int maxStanzas, int maxChars, long seconds, long since) {
    static final HistoryRequest ALL = new HistoryRequest(-1, -1, -1, Long.MIN_VALUE);

    /** The request of a join presence ({@link #ALL} when it has none). */
    static HistoryRequest of(Element joinPresence) {
        Element x = joinPresence == null ? null : joinPresence.child("x", Ns.MUC);
        Element h = x == null ? null : x.child("history");
        if (h == null) {
            return ALL;
        }
        return new HistoryRequest((int) count(h.attr("maxstanzas")), (int) count(h.attr("maxchars")),
                count(h.attr("seconds")), since(h.attr("since")));
    }

    private static long count(String raw) {
        if (raw == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(raw.trim());
            return n < 0 ? -1 : Math.min(n, Integer.MAX_VALUE);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long since(String raw) {
        if (raw == null) {
            return Long.MIN_VALUE;
        }
        try {
            return OffsetDateTime.parse(raw.trim()).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Whether a message stamped {@code stamp} passes the time limits at {@code now}. */
    boolean admits(long stamp, long now) {
        return stamp >= since && (seconds < 0 || now - stamp <= seconds * 1000);
    }

    /** The newest copies within {@code maxstanzas} and {@code maxchars}, oldest first. */
    List<Element> limit(List<Element> copies) {
        int from = maxStanzas < 0 ? 0 : Math.max(0, copies.size() - maxStanzas);
        if (maxChars >= 0) {
            long chars = 0;
            int i = copies.size();
            while (i > from) {
                chars += History.chars(copies.get(i - 1));
                if (chars > maxChars) {
                    break;
                }
                i--;
            }
            from = i;
        }
        return copies.subList(from, copies.size());
    }
}
