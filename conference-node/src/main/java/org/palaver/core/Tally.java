package org.palaver.core;

/** The core's {@link RoomEvent} counters (one per core, on the core's thread). */
final class Tally {
    private final long[] counts = new long[RoomEvent.size()];

    void add(RoomEvent event, long n) {
        counts[event.ordinal()] += n;
    }

    void one(RoomEvent event) {
        counts[event.ordinal()]++;
    }

    long count(RoomEvent event) {
        return counts[event.ordinal()];
    }
}
