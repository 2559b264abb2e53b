package org.palaver.core;

/** The core's {@link Refusal} counters (one per core, on the core's thread); refusing answers the sender. */
final class Refusals {
    private final long[] counts = new long[Refusal.size()];
    private long total;

    /** Counts a refusal of {@code in} and sends it {@code error} with {@code text} (unless it cannot be answered). */
    void refuse(Refusal why, Inbound in, StanzaError error, String text, Outbox out) {
        counts[why.ordinal()]++;
        total++;
        Replies.error(in, error, text, out);
    }

    /** All refusals so far: the shell looks at the single counts only when this changed. */
    long total() {
        return total;
    }

    long count(Refusal why) {
        return counts[why.ordinal()];
    }
}
