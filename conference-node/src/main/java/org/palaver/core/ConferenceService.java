package org.palaver.core;

import org.palaver.xml.Element;

/**
 * The protocol core's entry point: one stanza (already parsed, limits enforced) plus the current
 * time in, state changes and output stanzas out. Pure: no threads, no I/O, no clock of its own.
 * Callers guarantee serial use.
 */
public final class ConferenceService {
    private final ServiceSettings settings;
    private final long startMillis;

    public ConferenceService(ServiceSettings settings, long startMillis) {
        this.settings = settings;
        this.startMillis = startMillis;
    }

    public ServiceSettings settings() {
        return settings;
    }

    /** Handles one inbound stanza received at {@code nowMillis} (epoch ms). */
    public void handle(Element stanza, long nowMillis, Outbox out) {
        throw new UnsupportedOperationException("protocol core under construction");
    }

    /** The 120 s heartbeat of spec §5.4: expires registrations, destroys idle empty rooms. */
    public void heartbeat(long nowMillis, Outbox out) {
        throw new UnsupportedOperationException("protocol core under construction");
    }
}
