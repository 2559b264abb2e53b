package org.palaver.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The ingress node's side of "no loss of accepted stanzas": every stanza this node accepted from
 * the router and forwarded to another node, numbered (one sequence for the node, increasing in
 * send order), kept until an acknowledgement says that the room's owner applied it and its backup
 * has it. Acknowledgements are cumulative per room: the stanzas of one ingress node for one room
 * are applied in the order they were numbered (point-to-point FIFO; around a handoff the new owner
 * releases older-epoch stanzas first), so "room r: up to n" settles every earlier one for r.
 * After a crash the entries whose node is gone are sent again ({@link #stranded}); the owner drops
 * a stanza it already applied by its mark ({@link RoomMarks}).
 *
 * <p>Bounded: at most {@code maxEntries} entries and {@code maxBytes} stanza bytes (the oldest go
 * first, counted), and entries older than {@code maxAgeNanos} expire (an acknowledgement that
 * never comes: a stanza dropped on the way, a receiver of release 0.1.0).
 *
 * <p>Pure: no I/O, no threads; the caller runs it on the node's event loop.
 */
final class ForwardLedger {
    /** One forwarded stanza not acknowledged yet. */
    static final class Entry {
        final String room;
        final long seq;
        final byte[] bytes;
        /** Whether {@link #bytes} is the stanza's parsed form ({@code ElementCodec}) rather than XML. */
        final boolean parsed;
        final long firstSent;
        /** The ownership epoch it was first routed under (a resend keeps it, as a relay does). */
        final long routedAt;
        /** The node it was last sent to. */
        String target;
        boolean settled;

        Entry(String room, long seq, byte[] bytes, boolean parsed, String target, long firstSent, long routedAt) {
            this.routedAt = routedAt;
            this.parsed = parsed;
            this.room = room;
            this.seq = seq;
            this.bytes = bytes;
            this.target = target;
            this.firstSent = firstSent;
        }

        String room() {
            return room;
        }

        long seq() {
            return seq;
        }

        byte[] bytes() {
            return bytes;
        }

        boolean parsed() {
            return parsed;
        }

        String target() {
            return target;
        }

        long firstSent() {
            return firstSent;
        }

        long routedAt() {
            return routedAt;
        }
    }

    private final int maxEntries;
    private final long maxBytes;
    private final long maxAgeNanos;
    private final Map<String, Deque<Entry>> byRoom = new HashMap<>();
    /** Every entry in sequence order (settled ones are skipped and dropped lazily). */
    private final Deque<Entry> all = new ArrayDeque<>();
    private long next = 1;
    private int size;
    private long bytes;
    private long evicted;

    ForwardLedger(int maxEntries, long maxBytes, long maxAgeNanos) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.maxAgeNanos = maxAgeNanos;
    }

    /**
     * Records a stanza forwarded to {@code target} at {@code now} (nano time), routed under epoch
     * {@code routedAt}, as XML or (if {@code parsed}) in its parsed form; returns its sequence number.
     */
    long record(String room, byte[] stanza, boolean parsed, String target, long now, long routedAt) {
        while (size > 0 && (size >= maxEntries || bytes + stanza.length > maxBytes)) {
            settle(oldest());
            evicted++;
        }
        Entry e = new Entry(room, next++, stanza, parsed, target, now, routedAt);
        byRoom.computeIfAbsent(room, r -> new ArrayDeque<>()).addLast(e);
        all.addLast(e);
        size++;
        bytes += stanza.length;
        return e.seq;
    }

    /** The entry {@code seq} of {@code room} was sent again, now to {@code target}. */
    void retarget(String room, long seq, String target) {
        Entry e = entry(room, seq);
        if (e != null) {
            e.target = target;
        }
    }

    /** The unsettled entry {@code seq} of {@code room}, or null (settled, evicted, expired, never recorded). */
    Entry entry(String room, long seq) {
        Deque<Entry> q = byRoom.get(room);
        if (q != null) {
            for (Entry e : q) { // in sequence order: the oldest, which an owner applies first, come first
                if (e.seq == seq) {
                    return e;
                }
                if (e.seq > seq) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Room {@code room} has every stanza up to {@code seq} applied (and backed up): returns how many entries that settled. */
    int acked(String room, long seq) {
        Deque<Entry> q = byRoom.get(room);
        int n = 0;
        while (q != null && !q.isEmpty() && q.peekFirst().seq <= seq) {
            settle(q.peekFirst());
            n++;
        }
        return n;
    }

    /** The entries last sent to a node that {@code gone} says has crashed, in sequence order (they stay until acknowledged). */
    List<Entry> stranded(Predicate<String> gone) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : all) {
            if (!e.settled && gone.test(e.target)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Drops the entries first sent before {@code now - maxAge}; returns how many. */
    int expire(long now) {
        int n = 0;
        Entry e;
        while ((e = oldest()) != null && now - e.firstSent > maxAgeNanos) {
            settle(e);
            n++;
        }
        return n;
    }

    /** The entry waiting longest, or null. */
    Entry oldestWaiting() {
        return oldest();
    }

    /** Entries waiting for their acknowledgement. */
    int size() {
        return size;
    }

    /** Their stanza bytes. */
    long bytes() {
        return bytes;
    }

    /** Entries dropped unacknowledged because the ledger was full. */
    long evicted() {
        return evicted;
    }

    private Entry oldest() {
        while (!all.isEmpty() && all.peekFirst().settled) {
            all.pollFirst();
        }
        return all.peekFirst();
    }

    private void settle(Entry e) {
        e.settled = true;
        Deque<Entry> q = byRoom.get(e.room);
        if (q != null && q.remove(e) && q.isEmpty()) {
            byRoom.remove(e.room);
        }
        size--;
        bytes -= e.bytes.length;
        while (!all.isEmpty() && all.peekFirst().settled) {
            all.pollFirst();
        }
        if (all.size() > 2 * size + 1024) { // an old entry waits while many newer ones settled
            all.removeIf(x -> x.settled);
        }
    }
}
