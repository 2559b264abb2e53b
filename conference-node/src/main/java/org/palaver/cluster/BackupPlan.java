package org.palaver.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The owner's side of room replication: for every room this node owns, which nodes hold its
 * backups and the sequence number of the last change sent there. Pure bookkeeping, no I/O;
 * the caller sends what a {@link Plan} says.
 *
 * <p>With {@code <backups>2</backups>} a room has two backups (the first two runners-up of its
 * ranking), both sent the same snapshots and deltas. A backup starts from a full snapshot
 * (sequence 0) whenever the room has no backup yet or its backup nodes changed; every later
 * change is a delta with the next sequence number, so a backup that misses one sees the gap and
 * asks for a fresh snapshot ({@link #resync}). A backup keeps the deltas as a log after the
 * snapshot ({@link HeldBackups}); once the deltas sent since the snapshot outweigh
 * {@link #RESNAPSHOT_FACTOR} snapshots (and {@link #MIN_RESNAPSHOT_BYTES}), the next change goes
 * as a fresh snapshot instead, which bounds the backups' logs and their replay.
 */
public final class BackupPlan {
    /** Deltas since a snapshot below this many bytes never bring a fresh snapshot. */
    public static final int MIN_RESNAPSHOT_BYTES = 64 * 1024;
    /** Nor below this many times the snapshot's size. */
    public static final int RESNAPSHOT_FACTOR = 4;

    private final Map<String, RoomBackups> byRoom = new HashMap<>();

    private static final class RoomBackups {
        final List<String> backups;
        long seq;
        /** Delta bytes sent since the snapshot, and how many are allowed before the next. */
        long sent;
        long budget = MIN_RESNAPSHOT_BYTES;

        RoomBackups(List<String> backups) {
            this.backups = List.copyOf(backups);
        }
    }

    /**
     * What to send after a change.
     *
     * @param dropAt     nodes to tell to forget their backup (the room's former backups)
     * @param snapshotTo nodes to send the room's full state to
     * @param deltaTo    nodes to send the change itself to
     * @param seq        the sequence number of the snapshots or deltas
     */
    public record Plan(List<String> dropAt, List<String> snapshotTo, List<String> deltaTo, long seq) {
        static final Plan NOTHING = new Plan(List.of(), List.of(), List.of(), 0);
    }

    /**
     * The room changed on this node (a stanza of {@code bytes} bytes was applied to it).
     *
     * @param held    whether this node still holds the room after the change
     * @param backups the room's backup nodes under the current view, best first (empty for none)
     */
    public Plan changed(String room, boolean held, List<String> backups, int bytes) {
        RoomBackups r = byRoom.get(room);
        if (held && !backups.isEmpty() && r != null && r.backups.equals(backups)) {
            if (r.sent + bytes > r.budget) { // the backups' logs outweigh a snapshot: send one instead
                RoomBackups fresh = new RoomBackups(backups);
                fresh.seq = r.seq + 1;
                byRoom.put(room, fresh);
                return new Plan(List.of(), fresh.backups, List.of(), fresh.seq);
            }
            r.seq++;
            r.sent += bytes;
            return new Plan(List.of(), List.of(), r.backups, r.seq);
        }
        return establish(room, held, backups);
    }

    /** A snapshot of {@code bytes} bytes went to the room's backup: the deltas after it may weigh this much times {@link #RESNAPSHOT_FACTOR}. */
    public void snapshotSent(String room, int bytes) {
        RoomBackups r = byRoom.get(room);
        if (r != null) {
            r.budget = Math.max(MIN_RESNAPSHOT_BYTES, (long) RESNAPSHOT_FACTOR * bytes);
        }
    }

    /**
     * Makes sure the room's backups are {@code backups} without a change to send (a view change,
     * a room that arrived here): when they changed, every backup gets a snapshot (the sequence
     * starts over) and the former ones that are no longer backups drop theirs; else nothing.
     */
    public Plan establish(String room, boolean held, List<String> backups) {
        RoomBackups r = byRoom.get(room);
        if (held && !backups.isEmpty() && r != null && r.backups.equals(backups)) {
            return Plan.NOTHING;
        }
        List<String> dropAt = new ArrayList<>(r == null ? List.of() : r.backups);
        if (!held || backups.isEmpty()) {
            byRoom.remove(room);
            return new Plan(dropAt, List.of(), List.of(), 0);
        }
        dropAt.removeAll(backups);
        RoomBackups next = new RoomBackups(backups);
        byRoom.put(room, next);
        return new Plan(dropAt, next.backups, List.of(), 0);
    }

    /** The room left this node (handed off, destroyed): returns the nodes to tell to drop their backups. */
    public List<String> forget(String room) {
        RoomBackups r = byRoom.remove(room);
        return r == null ? List.of() : r.backups;
    }

    /** A backup asked for a fresh snapshot (it saw a gap): the next change or establish sends snapshots. */
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
        byRoom.values().forEach(r -> nodes.addAll(r.backups));
        return nodes;
    }
}
