package org.palaver.metrics;

/**
 * Why a node refused a message from another node, as counted by
 * {@code palaver_cluster_messages_refused_total{reason}} (docs/compatibility.md, "Messages a node
 * cannot read"). A refused message changes nothing on the node; it keeps serving.
 */
public enum RefusedReason {
    /** Not a node message, or truncated or damaged: the envelope itself does not decode. */
    MALFORMED("malformed"),
    /** A node message of a type this version does not know (sent by a newer node). */
    UNKNOWN_TYPE("unknown-type"),
    /** A known type whose payload (room state, replication payload, relayed output, stanza) does not decode. */
    BAD_PAYLOAD("bad-payload");

    private final String label;

    RefusedReason(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }
}
