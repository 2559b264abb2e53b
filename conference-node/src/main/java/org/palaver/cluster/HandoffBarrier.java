package org.palaver.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The two-round barrier that ends an ownership change at one node (see docs/architecture.md,
 * "Handoff"). For epoch e, the peers are the other nodes of the previous and the new view that are
 * still cluster members. Each node, once it has applied e (handed off the rooms it no longer
 * owns), sends FLUSH(e) to its peers; it sends DONE(e) once it has FLUSH(e) from every peer, which
 * proves that every stanza any peer routed to it under an older epoch has been applied or passed
 * on. The change is settled here once DONE(e) came from every peer: no room this node now owns can
 * still be elsewhere, and no stanza routed under an older epoch can still be on its way.
 *
 * <p>Markers may arrive before this node applies e (a peer was quicker), so receipts are kept
 * per peer as the highest epoch seen. Pure bookkeeping, no I/O: the caller sends the markers.
 */
final class HandoffBarrier {
    private final Map<String, Long> flushed = new HashMap<>();
    private final Map<String, Long> done = new HashMap<>();
    private long epoch = -1;
    private Set<String> peers = Set.of();
    private boolean doneSent;

    /** Starts the barrier of {@code epoch} with {@code peers} (this node excluded). */
    void start(long epoch, Set<String> peers) {
        this.epoch = epoch;
        this.peers = new HashSet<>(peers);
        this.doneSent = false;
    }

    long epoch() {
        return epoch;
    }

    Set<String> peers() {
        return Set.copyOf(peers);
    }

    void flushFrom(String peer, long e) {
        flushed.merge(peer, e, Math::max);
    }

    void doneFrom(String peer, long e) {
        done.merge(peer, e, Math::max);
    }

    /** A peer left the cluster (crashed, or left after its own handoff): stop waiting for it. */
    void gone(String peer) {
        peers.remove(peer);
        flushed.remove(peer);
        done.remove(peer);
    }

    /**
     * Whether this node should send DONE now: every peer's FLUSH is in, and DONE was not sent yet
     * for this epoch (the call marks it sent).
     */
    boolean takeDoneDue() {
        if (doneSent || epoch < 0 || !all(flushed)) {
            return false;
        }
        doneSent = true;
        return true;
    }

    /** Every peer's DONE is in (and this node's own DONE went out). */
    boolean settled() {
        return epoch >= 0 && doneSent && all(done);
    }

    /** Peers whose DONE is missing, for the log when waiting takes too long. */
    Set<String> awaiting() {
        Set<String> missing = new HashSet<>();
        for (String p : peers) {
            if (done.getOrDefault(p, -1L) < epoch) {
                missing.add(p);
            }
        }
        return missing;
    }

    private boolean all(Map<String, Long> receipts) {
        for (String p : peers) {
            if (receipts.getOrDefault(p, -1L) < epoch) {
                return false;
            }
        }
        return true;
    }
}
