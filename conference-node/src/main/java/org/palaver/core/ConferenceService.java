package org.palaver.core;

import java.util.List;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * The protocol core's entry point: one stanza (already parsed, limits enforced) plus the current
 * time in, state changes and output stanzas out. Pure: no threads, no I/O, no clock of its own.
 * Callers guarantee serial use (per room at least; simplest is one serial executor, spec §1.1).
 *
 * <p>For clustering, a core need not hold every room: rooms move between cores whole
 * ({@link #exportRoom}, {@link #importRoom}, as a {@link RoomState}), predefined rooms are created
 * by the core that first gets a stanza for them, and the service's room listings are read from a
 * {@link RoomDirectory} that the core keeps current for the rooms it holds.
 */
public final class ConferenceService {
    private final ServiceSettings settings;
    private final Dispatcher dispatcher;

    /**
     * A core of a service whose rooms may live on several cores: listings come from
     * {@code directory}, predefined rooms are materialised when a stanza first needs them.
     */
    public ConferenceService(ServiceSettings settings, long startMillis, RoomDirectory directory) {
        this.settings = settings;
        this.dispatcher = new Dispatcher(settings, startMillis, directory);
    }

    /**
     * A single-node service: listings in a new {@link LocalRoomDirectory}, and since this core
     * holds every room, the predefined rooms exist from start-up (spec §5.2, and so in the counts).
     */
    public ConferenceService(ServiceSettings settings, long startMillis) {
        this(settings, startMillis, new LocalRoomDirectory());
        dispatcher.rooms().materialisePredefined(startMillis);
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
        Room r = dispatcher.export(room.roomKey());
        return r == null ? null : new RoomState(r.jid, RoomCodec.encode(r));
    }

    /**
     * The room's complete state, as {@link #exportRoom} would give it, but the room stays here
     * unchanged (a backup for another core); null when this core has no such room.
     */
    public RoomState snapshotRoom(Jid room) {
        Room r = dispatcher.rooms().held(room.roomKey());
        return r == null ? null : new RoomState(r.jid, RoomCodec.encode(r));
    }

    /** Whether this core holds the room now (a predefined room nobody needed yet is not held). */
    public boolean holds(Jid room) {
        return dispatcher.rooms().held(room.roomKey()) != null;
    }

    /**
     * Installs a room exported elsewhere (replacing nothing: IllegalStateException if this core already holds that room).
     * Times from a node whose clock ran ahead are brought back to {@code nowMillis}, so the room
     * and its users are not taken for busy beyond now.
     */
    public void importRoom(RoomState state, long nowMillis) {
        Room r = RoomCodec.decode(state.encoded());
        r.notLaterThan(nowMillis);
        dispatcher.install(r);
    }

    /** The keys of the rooms this core holds now, for handoff decisions. */
    public List<Jid> roomKeys() {
        return List.copyOf(dispatcher.rooms().keys());
    }

    // ---- counts for monitoring: O(1), maintained as the state changes; not thread-safe either ----

    /** Rooms this core holds now, predefined and dynamic. */
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

    /** Participants removed so far by an error from their real JID saying they are gone (§10.3). */
    public long participantsBounced() {
        return dispatcher.participantsBounced();
    }

    /** How often {@code event} happened on this core so far. */
    public long count(RoomEvent event) {
        return dispatcher.count(event);
    }

    /** All {@link RoomEvent}s so far (a cheap check before reading the single counts). */
    public long events() {
        return dispatcher.events();
    }

    /** Registered-but-not-entered users forgotten so far by the heartbeat (§5.4). */
    public long registrationsExpired() {
        return dispatcher.registrationsExpired();
    }

    /** Stanzas refused so far because their sender (bare JID) was over its rate limit. */
    public long senderRateLimited() {
        return dispatcher.senderLimited();
    }

    /** Stanzas refused so far because their room was over its rate limit. */
    public long roomRateLimited() {
        return dispatcher.roomLimited();
    }

    /** Available presences refused so far for exceeding {@link Limits#maxPresenceChars()}. */
    public long presenceTooLarge() {
        return dispatcher.presenceTooLarge();
    }
}
