package org.palaver.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The owner's side of room replication: for every room this node owns, which node holds its
 * backup copy and the sequence number of the last change sent there. Pure bookkeeping, no I/O;
 * the caller sends what a {@link Plan} says.
 *
 * <p>A backup starts from a full snapshot (sequence 0) whenever the room has no backup yet or its
 * backup node changed; every later change is a delta with the next sequence number, so a backup
 * that misses one sees the gap and asks for a fresh snapshot ({@link #resync}). A backup keeps the
 * deltas as a log after the snapshot ({@link ShadowCores}); once the deltas sent since the
 * snapshot outweigh {@link #RESNAPSHOT_FACTOR} snapshots (and {@link #MIN_RESNAPSHOT_BYTES}), the
 * next change goes as a fresh snapshot instead, which bounds the backup's log and its replay.
 */
public final class Replicas {
    /** Deltas since a snapshot below this many bytes never bring a fresh snapshot. */
    public static final int MIN_RESNAPSHOT_BYTES = 64 * 1024;
    /** Nor below this many times the snapshot's size. */
    public static final int RESNAPSHOT_FACTOR = 4;

    private final Map<String, Replica> byRoom = new HashMap<>();

    private static final class Replica {
        final String backup;
        long seq;
        /** Delta bytes sent since the snapshot, and how many are allowed before the next. */
        long sent;
        long budget = MIN_RESNAPSHOT_BYTES;

        Replica(String backup) {
            this.backup = backup;
        }
    }

    /**
     * What to send after a change.
     *
     * @param dropAt     a node to tell to forget its copy (the room's former backup), or null
     * @param snapshotTo a node to send the room's full state to, or null
     * @param deltaTo    a node to send the change itself to, or null
     * @param seq        the sequence number of the snapshot or delta
     */
    public record Plan(String dropAt, String snapshotTo, String deltaTo, long seq) {
        static final Plan NOTHING = new Plan(null, null, null, 0);
    }

    /**
     * The room changed on this node (a stanza of {@code bytes} bytes was applied to it).
     *
     * @param held   whether this node still holds the room after the change
     * @param backup the room's backup node under the current view, or null for none
     */
    public Plan changed(String room, boolean held, String backup, int bytes) {
        Replica r = byRoom.get(room);
        if (held && backup != null && r != null && r.backup.equals(backup)) {
            if (r.sent + bytes > r.budget) { // the backup's log outweighs a snapshot: send one instead
                Replica fresh = new Replica(backup);
                fresh.seq = r.seq + 1;
                byRoom.put(room, fresh);
                return new Plan(null, backup, null, fresh.seq);
            }
            r.seq++;
            r.sent += bytes;
            return new Plan(null, null, backup, r.seq);
        }
        return establish(room, held, backup);
    }

    /** A snapshot of {@code bytes} bytes went to the room's backup: the deltas after it may weigh this much times {@link #RESNAPSHOT_FACTOR}. */
    public void snapshotSent(String room, int bytes) {
        Replica r = byRoom.get(room);
        if (r != null) {
            r.budget = Math.max(MIN_RESNAPSHOT_BYTES, (long) RESNAPSHOT_FACTOR * bytes);
        }
    }

    /**
     * Makes sure the room's backup is {@code backup} without a change to send (a view change, a
     * room that arrived here): a snapshot when the backup is new, else nothing.
     */
    public Plan establish(String room, boolean held, String backup) {
        Replica r = byRoom.get(room);
        if (held && backup != null && r != null && r.backup.equals(backup)) {
            return Plan.NOTHING;
        }
        String dropAt = r == null ? null : r.backup;
        if (!held || backup == null) {
            byRoom.remove(room);
            return new Plan(dropAt, null, null, 0);
        }
        byRoom.put(room, new Replica(backup));
        return new Plan(dropAt, backup, null, 0);
    }

    /** The room left this node (handed off, destroyed): returns the node to tell to drop its copy, or null. */
    public String forget(String room) {
        Replica r = byRoom.remove(room);
        return r == null ? null : r.backup;
    }

    /** The backup asked for a fresh copy (it saw a gap): the next change or establish sends a snapshot. */
    public void resync(String room) {
        byRoom.remove(room);
    }

    /** The rooms with a backup now. */
    public Set<String> rooms() {
        return Set.copyOf(byRoom.keySet());
    }

    /** The nodes holding some backup of this node's rooms (they get the heartbeat). */
    public Set<String> backups() {
        Set<String> nodes = new HashSet<>();
        byRoom.values().forEach(r -> nodes.add(r.backup));
        return nodes;
    }
}
