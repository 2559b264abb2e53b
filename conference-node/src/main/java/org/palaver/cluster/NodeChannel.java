package org.palaver.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.function.Consumer;
import org.palaver.metrics.RefusedReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's end of the event bus: its address {@code palaver.node.<node id>}, where node
 * messages arrive, and the {@link PeerOutbox} that batches every message to another node per peer
 * and event-loop turn.
 */
final class NodeChannel {
    private static final Logger log = LoggerFactory.getLogger(NodeChannel.class);
    static final String ADDRESS_PREFIX = "palaver.node.";

    private final LocalNode node;
    private final PeerOutbox outbox;
    private Consumer<Buffer> receiver = body -> { };
    private MessageConsumer<Buffer> consumer;

    /** @param protocol which message kinds every member understands (a new kind is sent only when all do) */
    NodeChannel(LocalNode node, ClusterProtocol protocol) {
        this.node = node;
        this.outbox = new PeerOutbox(node.context(), node.vertx().eventBus(), node.self(), protocol::spoken,
                node.metrics());
    }

    static String address(String node) {
        return ADDRESS_PREFIX + node;
    }

    /** Registers this node's address; what arrives goes to {@code receiver}, undecoded. */
    void listen(Consumer<Buffer> receiver) {
        this.receiver = receiver;
        consumer = node.vertx().eventBus().consumer(address(node.self()), m -> this.receiver.accept(m.body()));
    }

    /** Completes once this node's address is known cluster-wide. */
    Future<Void> registered() {
        return consumer.completion();
    }

    /**
     * Registers this node's address again (after Hazelcast merged it back into the cluster, whose
     * members had removed its registration when they dropped it); completes when known cluster-wide.
     */
    Future<Void> registerAgain() {
        Promise<Void> done = Promise.promise();
        node.context().runOnContext(v -> consumer.unregister().onComplete(ar -> {
            listen(receiver);
            consumer.completion().onComplete(done);
        }));
        return done.future();
    }

    /** The messages in {@code body} (one, or a batch); none, counted and logged, when it does not decode. */
    List<NodeMessage> decode(Buffer body) {
        try {
            return NodeMessage.typeOf(body) == NodeMessage.Type.BATCH
                    ? NodeMessage.unbatch(body) : List.of(NodeMessage.decode(body));
        } catch (IllegalArgumentException e) {
            node.metrics().messageRefused(e instanceof NodeMessage.UnknownType ? RefusedReason.UNKNOWN_TYPE
                    : RefusedReason.MALFORMED);
            log.warn("refused a node message: {}", e.getMessage());
            return List.of();
        }
    }

    void send(String to, NodeMessage m) {
        outbox.send(to, m);
    }

    /** Node messages sent so far. */
    long messagesSent() {
        return outbox.messagesSent();
    }

    /** Event-bus messages that carried them. */
    long batchesSent() {
        return outbox.batchesSent();
    }

    /** Opens this event-loop turn's batches now, so that what is sent next leaves before the turn's router write. */
    void openTurn() {
        outbox.openTurn();
    }

    /** Runs {@code contributor} at the end of every turn that sends something, before its batches leave. */
    void atTurnEnd(Runnable contributor) {
        outbox.atTurnEnd(contributor);
    }
}
