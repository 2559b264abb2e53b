package org.palaver.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stanzas that came back: a peer relayed a stanza here for a room that this node's view says the
 * peer itself owns. The two nodes route by different epochs for a few milliseconds (each learns a
 * new view from its own Hazelcast event); sending it straight back would bounce it between them
 * until one catches up, and a stanza relayed {@link StanzaRouter#MAX_HOPS} times is dropped. So it
 * waits here until the disagreement is over: the peer's next handoff marker (it has moved on to a
 * newer view), or this node's next view. Then it is routed again, before the marker is answered,
 * so the handoff barrier still sees it passed on in time (see docs/architecture.md, "Handoff protocol (planned moves)").
 *
 * <p>Per peer in arrival order. Pure: the caller runs it on the node's event loop.
 *
 * @param <T> the stanza waiting
 */
final class BouncedStanzas<T> {
    private final Map<String, Deque<T>> byPeer = new LinkedHashMap<>();
    private int size;

    /**
     * Keeps {@code item}, which {@code peer} relayed here although this node would send it to
     * {@code peer}; returns whether it is the first waiting for that peer (the caller then arms the
     * fallback that routes it again should no marker or view come).
     */
    boolean hold(String peer, T item) {
        Deque<T> q = byPeer.computeIfAbsent(peer, p -> new ArrayDeque<>());
        q.addLast(item);
        size++;
        return q.size() == 1;
    }

    /** What waits for {@code peer}, in arrival order, no longer kept. */
    List<T> release(String peer) {
        Deque<T> q = byPeer.remove(peer);
        if (q == null) {
            return List.of();
        }
        size -= q.size();
        return new ArrayList<>(q);
    }

    /** Everything waiting, peer by peer in the order they were first held, no longer kept. */
    List<T> releaseAll() {
        List<T> out = new ArrayList<>(size);
        byPeer.values().forEach(out::addAll);
        byPeer.clear();
        size = 0;
        return out;
    }

    int size() {
        return size;
    }
}
