package org.palaver.metrics;

/** The state of a router connection, as reported by {@code palaver_router_connections{state}}. */
public enum RouterState {
    /** Connecting, or connected and waiting for the handshake to be accepted. */
    CONNECTING("connecting"),
    /** Handshake accepted: stanzas flow. */
    AUTHENTICATED("authenticated"),
    /** Not connected, waiting for the next reconnect attempt. */
    DOWN("down");

    private final String label;

    RouterState(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }
}
