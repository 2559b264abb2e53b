package org.palaver.core;

import java.util.List;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * The protocol core's entry point: one stanza (already parsed, limits enforced) plus the current
 * time in, state changes and output stanzas out. Pure: no threads, no I/O, no clock of its own.
 * Callers guarantee serial use (per room at least; simplest is one serial executor, spec §1.1).
 */
public final class ConferenceService {
    private final ServiceSettings settings;
    private final Dispatcher dispatcher;

    public ConferenceService(ServiceSettings settings, long startMillis, RoomDirectory directory) {
        this.settings = settings;
        this.dispatcher = new Dispatcher(settings, startMillis);
    }

    /** A single-node service: its listings live in a new {@link LocalRoomDirectory}. */
    public ConferenceService(ServiceSettings settings, long startMillis) {
        this(settings, startMillis, new LocalRoomDirectory());
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

    /** Removes the room from this core and returns its state; null when this core has no such room. Sends nothing, removes nobody. */
    public RoomState exportRoom(Jid room) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Installs a room exported elsewhere (replacing nothing: IllegalStateException if this core already holds that room). */
    public void importRoom(RoomState state, long nowMillis) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The keys of the rooms this core holds now, for handoff decisions. */
    public List<Jid> roomKeys() {
        return List.copyOf(dispatcher.rooms().keys());
    }

    // ---- counts for monitoring: O(1), maintained as the state changes; not thread-safe either ----

    /** Rooms that exist now, predefined and dynamic. */
    public int roomCount() {
        return dispatcher.rooms().size();
    }

    /** Participants entered in any room now; users only registered with a room are not counted. */
    public int participantCount() {
        return dispatcher.participantCount();
    }

    /** Participants removed so far because they left (unavailable presence, spec §3 step 6). */
    public long participantsLeft() {
        return dispatcher.participantsLeft();
    }

    /** Participants removed so far by an error from their real JID ("kick on bounce", §10.3). */
    public long participantsBounced() {
        return dispatcher.participantsBounced();
    }

    /** Registered-but-not-entered users forgotten so far by the heartbeat (§5.4). */
    public long registrationsExpired() {
        return dispatcher.registrationsExpired();
    }
}
