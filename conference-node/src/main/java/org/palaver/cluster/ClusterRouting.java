package org.palaver.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.palaver.component.ComponentConnection;
import org.palaver.component.Ingress;
import org.palaver.component.LocalCore;
import org.palaver.core.RoomState;
import org.palaver.core.ServiceSettings;
import org.palaver.ops.metrics.ClusterMetrics;
import org.palaver.ops.metrics.RefusedReason;
import org.palaver.xml.Element;
import org.palaver.xml.ElementReader;
import org.palaver.xml.Jid;
import org.palaver.xml.JidCache;
import org.palaver.xml.StanzaBytes;
import org.palaver.xml.XmlLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster shell around one node's core, on the node's event loop: decides per stanza whether
 * this node applies it (it owns the room under the current {@link OwnershipView}), holds it (the
 * room is moving here and the handoff has not settled), or forwards it to the owner over the event
 * bus; receives forwarded stanzas, rooms handed over and handoff markers on its own address
 * {@code palaver.node.<node id>}; and on an ownership change hands off every room it no longer
 * owns and runs the {@link HandoffBarrier}.
 *
 * <p>With backups on, every stanza it applies also goes to {@link Replication}, and when a node
 * that crashed leaves the view the copies of that node's rooms are promoted into this node's core
 * before anything is handed off or the stanzas held for them are released.
 *
 * <p>While this node has no authenticated router connection its core's output goes to another
 * node through the {@link ClusterOutputRelay}, which also writes the output other nodes relay here.
 *
 * <p>Stanzas to the service itself (no node in {@code to}) are applied by the receiving node.
 * Every method runs on the node's context; {@link #deliverView} and {@link #memberGone} may be
 * called from any thread and hop onto it.
 */
public final class ClusterRouting implements Ingress {
    private static final Logger log = LoggerFactory.getLogger(ClusterRouting.class);
    static final String ADDRESS_PREFIX = "palaver.node.";
    /** A stanza relayed this often is circling between nodes that disagree on the view. */
    static final int MAX_HOPS = 8;

    private final Vertx vertx;
    private final Context context;
    private final LocalCore core;
    private final String self;
    private final String domain;
    private final ClusterMetrics metrics;
    private final long handoffTimeoutMs;
    private final Supplier<Collection<String>> members;
    private final ElementReader reader;
    private final JidCache jids = new JidCache(4096);
    private final HandoffBarrier barrier = new HandoffBarrier();
    private final StanzaBuffer<Held> held = new StanzaBuffer<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final MessageConsumer<Buffer> consumer;
    /** Backup copies and crash takeover; {@code null} with {@code <backups>0</backups>}. */
    private final Replication replication;
    private final ClusterOutputRelay output;
    /** Which message kinds every member understands (a new kind is sent only when all do). */
    private final ClusterProtocol protocol;
    /** Every message to another node, batched per peer and event-loop turn. */
    private final PeerOutbox outbox;

    private OwnershipView view = OwnershipView.EMPTY;
    private OwnershipView previous = OwnershipView.EMPTY;
    private boolean settled;
    private volatile boolean ready;
    private volatile OwnershipView published = OwnershipView.EMPTY;
    private long changeStarted;
    private long timeoutTimer = -1;

    /** A stanza held back, with what is needed to route it again. */
    private record Held(String key, long epoch, int hops, Element stanza, byte[] bytes, ComponentConnection via) {
    }

    private record Waiter(Predicate<OwnershipView> condition, Promise<Void> promise) {
    }

