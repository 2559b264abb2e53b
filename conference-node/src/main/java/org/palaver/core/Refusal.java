package org.palaver.core;

/**
 * A stanza refused by one of the {@link Limits} on what the node keeps for a user or a room
 * (issue 10), counted per kind ({@link ConferenceService#refused}); the shell exports the counts
 * as {@code palaver_limit_refused_total{limit}} with {@link #label()}.
 */
public enum Refusal {
    /** Available presence larger than {@link Limits#maxPresenceChars()}. */
    PRESENCE_SIZE("presence-size"),
    /** Available presence whose status is longer than {@link Limits#maxStatusChars()}. */
    STATUS_SIZE("status-size"),
    /** A room name or password longer than {@link Limits#maxRoomNameChars()}. */
    ROOM_NAME_SIZE("room-name-size"),
    /** A topic, room description or ban reason longer than {@link Limits#maxTopicChars()}. */
    TOPIC_SIZE("topic-size"),
    /** A user record in one room more than {@link Limits#maxRoomsPerUser()} allows. */
    ROOMS_PER_USER("rooms-per-user"),
    /** A user record more than {@link Limits#maxRegistrationsPerUser()} allows. */
    REGISTRATIONS_PER_USER("registrations-per-user"),
    /** A join to a room that is full (the service's or the room's own occupant limit). */
    OCCUPANTS_PER_ROOM("occupants-per-room"),
    /** An affiliation change that would grow a room's lists beyond {@link Limits#maxAffiliationsPerRoom()}. */
    AFFILIATIONS_PER_ROOM("affiliations-per-room");

    private static final Refusal[] ALL = values();

    private final String label;

    Refusal(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }

    static int size() {
        return ALL.length;
    }
}
