package org.palaver.core;

import org.palaver.xml.Element;

/**
 * The protocol core's entry point: one stanza (already parsed, limits enforced) plus the current
 * time in, state changes and output stanzas out. Pure: no threads, no I/O, no clock of its own.
 * Callers guarantee serial use (per room at least; simplest is one serial executor, spec §1.1).
 */
public final class ConferenceService {
    private final ServiceSettings settings;
    private final Dispatcher dispatcher;

    public ConferenceService(ServiceSettings settings, long startMillis) {
        this.settings = settings;
        this.dispatcher = new Dispatcher(settings, startMillis);
    }

    public ServiceSettings settings() {
        return settings;
    }

    /** Handles one inbound stanza received at {@code nowMillis} (epoch ms). */
    public void handle(Element stanza, long nowMillis, Outbox out) {
        dispatcher.handle(stanza, nowMillis, out);
    }

    /**
     * The 120 s heartbeat of spec §5.4: expires registrations, destroys idle empty rooms. Sends
     * nothing today (destroyed rooms are empty); the {@link Outbox} keeps the API open for
     * heartbeat-driven output.
     */
    public void heartbeat(long nowMillis, Outbox out) {
        dispatcher.heartbeat(nowMillis);
    }
}
