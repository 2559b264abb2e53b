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
 * The backup side of room replication: the backups this node keeps of other nodes' rooms, each as
 * a {@link RoomLog}, the room's last snapshot and the owner's inputs since (each stanza with the
 * owner's {@code now}, and the owner's heartbeats), kept as bytes. Nothing is parsed or run per
 * change: the backup is materialised only when it is needed (promotion after the owner crashed, a
 * check) by replaying the log through an ordinary {@link ConferenceService}. The core is
 * deterministic and a room's handling depends only on that room's state, so the replay gives
 * exactly the owner's room: it is the same core run on the same inputs, later.
 *
 * <p>Bounded: an owner sends a fresh snapshot once the deltas since the last one outweigh it
 * ({@link BackupPlan}); should a log still grow past {@link RoomLog#compactAt} (an owner that does
 * not, e.g. release 0.1.0), it is replayed here into a new snapshot.
 *
 * <p>Pure: no I/O, no threads; the caller runs it on the node's event loop.
 */
public final class HeldBackups {
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
    /** Logs replayed so far (promotions, compactions, checks): what the backup ran the core for. */
    private long replayed;

    public HeldBackups(ServiceSettings settings) {
        this.scratch = new ConferenceService(settings, 0, UNLISTED);
    }

    /** Installs (or replaces) the backup of {@code owner}'s room from a full snapshot taken at {@code seq}. */
    public void snapshot(String owner, RoomState state, long seq) {
        snapshot(owner, state, seq, List.of());
    }

    /** As {@link #snapshot(String, RoomState, long)}, with the room's marks ({@link RoomMarks}). */
    void snapshot(String owner, RoomState state, long seq, List<NodeMessage.Mark> marks) {
        Map<Jid, RoomLog> logs = byOwner.computeIfAbsent(owner, o -> new HashMap<>());
        if (logs.put(state.room(), new RoomLog(state, seq, marks)) == null) {
            rooms++;
        }
    }

    /**
     * Records the owner's change {@code seq} to the backup of {@code room}: the stanza's bytes as the
     * owner applied it at {@code now}, XML or (if {@code parsed}) its parsed form. Returns false,
     * dropping the backup, when the backup is missing or a change was missed (the caller then asks
     * the owner for a fresh snapshot).
     */
    public boolean delta(String owner, Jid room, long seq, long now, byte[] stanza, boolean parsed) {
        return delta(owner, room, seq, now, stanza, parsed, null);
    }

    /** As {@link #delta(String, Jid, long, long, byte[], boolean)}, the stanza named by {@code mark} (null: unnumbered). */
    boolean delta(String owner, Jid room, long seq, long now, byte[] stanza, boolean parsed, NodeMessage.Mark mark) {
        Map<Jid, RoomLog> logs = byOwner.get(owner);
        RoomLog log = logs == null ? null : logs.get(room);
        if (log == null || log.seq() + 1 != seq) {
            drop(owner, room);
            return false;
        }
        log.delta(seq, now, stanza, parsed, mark);
        if (log.bytes() > log.compactAt()) {
            compact(owner, logs, room, log);
        }
        return true;
    }

    /** The owner's heartbeat at {@code now}, for the backups of its rooms. */
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

    /** Takes every backup of {@code owner}'s rooms out, replayed, for promotion (the owner is gone); none remain. */
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

    /** The marks of the stanzas in the copy of {@code owner}'s room (empty if none or no copy). */
    List<NodeMessage.Mark> marks(String owner, Jid room) {
        Map<Jid, RoomLog> logs = byOwner.get(owner);
        RoomLog log = logs == null ? null : logs.get(room);
        return log == null ? List.of() : log.marks();
    }

    /** The rooms of {@code owner} copied here. */
    public List<Jid> roomsOf(String owner) {
        Map<Jid, RoomLog> logs = byOwner.get(owner);
        return logs == null ? List.of() : List.copyOf(logs.keySet());
    }

    /** Takes the backup of one of {@code owner}'s rooms out, replayed, for promotion; null if none (or destroyed). */
    public RoomState take(String owner, Jid room) {
        Map<Jid, RoomLog> logs = byOwner.get(owner);
        RoomLog log = logs == null ? null : logs.get(room);
        if (log == null) {
            return null;
        }
        drop(owner, room);
        return replay(log);
    }

    /** The backup of {@code owner}'s room as it stands (its log replayed; kept as it is), or null. */
    public RoomState peek(String owner, Jid room) {
        Map<Jid, RoomLog> logs = byOwner.get(owner);
        RoomLog log = logs == null ? null : logs.get(room);
        return log == null ? null : replay(log);
    }

    /** The owners this node holds some backup for. */
    public Set<String> owners() {
        return Set.copyOf(byOwner.keySet());
    }

    /** Backups held now, over all owners (a backup whose room the log destroyed counts until its DROP). */
    public int rooms() {
        return rooms;
    }

    /** Logs replayed so far (promotions, compactions, checks). */
    long replayed() {
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
            logs.put(room, new RoomLog(state, log.seq(), log.marks()));
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
        replayed++;
        Jid room = log.base().room();
        scratch.exportRoom(room); // nothing there, unless an earlier replay failed half-way
        // no clamping to this node's clock: the backup must stay byte-for-byte the owner's room
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
        return scratch.exportRoom(room);
    }
}
