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
import org.palaver.xml.ElementCodec;
import org.palaver.xml.ElementReader;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlLimits;

/**
 * The backup side of room replication: the copies this node keeps of other nodes' rooms, each as
 * a {@link RoomLog}, the room's last snapshot and the owner's inputs since (each stanza with the
 * owner's {@code now}, and the owner's heartbeats), kept as bytes. Nothing is parsed or run per
 * change: the copy is materialised only when it is needed (promotion after the owner crashed, a
 * check) by replaying the log through an ordinary {@link ConferenceService}. The core is
 * deterministic and a room's handling depends only on that room's state, so the replay gives
 * exactly the owner's room: it is the same core run on the same inputs, later.
 *
 * <p>Bounded: an owner sends a fresh snapshot once the deltas since the last one outweigh it
 * ({@link Replicas}); should a log still grow past {@link RoomLog#compactAt} (an owner that does
 * not, e.g. release 0.1.0), it is replayed here into a new snapshot.
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

    /** Replays run here: a core that holds no room between replays (one room at a time). */
    private final ConferenceService scratch;
    private final ElementReader reader = ElementReader.unbounded();
    private final Map<String, Map<Jid, RoomLog>> byOwner = new HashMap<>();
    private int rooms;
    private long replayed;

    public ShadowCores(ServiceSettings settings) {
        this.scratch = new ConferenceService(settings, 0, UNLISTED);
    }

    /** Installs (or replaces) the copy of {@code owner}'s room from a full snapshot taken at {@code seq}. */
    public void snapshot(String owner, RoomState state, long seq) {
        Map<Jid, RoomLog> logs = byOwner.computeIfAbsent(owner, o -> new HashMap<>());
        if (logs.put(state.room(), new RoomLog(state, seq)) == null) {
            rooms++;
        }
    }

    /**
     * Records the owner's change {@code seq} to the copy of {@code room}: the stanza's bytes as the
     * owner applied it at {@code now}, XML or (if {@code parsed}) its parsed form. Returns false,
     * dropping the copy, when the copy is missing or a change was missed (the caller then asks the
     * owner for a fresh snapshot).
     */
    public boolean delta(String owner, Jid room, long seq, long now, byte[] stanza, boolean parsed) {
        Map<Jid, RoomLog> logs = byOwner.get(owner);
        RoomLog log = logs == null ? null : logs.get(room);
        if (log == null || log.seq() + 1 != seq) {
            drop(owner, room);
            return false;
        }
        log.delta(seq, now, stanza, parsed);
        if (log.bytes() > log.compactAt()) {
            compact(owner, logs, room, log);
        }
        return true;
    }

    /** The owner's heartbeat at {@code now}, for the copies of its rooms. */
    public void heartbeat(String owner, long now) {
        Map<Jid, RoomLog> logs = byOwner.get(owner);
        if (logs != null) {
            logs.values().forEach(l -> l.heartbeat(now));
        }
    }

    /** The owner no longer has this node back its room up (or the room is gone). */
    public void drop(String owner, Jid room) {
        Map<Jid, RoomLog> logs = byOwner.get(owner);
        if (logs != null && logs.remove(room) != null) {
            rooms--;
            if (logs.isEmpty()) {
                byOwner.remove(owner);
            }
        }
    }

    /** Takes every copy of {@code owner}'s rooms out, replayed, for promotion (the owner is gone); none remain. */
    public List<RoomState> promote(String owner) {
        Map<Jid, RoomLog> logs = byOwner.remove(owner);
        List<RoomState> states = new ArrayList<>();
        if (logs != null) {
            rooms -= logs.size();
            for (RoomLog log : logs.values()) {
                RoomState state = replay(log);
                if (state != null) {
                    states.add(state);
                }
            }
        }
        return states;
    }

    /** The rooms of {@code owner} copied here. */
    public List<Jid> roomsOf(String owner) {
        Map<Jid, RoomLog> logs = byOwner.get(owner);
        return logs == null ? List.of() : List.copyOf(logs.keySet());
    }

    /** Takes the copy of one of {@code owner}'s rooms out, replayed, for promotion; null if none (or destroyed). */
    public RoomState take(String owner, Jid room) {
        Map<Jid, RoomLog> logs = byOwner.get(owner);
        RoomLog log = logs == null ? null : logs.get(room);
        if (log == null) {
            return null;
        }
        drop(owner, room);
        return replay(log);
    }

    /** The copy of {@code owner}'s room as it stands (its log replayed; kept as it is), or null. */
    public RoomState copy(String owner, Jid room) {
        Map<Jid, RoomLog> logs = byOwner.get(owner);
        RoomLog log = logs == null ? null : logs.get(room);
        return log == null ? null : replay(log);
    }

    /** The owners this node holds some copy for. */
    public Set<String> owners() {
        return Set.copyOf(byOwner.keySet());
    }

    /** Copies held now, over all owners (a copy whose room the log destroyed counts until its DROP). */
    public int rooms() {
        return rooms;
    }

    /** Changes replayed so far (promotions, compactions, checks): what the backup ran the core for. */
    public long replayed() {
        return replayed;
    }

    /** Replays the log into its own new snapshot (same sequence number); null and gone if the room was destroyed. */
    private RoomState compact(String owner, Map<Jid, RoomLog> logs, Jid room, RoomLog log) {
        if (log.changes() == 0) {
            return log.base();
        }
        RoomState state = replay(log);
        if (state == null) {
            drop(owner, room);
        } else {
            logs.put(room, new RoomLog(state, log.seq()));
        }
        return state;
    }

    /** A logged stanza in the parsed form; null (skipped, as unparseable XML is) if it does not decode. */
    private static Element parsed(byte[] bytes) {
        try {
            return ElementCodec.decode(bytes, XmlLimits.UNBOUNDED);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The room after its log: the snapshot installed in the scratch core, each change applied, the room taken out. */
    private RoomState replay(RoomLog log) {
        Jid room = log.base().room();
        scratch.exportRoom(room); // nothing there, unless an earlier replay failed half-way
        // no clamping to this node's clock: the copy must stay byte-for-byte the owner's room
        scratch.importRoom(log.base(), Long.MAX_VALUE);
        log.forEach(new RoomLog.Replay() {
            @Override
            public void stanza(long now, byte[] bytes, boolean parsed) {
                Element stanza = parsed ? parsed(bytes) : reader.read(bytes);
                if (stanza != null) {
                    scratch.handle(stanza, now, DISCARD);
                }
            }

            @Override
            public void heartbeat(long now) {
                scratch.heartbeat(now, DISCARD);
            }
        });
        replayed += log.changes();
        return scratch.exportRoom(room);
    }
}
