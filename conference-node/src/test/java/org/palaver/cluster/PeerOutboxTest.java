package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.palaver.metrics.ClusterMetrics;

/** Batching per peer and event-loop turn on a real (local) Vert.x event bus. */
class PeerOutboxTest {
    private Vertx vertx;
    private Context context;
    private final AtomicInteger spoken = new AtomicInteger(NodeMessage.BATCH_PROTOCOL);
    private final List<Buffer> atB = new CopyOnWriteArrayList<>();
    private final List<Buffer> atC = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private PeerOutbox outbox;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        context.runOnContext(v -> {
            vertx.eventBus().<Buffer>consumer(NodeChannel.address("b"), m -> atB.add(m.body()));
            vertx.eventBus().<Buffer>consumer(NodeChannel.address("c"), m -> atC.add(m.body()));
            outbox = new PeerOutbox(context, vertx.eventBus(), "a", spoken::get, new ClusterMetrics(registry));
            ready.complete(null);
        });
        ready.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static NodeMessage stanza(int i) {
        return new NodeMessage(NodeMessage.Type.STANZA, 1, "a", 0, "room" + (i % 3) + "@conference.localhost",
                ("<message id='" + i + "'/>").getBytes());
    }

    /** Sends {@code messages} to b (and one marker to c) in one event-loop turn; waits until b received them all. */
    private void sendInOneTurn(List<NodeMessage> messages) throws Exception {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        context.runOnContext(v -> {
            messages.forEach(m -> outbox.send("b", m));
            outbox.send("c", NodeMessage.marker(NodeMessage.Type.FLUSH, 1, "a"));
            sent.complete(null);
        });
        sent.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received(atB).size() < messages.size() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static List<NodeMessage> received(List<Buffer> buffers) {
        List<NodeMessage> out = new ArrayList<>();
        for (Buffer b : List.copyOf(buffers)) {
            if (NodeMessage.typeOf(b) == NodeMessage.Type.BATCH) {
                out.addAll(NodeMessage.unbatch(b));
            } else {
                out.add(NodeMessage.decode(b));
            }
        }
        return out;
    }

    private static List<String> payloads(List<NodeMessage> ms) {
        return ms.stream().map(m -> new String(m.payload())).toList();
    }

    @Test
    void oneTurnsMessagesToAPeerLeaveAsOneBatchInOrder() throws Exception {
        List<NodeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(stanza(i));
        }
        sendInOneTurn(sent);
        assertEquals(1, atB.size(), "one event-bus message for the turn");
        assertEquals(NodeMessage.Type.BATCH, NodeMessage.typeOf(atB.get(0)));
        assertEquals(payloads(sent), payloads(received(atB)), "every message, in send order");
        assertEquals(1, atC.size());
        assertEquals(NodeMessage.Type.FLUSH, NodeMessage.typeOf(atC.get(0)), "a single message goes as it is");
        assertEquals(51, outbox.messagesSent());
        assertEquals(2, outbox.batchesSent());
        assertEquals(51, registry.get("palaver.cluster.sent").tag("unit", "node-message").counter().count());
        assertEquals(2, registry.get("palaver.cluster.sent").tag("unit", "event-bus").counter().count());
    }

    @Test
    void aLargeTurnIsSplitInOrderAndNothingIsLost() throws Exception {
        List<NodeMessage> sent = new ArrayList<>();
        byte[] big = new byte[10_000];
        for (int i = 0; i < 100; i++) {
            sent.add(new NodeMessage(NodeMessage.Type.DELTA, 1, "a", 0, "r@c", (i + ":" + new String(big)).getBytes()));
        }
        sendInOneTurn(sent);
        assertTrue(atB.size() >= 100 * 10_000 / PeerOutbox.MAX_BATCH_BYTES, "split past the bound: " + atB.size());
        assertTrue(atB.size() < 100, "still batched: " + atB.size());
        assertEquals(payloads(sent), payloads(received(atB)), "every message, in send order");
    }

    /** A member of release 0.1.0 in the cluster: it cannot read BATCH, so every message goes on its own. */
    @Test
    void whileAnOlderMemberIsPresentMessagesGoOneByOneInTheOldFormat() throws Exception {
        spoken.set(ClusterProtocol.FIRST);
        List<NodeMessage> sent = List.of(stanza(1), stanza(2), stanza(3));
        sendInOneTurn(sent);
        assertEquals(3, atB.size());
        for (Buffer b : atB) {
            assertEquals(NodeMessage.Type.STANZA, NodeMessage.typeOf(b));
        }
        assertEquals(payloads(sent), payloads(received(atB)));
    }

    /** What a contributor adds at the end of the turn (the turn's acknowledgements) leaves in the turn's batch. */
    @Test
    void whatIsAddedAtTheTurnsEndLeavesInTheSameBatch() throws Exception {
        List<NodeMessage> late = List.of(stanza(98), stanza(99));
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Void> added = new CompletableFuture<>();
        context.runOnContext(v -> {
            outbox.atTurnEnd(() -> {
                if (runs.getAndIncrement() == 0) {
                    late.forEach(m -> outbox.send("b", m));
                }
            });
            added.complete(null);
        });
        added.get(10, TimeUnit.SECONDS);
        List<NodeMessage> sent = List.of(stanza(1), stanza(2), stanza(3));
        List<NodeMessage> all = new ArrayList<>(sent);
        all.addAll(late);
        sendInOneTurn(all.subList(0, sent.size()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received(atB).size() < all.size() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, atB.size(), "the turn's messages and what came at its end: one event-bus message");
        assertEquals(payloads(all), payloads(received(atB)), "what came at the end follows the turn's messages");
    }
}
