package org.palaver.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Whether this node may act as a room owner right now, and what it was given while it may not
 * (see docs/architecture.md, "Fencing: frozen nodes, partitions and double crashes (gray
 * failures)"). Pure: no I/O, no threads; the caller runs it on the node's event loop.
 *
 * <p>A node is <b>fenced</b> from the moment it may have been dropped from the ownership view
 * without knowing it:
 * <ul>
 *   <li>its event loop stood still for longer than {@code stallLimitNanos} (a frozen process, a
 *       long GC pause, a paused container): the others may have declared it dead meanwhile. The
 *       check runs on every inbound stanza and message ({@link #admits}), so after a freeze nothing
 *       is applied or written before it, whatever the event loop happens to run first;</li>
 *   <li>the cluster members it sees are no majority of the view it routes by ({@link #quorum}):
 *       it is on the minority side of a partition, and the majority may take its rooms;</li>
 *   <li>Hazelcast is merging it back into a cluster it was split from.</li>
 * </ul>
 * While fenced the node applies nothing, writes nothing and changes no shared state; every inbound
 * stanza and node message waits here in arrival order ({@link #hold}), bounded by {@code capacity}.
 * The fence lifts once the node has checked the stored view: still its owner, it replays what
 * waited; dropped, it discards its rooms (the newer epoch's backups won), passes what waited to the
 * current owners, and rejoins.
 *
 * @param <T> what waits: an inbound stanza or node message
 */
final class Fence<T> {
    private final long stallLimitNanos;
    private final int capacity;
    private final Deque<T> waiting = new ArrayDeque<>();
    private long lastTick;
    private String reason;
    private long since;
    private long overflowed;

    /**
     * @param stallLimitNanos longest event loop stall that cannot have cost this node its membership
     * @param capacity        most stanzas and messages kept while fenced; later ones are dropped and counted
     * @param now             the current {@link System#nanoTime}
     */
    Fence(long stallLimitNanos, int capacity, long now) {
        this.stallLimitNanos = stallLimitNanos;
        this.capacity = capacity;
        this.lastTick = now;
    }

    /**
     * Whether the node may act now (at {@code now}, nano time). Raises the fence if the event loop
     * stood still longer than the limit since the last {@link #tick}.
     */
    boolean admits(long now) {
        if (reason == null && now - lastTick > stallLimitNanos) {
            raise("the event loop stood still for " + (now - lastTick) / 1_000_000 + " ms", now);
        }
        return reason == null;
    }

    /** The periodic proof that the event loop runs; returns whether it found a stall and raised the fence now. */
    boolean tick(long now) {
        boolean raised = reason == null && !admits(now);
        lastTick = now;
        return raised;
    }

    /** Fences the node for {@code why}; returns whether it was serving until now. */
    boolean raise(String why, long now) {
        if (reason != null) {
            return false;
        }
        reason = why;
        since = now;
        return true;
    }

    boolean fenced() {
        return reason != null;
    }

    /** Why the node is fenced, or {@code null}. */
    String reason() {
        return reason;
    }

    /** Nano time the fence went up (meaningful while fenced). */
    long since() {
        return since;
    }

    /** Keeps an inbound stanza or message until the fence lifts; false (dropped) when full. */
    boolean hold(T item) {
        if (waiting.size() >= capacity) {
            overflowed++;
            return false;
        }
        waiting.addLast(item);
        return true;
    }

    int waiting() {
        return waiting.size();
    }

    /** Items dropped because the fence was full, ever. */
    long overflowed() {
        return overflowed;
    }

    /** Lifts the fence: returns what waited, in arrival order. */
    List<T> lift(long now) {
        reason = null;
        lastTick = now;
        List<T> out = new ArrayList<>(waiting);
        waiting.clear();
        return out;
    }

    /**
     * Whether {@code alive} (the cluster members this node sees) holds a majority of the view's
     * members. A view of one or two members has no majority to lose (two nodes cannot tell a
     * crash from a partition): such a cluster keeps taking over, and a split heals with the newer
     * epoch winning.
     */
    static boolean quorum(OwnershipView view, Collection<String> alive) {
        return quorum(view, alive, Set.of());
    }

    /**
     * {@link #quorum(OwnershipView, Collection)} where members known to have crashed ({@code dead}:
     * their ports refuse connections, so they are not on the other side of a partition and serve
     * nobody) do not count: two of three nodes killed at once leave the third a majority of one.
     */
    static boolean quorum(OwnershipView view, Collection<String> alive, Collection<String> dead) {
        List<String> members = view.members();
        if (members.size() <= 2) {
            return true;
        }
        Set<String> seen = Set.copyOf(alive);
        Set<String> crashed = Set.copyOf(dead);
        long present = members.stream().filter(seen::contains).count();
        long counted = members.stream().filter(m -> !crashed.contains(m) || seen.contains(m)).count();
        return present * 2 > counted;
    }
}
