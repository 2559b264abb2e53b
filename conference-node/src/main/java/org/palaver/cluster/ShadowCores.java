package org.palaver.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.palaver.core.ConferenceService;
import org.palaver.core.Outbox;
import org.palaver.core.RoomDirectory;
import org.palaver.core.RoomListing;
import org.palaver.core.RoomState;
import org.palaver.core.ServiceSettings;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * The backup side of room replication: the copies this node keeps of other nodes' rooms, one
 * shadow core per owner node. A shadow core is an ordinary {@link ConferenceService} fed with
 * exactly the owner's inputs for those rooms (snapshot, then each stanza with the owner's
 * {@code now}, and the owner's heartbeats); the core is deterministic and a room's handling
 * depends only on that room's state, so the copy stays identical to the original. Shadows send
 * nothing (their output is discarded) and list nothing (a directory that forgets everything).
 * One core per owner because the heartbeat is node-wide: the owner's heartbeat goes to exactly
 * the copies of that owner's rooms.
 *
 * <p>Pure: no I/O, no threads; the caller runs it on the node's event loop.
 */
public final class ShadowCores {
    private static final Outbox DISCARD = new Outbox() {
        @Override
        public void send(Element stanza) {
        }

        @Override
        public void fanout(Element template, List<Jid> recipients) {
        }
    };
    private static final RoomDirectory UNLISTED = new RoomDirectory() {
        @Override
        public void changed(RoomListing listing) {
        }

        @Override
        public void removed(Jid room) {
        }

        @Override
        public Collection<RoomListing> rooms() {
            return List.of();
        }
    };

    private final ServiceSettings settings;
    private final Map<String, Shadow> byOwner = new HashMap<>();

    /** One owner's copied rooms, with the sequence number of the last change applied to each. */
    private final class Shadow {
        final ConferenceService core = new ConferenceService(settings, 0, UNLISTED);
        final Map<Jid, Long> seqs = new HashMap<>();

        /** Forgets the sequence numbers of rooms the core no longer holds (destroyed by a heartbeat). */
        void prune() {
            seqs.keySet().removeIf(k -> !core.holds(k));
        }
    }

    /** Forgets an owner whose copies are all gone, so {@link #owners} names only owners with copies. */
    private void pruneOwner(String owner, Shadow s) {
        if (s.core.roomCount() == 0) {
            byOwner.remove(owner);
        }
    }

    public ShadowCores(ServiceSettings settings) {
        this.settings = settings;
    }

    /** Installs (or replaces) the copy of {@code owner}'s room from a full snapshot taken at {@code seq}. */
    public void snapshot(String owner, RoomState state, long seq) {
        Shadow s = byOwner.computeIfAbsent(owner, o -> new Shadow());
        s.core.exportRoom(state.room());
        // no clamping to this node's clock: the copy must stay byte-for-byte the owner's room
        s.core.importRoom(state, Long.MAX_VALUE);
        s.seqs.put(state.room(), seq);
    }

    /**
     * Applies the owner's change {@code seq} to the copy of {@code room}: the stanza as the owner
     * applied it at {@code now}. Returns false, dropping the copy, when the copy is missing or a
     * change was missed (the caller then asks the owner for a fresh snapshot).
     */
    public boolean delta(String owner, Jid room, long seq, long now, Element stanza) {
        Shadow s = byOwner.get(owner);
        Long last = s == null ? null : s.seqs.get(room);
        if (last == null || last + 1 != seq) {
            drop(owner, room);
            return false;
        }
        s.core.handle(stanza, now, DISCARD);
        if (s.core.holds(room)) {
            s.seqs.put(room, seq);
        } else {
            s.seqs.remove(room);
            pruneOwner(owner, s);
        }
        return true;
    }

    /** The owner's heartbeat at {@code now}, applied to the copies of its rooms. */
    public void heartbeat(String owner, long now) {
        Shadow s = byOwner.get(owner);
        if (s != null) {
            s.core.heartbeat(now, DISCARD);
            s.prune();
            pruneOwner(owner, s);
        }
    }

    /** The owner no longer has this node back its room up (or the room is gone). */
    public void drop(String owner, Jid room) {
        Shadow s = byOwner.get(owner);
        if (s != null) {
            s.core.exportRoom(room);
            s.seqs.remove(room);
            pruneOwner(owner, s);
        }
    }

    /** Takes every copy of {@code owner}'s rooms out, for promotion (the owner is gone); none remain. */
    public List<RoomState> promote(String owner) {
        Shadow s = byOwner.remove(owner);
        List<RoomState> states = new ArrayList<>();
        if (s != null) {
            for (Jid room : s.core.roomKeys()) {
                states.add(s.core.exportRoom(room));
            }
        }
        return states;
    }

    /** The rooms of {@code owner} copied here. */
    public List<Jid> roomsOf(String owner) {
        Shadow s = byOwner.get(owner);
        return s == null ? List.of() : List.copyOf(s.core.roomKeys());
    }

    /** Takes the copy of one of {@code owner}'s rooms out, for promotion; null if none. */
    public RoomState take(String owner, Jid room) {
        Shadow s = byOwner.get(owner);
        if (s == null) {
            return null;
        }
        RoomState state = s.core.exportRoom(room);
        s.seqs.remove(room);
        pruneOwner(owner, s);
        return state;
    }

    /** The copy of {@code owner}'s room as it stands, or null (for tests and checks). */
    public RoomState copy(String owner, Jid room) {
        Shadow s = byOwner.get(owner);
        return s == null ? null : s.core.snapshotRoom(room);
    }

    /** The owners this node holds some copy for. */
    public Set<String> owners() {
        return Set.copyOf(byOwner.keySet());
    }

    /** Copies held now, over all owners. */
    public int rooms() {
        int n = 0;
        for (Shadow s : byOwner.values()) {
            n += s.core.roomCount();
        }
        return n;
    }
}
