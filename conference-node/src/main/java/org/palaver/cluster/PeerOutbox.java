package org.palaver.cluster;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.palaver.metrics.ClusterMetrics;

/**
 * A node's messages to other nodes, collected per receiving node during one event-loop turn and
 * sent at its end: one event-bus message per peer and turn ({@link NodeMessage.Type#BATCH}) instead
 * of one per stanza, as {@code WriteBatch} does for the router. The clustered event bus encodes,
 * frames and writes every message on its own, so its cost is per message, not per byte.
 *
 * <p>Order: every message to a peer goes through here, in send order, and each peer's queue leaves
 * as one batch (or, past {@link #MAX_BATCH_BYTES}, as several in order), so the point-to-point FIFO
 * the handoff and replication rely on holds. A turn with a single message for a peer sends it as
 * it is; while some member does not speak {@link NodeMessage#BATCH_PROTOCOL} (a release 0.1.0
 * node in a rolling upgrade) every message goes on its own, in the 0.1.0 format.
 *
 * <p>Runs on the node's event loop only.
 */
final class PeerOutbox {
    /** A peer's queue is sent at once when it grows past this many bytes. */
    static final int MAX_BATCH_BYTES = 256 * 1024;

    private final Context context;
    private final EventBus bus;
    private final String self;
    private final IntSupplier spoken;
    private final ClusterMetrics metrics;
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    /** What adds its turn's messages as the turn ends, before the batches leave. */
    private final List<Runnable> turnEnd = new ArrayList<>();
    private boolean flushScheduled;
    private long batchesSent;
    private long messagesSent;

    private static final class Queue {
        final List<NodeMessage> messages = new ArrayList<>();
        int bytes;
    }

    /**
     * @param spoken the protocol the cluster speaks now (the lowest among its members)
     */
    PeerOutbox(Context context, EventBus bus, String self, IntSupplier spoken, ClusterMetrics metrics) {
        this.context = context;
        this.bus = bus;
        this.self = self;
        this.spoken = spoken;
        this.metrics = metrics;
    }

    /** Queues {@code m} for {@code node}; it leaves at the end of this turn, after what was queued before. */
    void send(String node, NodeMessage m) {
        Queue q = queues.computeIfAbsent(node, n -> new Queue());
        q.messages.add(m);
        q.bytes += m.size() + 4;
        if (q.bytes >= MAX_BATCH_BYTES) {
            flush(node, q);
        }
        openTurn();
    }

    /**
     * Schedules this turn's flush now, if not yet: called before a stanza is applied, so that its
     * delta leaves for the backups before the router write of the same turn (scheduled when the
     * core writes its output) and a crash between the two does not leave the occupants with a
     * message the backups never got.
     */
    void openTurn() {
        if (!flushScheduled) {
            flushScheduled = true;
            context.runOnContext(v -> flush());
        }
    }

    /**
     * Has {@code contributor} run at the end of every turn that sends something, before the
     * batches leave, so that what it sends then (the turn's acknowledgements) travels in them
     * rather than in a second event-bus message per peer.
     */
    void atTurnEnd(Runnable contributor) {
        turnEnd.add(contributor);
    }

    /** Sends everything queued, peer by peer (the end of the turn). */
    void flush() {
        turnEnd.forEach(Runnable::run); // still scheduled: what they send joins this turn's queues
        flushScheduled = false;
        queues.forEach(this::flush);
        queues.clear(); // a peer that left keeps no queue
    }

    private void flush(String node, Queue q) {
        List<NodeMessage> ms = q.messages;
        if (ms.isEmpty()) {
            return;
        }
        String address = NodeChannel.address(node);
        int sends;
        if (ms.size() == 1 || spoken.getAsInt() < NodeMessage.BATCH_PROTOCOL) {
            ms.forEach(m -> bus.send(address, m.encode()));
            sends = ms.size();
        } else {
            bus.send(address, NodeMessage.batch(self, ms, q.bytes));
            sends = 1;
        }
        batchesSent += sends;
        messagesSent += ms.size();
        metrics.sent(ms.size(), sends);
        ms.clear();
        q.bytes = 0;
    }

    /** Event-bus messages sent so far; fewer than {@link #messagesSent()} when batching works. */
    long batchesSent() {
        return batchesSent;
    }

    /** Node messages sent so far. */
    long messagesSent() {
        return messagesSent;
    }
}
