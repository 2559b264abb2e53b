package org.palaver.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.palaver.component.Ingress;
import org.palaver.core.ServiceSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster shell around one node's core: builds its parts, hands each node message arriving at
 * the node's address to the part it concerns, and applies what the cluster decides (a new
 * ownership view, a member gone, the outcome of a fence check) by driving the parts in order.
 * The parts, one job each:
 * <ul>
 *   <li>{@link NodeChannel}: the node's address and its batched messages to peers;
 *   <li>{@link CurrentView}: the ownership view the node routes by, and whether it has settled;
 *   <li>{@link StanzaRouter}: per stanza, apply here, hold, or forward to the room's owner;
 *   <li>{@link RoomHandoff}: rooms in and out of the core (handoff, takeover, crash promotion);
 *   <li>{@link OwnershipChange}: the handoff barrier, its timeout and who waits for it to settle;
 *   <li>{@link Fencing}: nothing is applied or written while the node may have lost its rooms;
 *   <li>{@link Replication}: backups of the rooms (with backups on);
 *   <li>{@link ClusterOutputRelay}: the core's output through another node while this one has no router.
 * </ul>
 * Every method runs on the node's context; {@link #deliverView}, {@link #memberGone} and
 * {@link #fence} may be called from any thread and hop onto it.
 */
public final class ClusterRouting {
    private static final Logger log = LoggerFactory.getLogger(ClusterRouting.class);

    private final LocalNode node;
    private final CurrentView view;
    private final NodeChannel channel;
    /** Forwarded stanzas kept until acknowledged and resent after a crash; the marks that drop a second copy. */
    private final Resend resend;
    private final Fencing fencing;
    /** Backups and crash takeover; {@code null} with {@code <backups>0</backups>}. */
    private final Replication replication;
    private final StanzaRouter router;
    private final RoomHandoff rooms;
    private final OwnershipChange change;
    private final ClusterOutputRelay output;
    private final BooleanSupplier leaving;

    /** What a fenced node learnt from the stored view ({@link #resolveFence}). */
    public enum FenceCheck {
        /** Not fenced (any more): it owns its rooms under the stored view and serves again. */
        SERVING,
        /** Dropped from the view: its rooms are discarded, what waited went to the owners; it must rejoin. */
        DROPPED,
        /** It cannot tell yet (not with a majority of the view's members): stays fenced. */
        UNKNOWN
    }

    /**
     * Registers this node's address; must be created on the node's context (its verticle start).
     *
     * @param members  the current cluster members' node ids (thread-safe, non-blocking)
     * @param protocol the protocol the cluster speaks
     * @param leaving  whether this node asked to leave the view (a view without it is then no surprise)
     */
    ClusterRouting(LocalNode node, ServiceSettings service, ClusterSettings settings,
                   Supplier<Collection<String>> members, ClusterProtocol protocol, BooleanSupplier leaving) {
        this.node = node;
        this.leaving = leaving;
        this.view = new CurrentView(node.self(), members);
        this.channel = new NodeChannel(node, protocol);
        this.fencing = new Fencing(node, view, settings.stallLimitMs());
        this.resend = new Resend(node, view, protocol, settings.backups() > 0, channel);
        node.metrics().bindEpoch(() -> view.published().epoch());
        this.replication = settings.backups() == 0 ? null
                : new Replication(node, service, view, channel::send, settings.backups(), protocol::spoken, resend);
        this.router = new StanzaRouter(node, view, channel, fencing, replication, resend, protocol);
        this.rooms = new RoomHandoff(node, view, channel, replication, resend);
        this.change = new OwnershipChange(node, view, channel, fencing, router, settings.handoffTimeoutMs());
        this.output = new ClusterOutputRelay(node, view, channel::send);
        node.core().relayOutputTo(output);
        channel.listen(this::onMessage);
    }

    /** Where the node's router connections deliver stanzas. */
    public Ingress ingress() {
        return router;
    }

    /** Completes once this node's address is known cluster-wide (before asking for ownership). */
    public Future<Void> registered() {
        return channel.registered();
    }

    /** This node is in the view it routes by and that view has settled (readiness); any thread. */
    public boolean ready() {
        return view.ready();
    }

    /** The view this node routes by; any thread. */
    public OwnershipView view() {
        return view.published();
    }

    // ---- inbound from other nodes ---------------------------------------------------------

    private void onMessage(Buffer body) {
        if (fencing.closed()) {
            fencing.hold(() -> onMessage(body));
            return;
        }
        channel.decode(body).forEach(this::onMessage);
    }

    private void onMessage(NodeMessage m) {
        if (replication != null && replication.stale(m)) {
            node.metrics().staleRefused();
            log.info("refused a stale {} for {} from {} (epoch {}: sent before it was dropped from the view)",
                    m.type(), m.key(), m.sender(), m.epoch());
            return;
        }
        switch (m.type()) {
            case STANZA -> router.forwarded(m);
            case PARSED_STANZA -> router.forwardedParsed(m);
            case HANDOFF -> rooms.takeOver(m);
            case FLUSH -> {
                router.releaseBounced(m.sender()); // it moved on: passed on before this node answers the marker
                change.flushFrom(m.sender(), m.epoch());
            }
            case DONE -> {
                router.releaseBounced(m.sender());
                change.doneFrom(m.sender(), m.epoch());
            }
            case OUTPUT -> output.onMessage(m);
            case ACK -> resend.onAck(m);
            case SNAPSHOT, DELTA, PARSED_DELTA, KNOWN_DELTA, BEAT, DROP, RESYNC -> {
                if (replication != null) {
                    replication.onMessage(m);
                }
            }
            case BATCH -> log.warn("ignored a batch inside a batch from {}", m.sender());
        }
    }

    // ---- fencing --------------------------------------------------------------------------

    /** Fences this node (see {@link Fence}); any thread. Nothing is applied or written until it is resolved. */
    public void fence(String why) {
        node.context().runOnContext(v -> fencing.raise(why));
    }

    /** Called on the node's context each time the fence goes up. */
    public void onFenced(Runnable action) {
        fencing.onFenced(action);
    }

    /** Whether this node is fenced now; any thread. */
    public boolean isFenced() {
        return fencing.upNow();
    }

    /** Nano time since the event loop last proved it runs; any thread. */
    public long sinceTickNanos() {
        return fencing.sinceTickNanos();
    }

    /** Nano time since the fence went up, 0 when not fenced; any thread (approximate). */
    public long fencedForNanos() {
        return fencing.fencedForNanos();
    }

    /**
     * Checks a fenced node against {@code stored}, the view read from the cluster, and
     * {@code alive}, the members its Hazelcast sees; on the node's context. With a majority of
     * the stored view's members in sight (members in {@code crashed}, whose ports refuse
     * connections, not counted) the stored view is the cluster's: if it has this node, the node
     * serves on under it; if not, the node was dropped ({@link FenceCheck#DROPPED}).
     */
    public Future<FenceCheck> resolveFence(OwnershipView stored, Collection<String> alive, Collection<String> crashed) {
        Promise<FenceCheck> outcome = Promise.promise();
        node.context().runOnContext(v -> outcome.complete(resolve(stored, alive, crashed)));
        return outcome.future();
    }

    private FenceCheck resolve(OwnershipView stored, Collection<String> alive, Collection<String> crashed) {
        if (!fencing.up()) {
            return FenceCheck.SERVING;
        }
        OwnershipView deferred = fencing.deferredView();
        OwnershipView newest = stored.epoch() >= deferred.epoch() ? stored : deferred;
        String self = node.self();
        if (stored.members().isEmpty() || !Fence.quorum(stored, alive, crashed) || !alive.contains(self)) {
            return FenceCheck.UNKNOWN;
        }
        Duration fencedFor = Duration.ofNanos(System.nanoTime() - fencing.since());
        if (stored.contains(self) && newest.contains(self)) {
            log.info("fence lifted after {} ms: still an owner under epoch {}; replaying {} waiting stanza(s) and message(s)",
                    fencedFor.toMillis(), newest.epoch(), fencing.waiting());
            List<Runnable> waiting = fencing.lift();
            if (newest.epoch() > view.now().epoch()) {
                viewChanged(newest);
            } else {
                view.fenced(false);
            }
            waiting.forEach(Runnable::run);
            return FenceCheck.SERVING;
        }
        droppedFrom(newest);
        return FenceCheck.DROPPED;
    }

    /**
     * This node was dropped from the view: the rooms it held are owned under the newer epoch by
     * other nodes (from their backups, or anew), so its own are discarded before anything else
     * runs; then everything that waited at the fence is routed by {@code current}, i.e. passed to
     * the rooms' owners. The caller rejoins the view as a new member.
     */
    private void droppedFrom(OwnershipView current) {
        int discarded = rooms.discardAll(current);
        int stranded = router.heldCount();
        List<ForwardLedger.Entry> unacked = resend.viewChanged(view.now(), current);
        view.dropTo(current);
        change.cancelTimer();
        List<Runnable> waiting = fencing.lift();
        log.warn("dropped from the ownership view (now epoch {}, {} member(s)): discarded {} room(s) (served from their"
                        + " backups under the newer epoch); passing {} waiting stanza(s) and message(s) to the owners",
                current.epoch(), current.members().size(), discarded, waiting.size() + stranded);
        router.resend(unacked);
        router.releaseHeld();
        waiting.forEach(Runnable::run);
        node.metrics().fencedPassedOn(waiting.size() + stranded);
    }

    /**
     * Registers this node's address again (after Hazelcast merged it back into the cluster, whose
     * members had removed its registration when they dropped it); completes when known cluster-wide.
     */
    public Future<Void> registerAgain() {
        return channel.registerAgain();
    }

    // ---- ownership changes ----------------------------------------------------------------

    /** A view read from the cluster; applied on the node's context if newer than the current one. */
    public void deliverView(OwnershipView next) {
        node.context().runOnContext(v -> viewChanged(next));
    }

    /** A cluster member left: the barrier stops waiting for it. Any thread. */
    public void memberGone(String member) {
        node.context().runOnContext(v -> {
            List<ForwardLedger.Entry> unacked = resend.memberGone(member, view.now());
            change.gone(member);
            rooms.memberGone(member, fencing.up()); // it may have crashed after it had left the view
            if (!fencing.up()) {
                router.resend(unacked); // the view without it came first
                router.releaseBounced(member); // what came back from it waits for the view without it
            }
            change.progress();
        });
    }

    private void viewChanged(OwnershipView next) {
        if (next.epoch() <= view.now().epoch()) {
            return;
        }
        if (fencing.up()) { // applied once this node knows where it stands
            fencing.deferView(next);
            return;
        }
        if (view.now().contains(node.self()) && !next.contains(node.self()) && !leaving.getAsBoolean()) {
            fencing.raise("the ownership view of epoch " + next.epoch() + " no longer has this node");
            droppedFrom(next);
            return;
        }
        List<ForwardLedger.Entry> unacked = resend.viewChanged(view.now(), next); // sent to a node that crashed
        view.advance(next);
        long started = System.nanoTime();
        RoomHandoff.Moved moved = rooms.viewChanged(view.previous());
        int peers = change.start(started);
        log.info("ownership epoch {}: {} member(s){}; took over {} and handed off {} room(s); waiting for {} peer(s)",
                next.epoch(), next.members().size(), next.contains(node.self()) ? "" : " (not this node)",
                moved.promoted(), moved.handedOff(), peers);
        router.resend(unacked); // before anything newer from this node for the same rooms
        router.releaseHeld(); // from an earlier change that had not settled: routed anew
        change.armTimer();
        change.progress();
    }

    /** Completes on the node's context once a view meeting {@code condition} has settled. */
    public Future<Void> settledWhen(Predicate<OwnershipView> condition) {
        return change.settledWhen(condition);
    }

    /** Node messages sent to other nodes so far (the cluster warm-up's report); approximate from other threads. */
    long nodeMessagesSent() {
        return channel.messagesSent();
    }

    /** Event-bus messages that carried them; approximate from other threads. */
    long eventBusMessagesSent() {
        return channel.batchesSent();
    }

    /** Runs {@code action} on the node's context. */
    void onContext(Runnable action) {
        node.context().runOnContext(v -> action.run());
    }
}
