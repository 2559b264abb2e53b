package org.palaver.component;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.palaver.core.ConferenceService;
import org.palaver.core.RoomState;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * The node's protocol core with its output and its counts, as the ingress and the cluster layer
 * drive it. Event loop only, like the core itself: every method keeps the metrics' copies of the
 * core's counts current.
 */
public final class LocalCore {
    private final ConferenceService core;
    private final RouterOutbox outbox;
    private final CoreCounts counts;
    private LongConsumer heartbeatListener = now -> { };
    private BooleanSupplier heartbeatGate = () -> true;

    LocalCore(ConferenceService core, RouterOutbox outbox, CoreCounts counts) {
        this.core = core;
        this.outbox = outbox;
        this.counts = counts;
    }

    /**
     * Applies one stanza now; its output prefers {@code via} (the connection it arrived on), or
     * any authenticated connection when {@code null} (stanzas forwarded by another node).
     * Returns the time it was applied at (what a backup must apply it at, too).
     */
    public long handle(ComponentConnection via, Element stanza) {
        long now = System.currentTimeMillis();
        core.handle(stanza, now, outbox.via(via));
        counts.update(core);
        return now;
    }

    /** The core's heartbeat (spec §5.4) now; then tells the listener the time it ran at. */
    public void heartbeat() {
        if (!heartbeatGate.getAsBoolean()) {
            return;
        }
        long now = System.currentTimeMillis();
        core.heartbeat(now, outbox.via(null));
        counts.update(core);
        heartbeatListener.accept(now);
    }

    /** Output finding no authenticated router connection of this node goes to {@code relay} from now on. */
    public void relayOutputTo(OutputRelay relay) {
        outbox.relayTo(relay);
    }

    /**
     * Writes output another node's core made (one stanza when {@code recipients} is {@code null},
     * else a broadcast template and its recipients) on this node's router connection, unchanged;
     * {@code false} if none is authenticated.
     */
    public boolean writeRelayed(Element stanza, List<Jid> recipients) {
        return outbox.writeRelayed(stanza, recipients);
    }

    /** Heartbeats run only while {@code gate} says so (a fenced cluster node changes and writes nothing). */
    public void heartbeatGate(BooleanSupplier gate) {
        this.heartbeatGate = gate;
    }

    /** Called with the time of every heartbeat from now on (the cluster layer replicates it). */
    public void onHeartbeat(LongConsumer listener) {
        this.heartbeatListener = listener;
    }

    /** The room's complete state, leaving it here; {@code null} if not held here. */
    public RoomState snapshotRoom(Jid room) {
        return core.snapshotRoom(room);
    }

    /** Whether the room is held here now. */
    public boolean holds(Jid room) {
        return core.holds(room);
    }

    /** Removes a room from this core and returns its complete state; {@code null} if not held here. */
    public RoomState exportRoom(Jid room) {
        RoomState state = core.exportRoom(room);
        counts.update(core);
        return state;
    }

    /** Installs a room exported by another node; {@link IllegalStateException} if it is already held here. */
    public void importRoom(RoomState state) {
        core.importRoom(state, System.currentTimeMillis());
        counts.update(core);
    }

    /** The keys of the rooms held here now. */
    public List<Jid> roomKeys() {
        return core.roomKeys();
    }

    /** Rooms held here now. */
    public int roomCount() {
        return core.roomCount();
    }
}
