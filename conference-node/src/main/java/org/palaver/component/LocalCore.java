package org.palaver.component;

import java.util.List;
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

    LocalCore(ConferenceService core, RouterOutbox outbox, CoreCounts counts) {
        this.core = core;
        this.outbox = outbox;
        this.counts = counts;
    }

    /**
     * Applies one stanza now; its output prefers {@code via} (the connection it arrived on), or
     * any authenticated connection when {@code null} (stanzas forwarded by another node).
     */
    public void handle(ComponentConnection via, Element stanza) {
        core.handle(stanza, System.currentTimeMillis(), outbox.via(via));
        counts.update(core);
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
