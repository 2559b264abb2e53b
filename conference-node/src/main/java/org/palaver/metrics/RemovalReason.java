package org.palaver.metrics;

/** Why a participant left a room, as counted by {@code palaver_participants_removed_total{reason}}. */
public enum RemovalReason {
    /** The participant left (unavailable presence). */
    LEAVE("leave"),
    /** An error stanza from the participant's real JID removed it (spec §10.3, "kick on bounce"). */
    ERROR("error"),
    /** The heartbeat forgot an idle registered-but-not-entered user (spec §5.4). */
    EXPIRED("expired");

    private final String label;

    RemovalReason(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }
}
