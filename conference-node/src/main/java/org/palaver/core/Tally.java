package org.palaver.core;

/** The core's {@link RoomEvent} counters (one per core, on the core's thread). */
final class Tally {
    private final long[] counts = new long[RoomEvent.size()];
    private long total;

    void add(RoomEvent event, long n) {
        counts[event.ordinal()] += n;
        total += n;
    }

    void one(RoomEvent event) {
        add(event, 1);
    }

    /** All events so far: the shell looks at the single counts only when this changed. */
    long total() {
        return total;
    }

    long count(RoomEvent event) {
        return counts[event.ordinal()];
    }
}
