package org.palaver.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.palaver.xml.Jid;

/**
 * Stanzas held back for rooms whose ownership is moving to this node, until the handoff barrier
 * settles. Per room, stanzas routed under an older epoch (relayed by the previous owner) are
 * released before those routed under the current one: a sender's older stanzas took the longer
 * path through the previous owner, so arrival order alone could put a later stanza first. Within
 * each class the order is arrival order. Rooms are released in the order they were first held.
 *
 * @param <T> the held stanza
 */
final class StanzaBuffer<T> {
    private final Map<Jid, Deque<T>[]> byRoom = new LinkedHashMap<>();
    private int size;

    /** Holds {@code item} for {@code room}; {@code older}: routed under an epoch before the current one. */
    @SuppressWarnings("unchecked")
    void hold(Jid room, boolean older, T item) {
        Deque<T>[] queues = byRoom.computeIfAbsent(room, k -> new Deque[] {new ArrayDeque<>(), new ArrayDeque<>()});
        queues[older ? 0 : 1].addLast(item);
        size++;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Everything held, in release order, and empties the buffer. */
    List<T> drain() {
        List<T> out = new ArrayList<>(size);
        for (Deque<T>[] queues : byRoom.values()) {
            out.addAll(queues[0]);
            out.addAll(queues[1]);
        }
        byRoom.clear();
        size = 0;
        return out;
    }
}
