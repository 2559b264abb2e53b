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
import java.util.function.BooleanSupplier;
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
import org.palaver.xml.ElementCodec;
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
    /** How often the event loop proves it runs ({@link Fence#tick}). */
    static final long TICK_MS = 200;
    /** Most stanzas and node messages kept while fenced. */
    static final int FENCE_CAPACITY = 100_000;

    private final Vertx vertx;
    private final Context context;
    private final LocalCore core;
    private final String self;
    private final String domain;
    private final ClusterMetrics metrics;
    private final long handoffTimeoutMs;
    private final Supplier<Collection<String>> members;
    private final ElementReader reader;
    private final XmlLimits limits;
    private final JidCache jids = new JidCache(4096);
    private final HandoffBarrier barrier = new HandoffBarrier();
    private final StanzaBuffer<Held> held = new StanzaBuffer<>();
    private final List<Waiter> waiters = new ArrayList<>();
    /** Backup copies and crash takeover; {@code null} with {@code <backups>0</backups>}. */
    private final Replication replication;
    private final ClusterOutputRelay output;
    private final Fence<Runnable> fence;
    private final BooleanSupplier leaving;
    private Runnable onFenced = () -> { };
    private volatile boolean fencedNow;
    private volatile long lastTick = System.nanoTime();
    /** The newest view delivered while fenced: applied when the fence lifts. */
    private OwnershipView pendingView = OwnershipView.EMPTY;
    private MessageConsumer<Buffer> consumer;
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
     * @param members      the current cluster members' node ids (thread-safe, non-blocking)
     * @param backups      backup copies per room: 0 (no replication), 1 or 2
     * @param stallLimitMs longest event loop stall after which this node must check that it still
     *                     owns its rooms before it acts ({@link Fence})
     * @param protocol     the protocol the cluster speaks
     * @param leaving      whether this node asked to leave the view (a view without it is then no surprise)
     */
    public ClusterRouting(Vertx vertx, LocalCore core, String self, ServiceSettings service, XmlLimits limits,
                          ClusterMetrics metrics, long handoffTimeoutMs, int backups,
                          Supplier<Collection<String>> members, long stallLimitMs, ClusterProtocol protocol,
                          BooleanSupplier leaving) {
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
        this.limits = limits;
        this.consumer = vertx.eventBus().consumer(address(self), m -> onMessage(m.body()));
        this.leaving = leaving;
        this.fence = new Fence<>(stallLimitMs * 1_000_000, FENCE_CAPACITY, System.nanoTime());
        vertx.setPeriodic(TICK_MS, id -> {
            long now = System.nanoTime();
            lastTick = now;
            if (fence.tick(now)) {
                fenceRaised();
            }
        });
        core.heartbeatGate(() -> !fence.fenced());
        metrics.bindEpoch(() -> published.epoch());
        metrics.bindFenced(() -> fencedNow ? 1 : 0);
        this.replication = backups == 0 ? null
                : new Replication(core, self, service, metrics, jids, () -> view, members, this::send, backups);
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
        if (fenced()) {
            holdFenced(() -> onStanza(via, stanza));
            return;
        }
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
                apply(key, e, bytes, via, placement);
            }
        } else if (hops >= MAX_HOPS) {
            log.error("dropped a stanza for {}: relayed {} times, the nodes disagree on its owner (epoch {})",
                    key, hops, view.epoch());
        } else {
            send(owner, forward(key, routedAt, hops, stanza, bytes));
            metrics.forwardedOut();
        }
    }

    /**
     * The stanza as a node message to its owner: in its parsed form when every member reads it (no
     * serialising here, no XML parsing there), else as XML ({@code bytes} when it came as XML).
     */
    private NodeMessage forward(String key, long routedAt, int hops, Element stanza, byte[] bytes) {
        if (stanza != null && protocol.allSpeak(NodeMessage.PARSED_PROTOCOL)) {
            return new NodeMessage(NodeMessage.Type.PARSED_STANZA, routedAt, self, hops, key, ElementCodec.encode(stanza));
        }
        byte[] xml = bytes != null ? bytes : StanzaBytes.of(stanza);
        return new NodeMessage(NodeMessage.Type.STANZA, routedAt, self, hops, key, xml);
    }

    /**
     * Applies a stanza to a room this node owns; its backups (from the same ranking that named the
     * owner, {@code placement}) get the same stanza as bytes taken before the core runs.
     */
    private void apply(String key, Element stanza, byte[] bytes, ComponentConnection via,
                       OwnershipView.Placement placement) {
        if (replication == null) {
            core.handle(via, stanza);
            return;
        }
        boolean parsed = protocol.allSpeak(NodeMessage.PARSED_PROTOCOL);
        byte[] change = parsed ? ElementCodec.encode(stanza) : bytes != null ? bytes : StanzaBytes.of(stanza);
        outbox.openTurn(); // the delta leaves before this turn's router write
        replication.applied(key, core.handle(via, stanza), change, parsed, placement);
    }

    /** The room is becoming ours and may still be elsewhere or have stanzas on their way. */
    private boolean moving(String key) {
        return !settled && !self.equals(previous.owner(key));
    }

    // ---- inbound from other nodes ---------------------------------------------------------

    private void onMessage(Buffer body) {
        if (fenced()) {
            holdFenced(() -> onMessage(body));
            return;
        }
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
        if (m.type() != NodeMessage.Type.STANZA && replication != null && replication.stale(m)) {
            metrics.staleRefused();
            log.info("refused a stale {} for {} from {} (epoch {}: sent before it was dropped from the view)",
                    m.type(), m.key(), m.sender(), m.epoch());
            return;
        }
        switch (m.type()) {
            case STANZA -> {
                metrics.forwardedIn();
                route(m.key(), m.epoch(), m.hops() + 1, null, m.payload(), null);
            }
            case PARSED_STANZA -> {
                metrics.forwardedIn();
                Element stanza = parsedStanza(m);
                if (stanza != null) {
                    route(m.key(), m.epoch(), m.hops() + 1, stanza, null, null);
                }
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
            case SNAPSHOT, DELTA, PARSED_DELTA, BEAT, DROP, RESYNC -> {
                if (replication != null) {
                    replication.onMessage(m);
                }
            }
            case BATCH -> log.warn("ignored a batch inside a batch from {}", m.sender());
        }
    }

    /** The stanza of a PARSED_STANZA, or null (logged and counted) when it does not decode within the limits. */
    private Element parsedStanza(NodeMessage m) {
        try {
            return ElementCodec.decode(m.payload(), limits);
        } catch (IllegalArgumentException e) {
            metrics.messageRefused(RefusedReason.BAD_PAYLOAD);
            log.warn("dropped a forwarded stanza for {} from {}: {} ({} bytes)", m.key(), m.sender(), e.getMessage(),
                    m.payload().length);
            return null;
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

    // ---- fencing --------------------------------------------------------------------------

    /** What a fenced node learnt from the stored view ({@link #resolveFence}). */
    public enum FenceCheck {
        /** Not fenced (any more): it owns its rooms under the stored view and serves again. */
        SERVING,
        /** Dropped from the view: its rooms are discarded, what waited went to the owners; it must rejoin. */
        DROPPED,
        /** It cannot tell yet (not with a majority of the view's members): stays fenced. */
        UNKNOWN
    }

    /** Whether this node is fenced (from the hot path: raises the fence after an event loop stall). */
    private boolean fenced() {
        if (fence.admits(System.nanoTime())) {
            return false;
        }
        if (!fencedNow) {
            fenceRaised();
        }
        return true;
    }

    private void holdFenced(Runnable item) {
        if (fence.hold(item)) {
            metrics.fencedHeld();
        } else {
            metrics.fencedOverflow();
            if (fence.overflowed() % 1000 == 1) {
                log.error("fenced for {} ms: {} stanza(s) and message(s) wait, dropped {} since",
                        (System.nanoTime() - fence.since()) / 1_000_000, fence.waiting(), fence.overflowed());
            }
        }
    }

    /** Fences this node (see {@link Fence}); any thread. Nothing is applied or written until it is resolved. */
    public void fence(String why) {
        context.runOnContext(v -> raiseFence(why));
    }

    private void raiseFence(String why) {
        if (fence.raise(why, System.nanoTime())) {
            fenceRaised();
        }
    }

    private void fenceRaised() {
        fencedNow = true;
        ready = false;
        metrics.fenced();
        log.warn("fenced: {}; applying and writing nothing until this node knows whether it still owns its {} room(s)"
                + " (ownership epoch {})", fence.reason(), core.roomCount(), view.epoch());
        onFenced.run();
    }

    /** Called on the node's context each time the fence goes up. */
    public void onFenced(Runnable action) {
        this.onFenced = action;
    }

    /** Whether this node is fenced now; any thread. */
    public boolean isFenced() {
        return fencedNow;
    }

    /** Nano time since the event loop last proved it runs; any thread. */
    public long sinceTickNanos() {
        return System.nanoTime() - lastTick;
    }

    /** Nano time since the fence went up, 0 when not fenced; any thread (approximate). */
    public long fencedForNanos() {
        return fencedNow ? System.nanoTime() - fence.since() : 0;
    }

    /**
     * Checks a fenced node against {@code stored}, the view read from the cluster, and
     * {@code alive}, the members its Hazelcast sees; on the node's context. With a majority of
     * the stored view's members in sight the stored view is the cluster's: if it has this node,
     * the node serves on under it; if not, the node was dropped ({@link FenceCheck#DROPPED}).
     */
    public Future<FenceCheck> resolveFence(OwnershipView stored, Collection<String> alive) {
        Promise<FenceCheck> outcome = Promise.promise();
        context.runOnContext(v -> outcome.complete(resolve(stored, alive)));
        return outcome.future();
    }

    private FenceCheck resolve(OwnershipView stored, Collection<String> alive) {
        if (!fence.fenced()) {
            return FenceCheck.SERVING;
        }
        OwnershipView newest = stored.epoch() >= pendingView.epoch() ? stored : pendingView;
        if (stored.members().isEmpty() || !Fence.quorum(stored, alive) || !alive.contains(self)) {
            return FenceCheck.UNKNOWN;
        }
        Duration fencedFor = Duration.ofNanos(System.nanoTime() - fence.since());
        if (stored.contains(self) && newest.contains(self)) {
            log.info("fence lifted after {} ms: still an owner under epoch {}; replaying {} waiting stanza(s) and message(s)",
                    fencedFor.toMillis(), newest.epoch(), fence.waiting());
            pendingView = OwnershipView.EMPTY;
            List<Runnable> waiting = fence.lift(System.nanoTime());
            fencedNow = false;
            if (newest.epoch() > view.epoch()) {
                viewChanged(newest);
            } else {
                ready = settled && view.contains(self);
            }
            waiting.forEach(Runnable::run);
            return FenceCheck.SERVING;
        }
        droppedFrom(newest);
        return FenceCheck.DROPPED;
    }

    /**
     * This node was dropped from the view: the rooms it held are owned under the newer epoch by
     * other nodes (from their backup copies, or anew), so its own copies are discarded before
     * anything else runs; then everything that waited at the fence is routed by {@code current},
     * i.e. passed to the rooms' owners. The caller rejoins the view as a new member.
     */
    private void droppedFrom(OwnershipView current) {
        int discarded = 0;
        for (Jid key : core.roomKeys()) {
            if (core.exportRoom(key) != null) {
                discarded++;
            }
        }
        if (replication != null) {
            replication.reset();
            replication.present(OwnershipView.EMPTY, current); // it saw them leave from its side of the split
            replication.refuseBefore(current.epoch());
        }
        metrics.roomsDiscarded(discarded);
        List<Held> stranded = held.drain();
        previous = current;
        view = current;
        published = current;
        pendingView = OwnershipView.EMPTY;
        settled = true;
        ready = false;
        cancelTimeout();
        List<Runnable> waiting = fence.lift(System.nanoTime());
        fencedNow = false;
        log.warn("dropped from the ownership view (now epoch {}, {} member(s)): discarded {} room(s) (served from their"
                        + " copies under the newer epoch); passing {} waiting stanza(s) and message(s) to the owners",
                current.epoch(), current.members().size(), discarded, waiting.size() + stranded.size());
        stranded.forEach(this::reroute);
        waiting.forEach(Runnable::run);
        metrics.fencedPassedOn(waiting.size() + stranded.size());
    }

    /**
     * Registers this node's address again (after Hazelcast merged it back into the cluster, whose
     * members had removed its registration when they dropped it); completes when known cluster-wide.
     */
    public Future<Void> registerAgain() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> consumer.unregister().onComplete(ar -> {
            consumer = vertx.eventBus().consumer(address(self), m -> onMessage(m.body()));
            consumer.completion().onComplete(done);
        }));
        return done.future();
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
            if (replication != null && replication.departed(node) && !fence.fenced()) { // it crashed after it had left the view
                replication.promoteCrashed(previous);
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
        if (fence.fenced()) { // applied once this node knows where it stands
            if (next.epoch() > pendingView.epoch()) {
                pendingView = next;
            }
            return;
        }
        if (view.contains(self) && !next.contains(self) && !leaving.getAsBoolean()) {
            raiseFence("the ownership view of epoch " + next.epoch() + " no longer has this node");
            droppedFrom(next);
            return;
        }
        if (replication != null) {
            replication.present(view, next);
        }
        List<Held> stranded = held.drain(); // from an earlier change that had not settled: routed anew
        previous = view;
        view = next;
        published = next;
        ready = false;
        settled = false;
        changeStarted = System.nanoTime();
        int promoted = replication == null ? 0 : replication.promoteCrashed(previous);
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
        if (fence.fenced()) {
            return; // the fence's resolution applies or discards the change
        }
        if (barrier.takeDoneDue()) {
            barrier.peers().forEach(p -> send(p, NodeMessage.marker(NodeMessage.Type.DONE, barrier.epoch(), self)));
        }
        if (!settled && barrier.epoch() == view.epoch() && barrier.settled()) {
            settle();
        }
    }

    private void timedOut(long at) {
        timeoutTimer = -1;
        if (!settled && view.epoch() == at && !fence.fenced()) {
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

    /** Node messages sent to other nodes so far (the cluster warm-up's report); any thread (approximate). */
    long nodeMessagesSent() {
        return outbox.messagesSent();
    }

    /** Runs {@code action} on the node's context. */
    void onContext(Runnable action) {
        context.runOnContext(v -> action.run());
    }

    private void send(String node, NodeMessage m) {
        outbox.send(node, m);
    }
}
