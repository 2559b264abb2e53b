package org.palaver.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.palaver.xml.Jid;

/**
 * Which nodes own rooms, as of one epoch: the cluster-wide, versioned list of active members. The
 * owner of a room key is chosen by rendezvous (highest-random-weight) hashing over the members, a
 * pure function of (key, members): every node computes it locally, without I/O, and agrees with
 * every other node holding the same view. Adding or removing one member moves only the keys that
 * member wins or held (about 1/n of them).
 *
 * <p>Why not the Hazelcast partition table: planned moves need a leaving node to drop out of
 * ownership while it is still a cluster member (it must hand its rooms over the event bus and
 * relay stragglers), and a joining node to take rooms only once its router connection is up.
 * Partition ownership changes on Hazelcast's schedule (when a member joins or leaves the cluster),
 * and numbers no epochs we could fence with; this view changes exactly when a node asks, and each
 * change has an epoch.
 *
 * <p>Stored as text ({@link #encode}): a header naming the format version, the epoch, one member
 * per line. {@link #decode} reads any version ≥ 1 tolerantly: lines after the first blank line
 * are for later versions and are ignored (invariant 5).
 */
public final class OwnershipView {
    static final String HEADER = "palaver-ownership ";
    /**
     * Format version, which also names the owner function: a node that chose owners differently
     * (another hash) would disagree with older nodes on every key, so it needs a new version.
     */
    static final int VERSION = 1;
    /** Before any node has asked for ownership. */
    public static final OwnershipView EMPTY = new OwnershipView(0, List.of());

    private final long epoch;
    private final List<String> members;
    /** {@code hash(member)}, computed once: owner lookups are on the hot path of a clustered node. */
    private final long[] memberHashes;
    /**
     * Placements already ranked under this view, up to {@link #CACHED_PLACEMENTS} rooms: a busy
     * room's stanzas ask for the same one thousands of times a second, and the view never changes
     * (a new epoch is a new view, with an empty cache). Read from more than one thread.
     */
    private final Map<Jid, Placement> placements = new ConcurrentHashMap<>();
    static final int CACHED_PLACEMENTS = 4096;

    public OwnershipView(long epoch, List<String> members) {
        this.epoch = epoch;
        this.members = List.copyOf(members);
        this.memberHashes = new long[this.members.size()];
        for (int i = 0; i < memberHashes.length; i++) {
            memberHashes[i] = fnv1a(this.members.get(i));
        }
    }

    public long epoch() {
        return epoch;
    }

    public List<String> members() {
        return members;
    }

    /** The member owning {@code roomKey}; {@code null} when the view has no members. */
    public String owner(Jid roomKey) {
        return owner(roomKey.toString());
    }

    String owner(String key) {
        return placement(key).owner();
    }

    /**
     * The member a room's backup lives on: the runner-up of the same ranking, so that when
     * the owner leaves the view the backup becomes the owner by construction ({@code null} with
     * fewer than two members).
     */
    public String backup(Jid roomKey) {
        return backup(roomKey.toString());
    }

    String backup(String key) {
        return placement(key).backup();
    }

    /**
     * Where room {@code key} lives: the owner and the first two runners-up of the same ranking
     * ({@link #owner}, {@link #backup}), from one ranking pass, because an owner applying a stanza
     * needs them all.
     */
    public Placement placement(Jid roomKey) {
        Placement p = placements.get(roomKey);
        if (p == null) {
            p = placement(roomKey.toString());
            if (placements.size() < CACHED_PLACEMENTS) {
                placements.put(roomKey, p);
            }
        }
        return p;
    }

    Placement placement(String key) {
        long keyHash = fnv1a(key);
        String[] best = new String[3];
        long[] scores = new long[3];
        for (int i = 0; i < memberHashes.length; i++) {
            String m = members.get(i);
            long score = mix(keyHash ^ memberHashes[i]);
            for (int rank = 0; rank < 3; rank++) {
                if (m.equals(best[rank])) {
                    break;
                }
                if (best[rank] == null || outranks(score, m, scores[rank], best[rank])) {
                    for (int k = 2; k > rank; k--) {
                        best[k] = best[k - 1];
                        scores[k] = scores[k - 1];
                    }
                    best[rank] = m;
                    scores[rank] = score;
                    break;
                }
            }
        }
        return new Placement(best[0], best[1], best[2]);
    }

    /** Whether {@code member} ranks above {@code other} for room {@code key} (both members or not). */
    boolean ranksAbove(String key, String member, String other) {
        long keyHash = fnv1a(key);
        return outranks(mix(keyHash ^ fnv1a(member)), member, mix(keyHash ^ fnv1a(other)), other);
    }

    /** Higher score first; equal scores go to the smaller member id, so the ranking is total. */
    private static boolean outranks(long score, String member, long otherScore, String other) {
        return Long.compareUnsigned(score, otherScore) > 0 || score == otherScore && member.compareTo(other) < 0;
    }

    /**
     * A room's owner, backup (the runner-up) and second backup (the next), under one view; each is
     * {@code null} when the view is too small.
     */
    public record Placement(String owner, String backup, String second) {
        public Placement(String owner, String backup) {
            this(owner, backup, null);
        }

        /** The first {@code n} (0..2) backups that exist, best first. */
        public List<String> backups(int n) {
            if (n <= 0 || backup == null) {
                return List.of();
            }
            return n == 1 || second == null ? List.of(backup) : List.of(backup, second);
        }
    }

    public boolean contains(String member) {
        return members.contains(member);
    }

    /** The next epoch's view with {@code member} added (this view if it is present). */
    public OwnershipView with(String member) {
        if (members.contains(member)) {
            return this;
        }
        List<String> next = new ArrayList<>(members);
        next.add(member);
        return new OwnershipView(epoch + 1, next);
    }

    /** The next epoch's view without {@code member} (this view if it is absent). */
    public OwnershipView without(String member) {
        if (!members.contains(member)) {
            return this;
        }
        List<String> next = new ArrayList<>(members);
        next.remove(member);
        return new OwnershipView(epoch + 1, next);
    }

    public String encode() {
        StringBuilder sb = new StringBuilder(HEADER).append(VERSION).append('\n').append(epoch).append('\n');
        members.forEach(m -> sb.append(m).append('\n'));
        return sb.toString();
    }

    /** Parses {@link #encode}'s form; {@link IllegalArgumentException} naming the problem otherwise. */
    public static OwnershipView decode(String text) {
        Objects.requireNonNull(text, "text");
        String[] lines = text.split("\n", -1);
        if (lines.length < 2 || !lines[0].startsWith(HEADER)) {
            throw new IllegalArgumentException("not an ownership view: " + abbreviate(text));
        }
        try {
            int version = Integer.parseInt(lines[0].substring(HEADER.length()).trim());
            if (version < 1) {
                throw new IllegalArgumentException("ownership view version " + version + " is unknown");
            }
            long epoch = Long.parseLong(lines[1].trim());
            List<String> members = new ArrayList<>();
            for (int i = 2; i < lines.length && !lines[i].isBlank(); i++) {
                members.add(lines[i].trim());
            }
            return new OwnershipView(epoch, members);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed ownership view: " + abbreviate(text), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** 64-bit FNV-1a over the UTF-16 code units (no allocation; the same on every JVM). */
    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OwnershipView v && v.epoch == epoch && v.members.equals(members);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epoch) * 31 + members.hashCode();
    }

    @Override
    public String toString() {
        return "OwnershipView[epoch=" + epoch + ", members=" + members + "]";
    }

    /** SplitMix64's finaliser: spreads the xor of two hashes over all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