    /**
     * Registers this node's address; must be created on the node's context (its verticle start).
     *
     * @param members the current cluster members' node ids (thread-safe, non-blocking)
     * @param backups backup copies per room: 0 (no replication) or 1
     * @param protocol the protocol the cluster speaks
     */
    public ClusterRouting(Vertx vertx, LocalCore core, String self, ServiceSettings service, XmlLimits limits,
                          ClusterMetrics metrics, long handoffTimeoutMs, int backups,
                          Supplier<Collection<String>> members, ClusterProtocol protocol) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.core = core;
        this.self = self;
        this.domain = service.domain().toLowerCase(Locale.ROOT);
        this.metrics = metrics;
        this.handoffTimeoutMs = handoffTimeoutMs;
        this.members = members;
        this.protocol = protocol;
        this.outbox = new PeerOutbox(context, vertx.eventBus(), self, protocol::spoken, metrics);
        this.reader = new ElementReader(limits);
        this.consumer = vertx.eventBus().consumer(address(self), m -> onMessage(m.body()));
        metrics.bindEpoch(() -> published.epoch());
        this.replication = backups == 0 ? null
                : new Replication(core, self, service, metrics, jids, () -> view, members, this::send);
        this.output = new ClusterOutputRelay(core, self, () -> view, members, metrics, reader, jids, this::send);
        core.relayOutputTo(output);
    }

    static String address(String node) {
        return ADDRESS_PREFIX + node;
    }

    /** Completes once this node's address is known cluster-wide (before asking for ownership). */
    public Future<Void> registered() {
        return consumer.completion();
    }

    /** This node is in the view it routes by and that view has settled (readiness); any thread. */
    public boolean ready() {
        return ready;
    }

    /** The view this node routes by; any thread. */
    public OwnershipView view() {
        return published;
    }

    // ---- inbound from the router ----------------------------------------------------------

    @Override
    public void onStanza(ComponentConnection via, Element stanza) {
        Jid to = jids.parse(stanza.attr("to"));
        if (to == null || !to.hasNode() || !to.domainIs(domain)) {
            core.handle(via, stanza); // the service itself, or for the core to refuse
            return;
        }
        route(to.roomKey().toString(), view.epoch(), 0, stanza, null, via);
    }

    /**
     * Applies, holds or forwards one stanza for room {@code key}, routed under {@code routedAt}.
     * Either {@code stanza} or {@code bytes} is given; the other is made only when needed.
     */
    private void route(String key, long routedAt, int hops, Element stanza, byte[] bytes, ComponentConnection via) {
        OwnershipView.Placement placement = view.placement(key);
        String owner = placement.owner();
        if (owner == null || owner.equals(self) && moving(key)) {
            held.hold(key, routedAt < view.epoch(), new Held(key, routedAt, hops, stanza, bytes, via));
            metrics.stanzaHeld();
        } else if (owner.equals(self)) {
            Element e = stanza != null ? stanza : reader.read(bytes);
            if (e == null) {
                log.warn("dropped a forwarded stanza for {} that does not parse ({} bytes)", key, bytes.length);
            } else {
                apply(key, e, bytes, via, placement.backup());
            }
        } else if (hops >= MAX_HOPS) {
            log.error("dropped a stanza for {}: relayed {} times, the nodes disagree on its owner (epoch {})",
                    key, hops, view.epoch());
        } else {
            byte[] payload = bytes != null ? bytes : StanzaBytes.of(stanza);
            send(owner, new NodeMessage(NodeMessage.Type.STANZA, routedAt, self, hops, key, payload));
            metrics.forwardedOut();
        }
    }

    /**
     * Applies a stanza to a room this node owns; its {@code backup} (from the same ranking that
     * named the owner) gets the same stanza as bytes taken before the core runs.
     */
    private void apply(String key, Element stanza, byte[] bytes, ComponentConnection via, String backup) {
        if (replication == null) {
            core.handle(via, stanza);
            return;
        }
        byte[] change = bytes != null ? bytes : StanzaBytes.of(stanza);
        replication.applied(key, core.handle(via, stanza), change, backup);
    }

    /** The room is becoming ours and may still be elsewhere or have stanzas on their way. */
    private boolean moving(String key) {
        return !settled && !self.equals(previous.owner(key));
    }

    // ---- inbound from other nodes ---------------------------------------------------------

    private void onMessage(Buffer body) {
        List<NodeMessage> messages;
        try {
            messages = NodeMessage.typeOf(body) == NodeMessage.Type.BATCH
                    ? NodeMessage.unbatch(body) : List.of(NodeMessage.decode(body));
        } catch (IllegalArgumentException e) {
            metrics.messageRefused(e instanceof NodeMessage.UnknownType ? RefusedReason.UNKNOWN_TYPE
                    : RefusedReason.MALFORMED);
            log.warn("refused a node message: {}", e.getMessage());
            return;
        }
        messages.forEach(this::onMessage);
    }

    private void onMessage(NodeMessage m) {
        switch (m.type()) {
            case STANZA -> {
                metrics.forwardedIn();
                route(m.key(), m.epoch(), m.hops() + 1, null, m.payload(), null);
            }
            case HANDOFF -> takeOver(m);
            case FLUSH -> {
                barrier.flushFrom(m.sender(), m.epoch());
                progress();
            }
            case DONE -> {
                barrier.doneFrom(m.sender(), m.epoch());
                progress();
            }
            case OUTPUT -> output.onMessage(m);
            case SNAPSHOT, DELTA, BEAT, DROP, RESYNC -> {
                if (replication != null) {
                    replication.onMessage(m);
                }
            }
            case BATCH -> log.warn("ignored a batch inside a batch from {}", m.sender());
        }
    }

    private void takeOver(NodeMessage m) {
        String owner = view.owner(m.key());
        if (owner != null && !owner.equals(self)) {
            log.info("passing room {} from {} on to {} (epoch {})", m.key(), m.sender(), owner, view.epoch());
            send(owner, m.relayedBy(self));
            return;
        }
        RoomState state;
        try {
            state = RoomState.decode(m.payload());
        } catch (IllegalArgumentException e) {
            metrics.messageRefused(RefusedReason.BAD_PAYLOAD);
            log.error("room {} from {} is lost: its state does not decode: {}", m.key(), m.sender(), e.getMessage());
            return;
        }
        try {
            core.importRoom(state);
        } catch (IllegalStateException e) {
            log.error("room {} from {} (epoch {}) conflicts with the room of that name held here; kept ours: {}",
                    m.key(), m.sender(), m.epoch(), e.getMessage());
            return;
        }
        metrics.roomTakenOver();
        log.info("took over room {} from {} (epoch {}, {} bytes)", m.key(), m.sender(), m.epoch(), m.payload().length);
        if (replication != null) {
            replication.establish(state.room());
        }
    }

    // ---- ownership changes ----------------------------------------------------------------

    /** A view read from the cluster; applied on the node's context if newer than the current one. */
    public void deliverView(OwnershipView next) {
        context.runOnContext(v -> viewChanged(next));
    }

    /** A cluster member left: the barrier stops waiting for it. Any thread. */
    public void memberGone(String node) {
        context.runOnContext(v -> {
            barrier.gone(node);
            if (replication != null && replication.departed(node)) { // it crashed after it had left the view
                replication.promoteCrashed();
                handOff();
                replication.establishAll();
            }
            progress();
        });
    }

    private void viewChanged(OwnershipView next) {
        if (next.epoch() <= view.epoch()) {
            return;
        }
        List<Held> stranded = held.drain(); // from an earlier change that had not settled: routed anew
        previous = view;
        view = next;
        published = next;
        ready = false;
        settled = false;
        changeStarted = System.nanoTime();
        int promoted = replication == null ? 0 : replication.promoteCrashed();
        int handedOff = handOff();
        if (replication != null) {
            replication.establishAll();
        }
        Set<String> peers = peers(previous, next);
        barrier.start(next.epoch(), peers);
        peers.forEach(p -> send(p, NodeMessage.marker(NodeMessage.Type.FLUSH, next.epoch(), self)));
        log.info("ownership epoch {}: {} member(s){}; took over {} and handed off {} room(s); waiting for {} peer(s)",
                next.epoch(), next.members().size(), next.contains(self) ? "" : " (not this node)",
                promoted, handedOff, peers.size());
        stranded.forEach(this::reroute);
        cancelTimeout();
        timeoutTimer = vertx.setTimer(handoffTimeoutMs, id -> timedOut(next.epoch()));
        progress();
    }

    /**
     * The nodes this change concerns: the other members of both views that are still in the
     * cluster. A node in neither view holds no room and is owed none, so it waits for nobody (and
     * nobody waits for it).
     */
    private Set<String> peers(OwnershipView before, OwnershipView after) {
        Set<String> peers = new LinkedHashSet<>();
        if (before.contains(self) || after.contains(self)) {
            peers.addAll(before.members());
            peers.addAll(after.members());
            peers.remove(self);
            peers.retainAll(Set.copyOf(members.get()));
        }
        return peers;
    }

    /** Exports every room this node no longer owns to its new owner; returns how many. */
    private int handOff() {
        int n = 0;
        for (Jid key : core.roomKeys()) {
            String owner = view.owner(key);
            if (owner == null) {
                log.warn("room {} is lost: no node owns rooms any more", key);
                continue;
            }
            if (owner.equals(self)) {
                continue;
            }
            long t0 = System.nanoTime();
            RoomState state = core.exportRoom(key);
            if (state == null) {
                continue;
            }
            if (replication != null) {
                replication.left(key.toString());
            }
            byte[] bytes = state.bytes();
            send(owner, new NodeMessage(NodeMessage.Type.HANDOFF, view.epoch(), self, 0, key.toString(), bytes));
            metrics.roomHandedOff();
            n++;
            log.info("handed room {} to {} (epoch {}, {} bytes, {} µs)", key, owner, view.epoch(), bytes.length,
                    (System.nanoTime() - t0) / 1000);
        }
        return n;
    }

    private void progress() {
        if (barrier.takeDoneDue()) {
            barrier.peers().forEach(p -> send(p, NodeMessage.marker(NodeMessage.Type.DONE, barrier.epoch(), self)));
        }
        if (!settled && barrier.epoch() == view.epoch() && barrier.settled()) {
            settle();
        }
    }

    private void timedOut(long at) {
        timeoutTimer = -1;
        if (!settled && view.epoch() == at) {
            log.warn("ownership epoch {} did not settle within {} ms: no DONE from {}; releasing {} held stanza(s)",
                    at, handoffTimeoutMs, barrier.awaiting(), held.size());
            settle();
        }
    }

    private void settle() {
        settled = true;
        cancelTimeout();
        Duration took = Duration.ofNanos(System.nanoTime() - changeStarted);
        metrics.handoffSettled(took);
        int released = held.size();
        log.info("ownership epoch {} settled in {} ms; releasing {} held stanza(s); {} room(s) here",
                view.epoch(), took.toMillis(), released, core.roomCount());
        held.drain().forEach(this::reroute);
        ready = view.contains(self);
        List<Waiter> due = new ArrayList<>();
        waiters.removeIf(w -> w.condition.test(view) && due.add(w));
        due.forEach(w -> w.promise.tryComplete());
    }

    private void reroute(Held h) {
        route(h.key(), h.epoch(), h.hops(), h.stanza(), h.bytes(), h.via());
    }

    private void cancelTimeout() {
        if (timeoutTimer != -1) {
            vertx.cancelTimer(timeoutTimer);
            timeoutTimer = -1;
        }
    }

    /** Completes on the node's context once a view meeting {@code condition} has settled. */
    public Future<Void> settledWhen(Predicate<OwnershipView> condition) {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            if (settled && condition.test(view)) {
                p.tryComplete();
            } else {
                waiters.add(new Waiter(condition, p));
            }
        });
        return p.future();
    }

    /** Runs {@code action} on the node's context. */
    void onContext(Runnable action) {
        context.runOnContext(v -> action.run());
    }

    private void send(String node, NodeMessage m) {
        outbox.send(node, m);
    }
}
