package org.palaver.core;

/**
 * The participants-per-room limit (docs/architecture.md#limits-on-input, decision 19):
 * {@code maxParticipants} entered participants, 0 = unlimited. A join beyond it is refused with
 * 503 service-unavailable and a readable text.
 */
final class Capacity {
    static final String TEXT = "room is full";

    private final int maxParticipants;

    Capacity(int maxParticipants) {
        this.maxParticipants = maxParticipants;
    }

    boolean full(Room room) {
        int own = room.config.maxOccupants;
        return maxParticipants > 0 && room.count() >= maxParticipants || own > 0 && room.count() >= own;
    }
}
