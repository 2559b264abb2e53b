package org.palaver.core;

/**
 * The participants-per-room limit (docs/architecture.md#limits-on-input, decision 19):
 * {@code maxParticipants} entered participants, 0 = unlimited, and the room's own limit. A join
 * beyond it is refused with 503 service-unavailable and a readable text, counted as
 * {@link Refusal#OCCUPANTS_PER_ROOM}.
 */
final class Capacity {
    static final String TEXT = "room is full";

    private final int maxParticipants;
    private final Refusals refusals;

    Capacity(int maxParticipants, Refusals refusals) {
        this.maxParticipants = maxParticipants;
        this.refusals = refusals;
    }

    boolean full(Room room) {
        int own = room.config.maxOccupants;
        return maxParticipants > 0 && room.count() >= maxParticipants || own > 0 && room.count() >= own;
    }

    /** Refuses the join {@code in} when the room is full; whether it did. */
    boolean refuses(Room room, Inbound in, Outbox out) {
        if (!full(room)) {
            return false;
        }
        refusals.refuse(Refusal.OCCUPANTS_PER_ROOM, in, StanzaError.SERVICE_UNAVAILABLE, TEXT, out);
        return true;
    }
}
