package org.palaver.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.palaver.component.ConferenceNode;
import org.palaver.component.RouterSettings;
import org.palaver.core.ServiceSettings;
import org.palaver.metrics.ClusterMetrics;
import org.palaver.metrics.NodeMetrics;
import org.palaver.metrics.VertxMetricsSetup;
import org.palaver.xml.ElementReader;
import org.palaver.xml.JidCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a cluster: a clustered Vert.x (Hazelcast cluster manager, clustered event bus), the
 * {@link ConferenceNode} with a {@link ClusterDirectory} and a {@link ClusterRouting}, and the
 * node's life cycle in the cluster.
 *
 * <p>Start: join Hazelcast, connect the room directory and the ownership view, deploy the node
 * (router connections start), and once the node's address is registered and a router connection
 * is authenticated, ask to be added to the ownership view: rooms then move here from their old
 * owners. Stop ({@link #stop}): not ready, ask to be removed from the view and wait until every
 * room is handed off and the change has settled, publish the directory, close the router streams
 * (stanzas arriving meanwhile are relayed to their owners), leave Hazelcast.
 */
public final class ClusterNode {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    /** How often a starting node checks whether its router connection is up before asking for rooms. */
    static final long ROUTER_POLL_MS = 100;
    /** The member attribute where Vert.x's Hazelcast cluster manager keeps a member's node id. */
    static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

    private final Vertx vertx;
    private final HazelcastClusterManager manager;
    private final ClusterSettings settings;
    private final ClusterDirectory directory;
    private final ClusterProtocol protocol = new ClusterProtocol();
    /** Set on a worker thread before the node is deployed (creating a Hazelcast proxy may block). */
    private volatile ViewStore views;
    private final String self;
    private ConferenceNode node;
    private String deployment;
    private volatile ClusterRouting routing;
    private volatile boolean leaving;
    /** A fence check is scheduled or running. */
    private volatile boolean resolving;
    /**
     * Hazelcast is merging this node back into the cluster it was split from (between its
     * {@code MERGING} and {@code MERGED} events): the members are back, but this node's copy of the
     * event-bus registrations is still being rebuilt, so what it passed on now could go nowhere.
     */
    private volatile boolean merging;
    /** Longest wait for the stored view while fenced (Hazelcast may be splitting or merging). */
    static final long FENCE_READ_TIMEOUT_MS = 2_000;
    static final long FENCE_RETRY_MS = 500;
    /** Every member's Hazelcast address seen so far, by node id (for the crash probe). */
    private final Map<String, InetSocketAddress> addresses = new ConcurrentHashMap<>();
    static final String EVENT_LOOP_CHECK = "event-loop";
    static final String FENCE_CHECK = "fence";
    /** JIDs and room keys parsed by the cluster shell, kept for reuse. */
    static final int JID_CACHE = 4096;

    private ClusterMetrics clusterMetrics;
    private Heartbeats heartbeats;
    /** How often the majority lease is checked ({@link #checkLease}). */
    static final long LEASE_CHECK_MS = 250;
    /** A lease check is probing ports. */
    private volatile boolean leaseChecking;

    private ClusterNode(Vertx vertx, HazelcastClusterManager manager, ClusterSettings settings) {
        this.vertx = vertx;
        this.manager = manager;
        this.settings = settings;
        this.self = manager.getNodeId();
        this.directory = new ClusterDirectory(self);
    }

    /** Joins the cluster and starts the node; completes once it is deployed (not necessarily owning rooms yet). */
    public static Future<ClusterNode> start(ClusterSettings settings, RouterSettings router, ServiceSettings service,
                                            NodeMetrics metrics, MeterRegistry registry) {
        HazelcastClusterManager manager = new HazelcastClusterManager(settings.hazelcast());
        VertxOptions options = new VertxOptions().setEventLoopPoolSize(1);
        options.getEventBusOptions().setPort(settings.eventBusPort());
        if (settings.eventBusHost() != null) {
            options.getEventBusOptions().setHost(settings.eventBusHost());
        }
        log.info("joining the cluster ({})", settings.hazelcastFile());
        return VertxMetricsSetup.builder(options, registry).withClusterManager(manager).buildClustered()
                .compose(vertx -> {
                    ClusterNode c = new ClusterNode(vertx, manager, settings);
                    return c.begin(router, service, metrics, new ClusterMetrics(registry))
                            .map(c)
                            .onFailure(e -> vertx.close());
                });
    }

    private Future<Void> begin(RouterSettings router, ServiceSettings service, NodeMetrics metrics,
                               ClusterMetrics clusterMetrics) {
        this.clusterMetrics = clusterMetrics;
        HazelcastInstance hz = manager.getHazelcastInstance();
        clusterMetrics.bindMembers(() -> hz.getCluster().getMembers().size());
        hz.getCluster().addMembershipListener(new Protocols(hz));
        heartbeats = Heartbeats.of(hz);
        CrashWatch.start(hz, probe -> vertx.executeBlocking(() -> {
            probe.run();
            return null;
        }, false), clusterMetrics, this::view);
        protocol.update(hz.getCluster().getMembers());
        log.info("joined the cluster as {} ({} member(s))", self, hz.getCluster().getMembers().size());
        node = new ConferenceNode(router, service, metrics, directory, core -> {
            LocalNode local = new LocalNode(vertx, vertx.getOrCreateContext(), core, self,
                    service.domain().toLowerCase(Locale.ROOT), clusterMetrics, new JidCache(JID_CACHE),
                    new ElementReader(router.xmlLimits()), router.xmlLimits());
            routing = new ClusterRouting(local, service, settings, manager::getNodes, protocol, () -> leaving);
            routing.onFenced(this::resolveFenceSoon);
            return routing.ingress();
        });
        return vertx.executeBlocking(() -> {
                    directory.connect(vertx, hz.getReplicatedMap(ClusterDirectory.MAP));
                    views = new ViewStore(hz);
                    return null;
                })
                .compose(v -> vertx.deployVerticle(node))
                .compose(id -> {
                    deployment = id;
                    return routing.registered();
                })
                .compose(v -> vertx.executeBlocking(() -> {
                    hz.getCluster().addMembershipListener(new Departures());
                    hz.getCluster().getMembers().forEach(this::remember);
                    hz.getLifecycleService().addLifecycleListener(this::lifecycle);
                    views.listen(routing::deliverView);
                    return views.read();
                }))
                .onSuccess(current -> {
                    routing.deliverView(current);
                    joinWhenRouterUp();
                    vertx.setPeriodic(LEASE_CHECK_MS, id -> checkLease());
                })
                .mapEmpty();
    }

    /** Asks for ownership once a router connection is authenticated (a room owner must be able to write). */
    private void joinWhenRouterUp() {
        vertx.setPeriodic(ROUTER_POLL_MS, timer -> {
            if (leaving) {
                vertx.cancelTimer(timer);
            } else if (node.anyAuthenticated()) {
                vertx.cancelTimer(timer);
                updateView(true);
            }
        });
    }

    private Future<OwnershipView> updateView(boolean member) {
        return vertx.executeBlocking(() -> views.update(rebased(v -> member ? v.with(self) : v.without(self))))
                .onSuccess(v -> log.info("{} ownership: view epoch {} has {} member(s)",
                        member ? "asked for" : "gave up", v.epoch(), v.members().size()))
                .onFailure(e -> log.error("could not change the ownership view: {}", e.toString()));
    }

    /**
     * {@code change} applied to the stored view, or to this node's own if that is newer: should the
     * stored entry ever be lost (every copy of its partition gone at once), epochs still only grow
     * and the nodes, which ignore older epochs, keep following the view.
     */
    private UnaryOperator<OwnershipView> rebased(UnaryOperator<OwnershipView> change) {
        OwnershipView local = view();
        return stored -> change.apply(stored.epoch() < local.epoch() ? local : stored);
    }

    /** Cluster joined, this node in the ownership view it routes by, that view settled, not leaving, not fenced; any thread. */
    public boolean ready() {
        ClusterRouting r = routing;
        return !leaving && r != null && r.ready() && !r.isFenced() && manager.isActive();
    }

    /**
     * Liveness checks (any thread): {@code event-loop}, the node's event loop ran within the last
     * {@link #stallLimitMs} × 2 (a blocked loop serves nobody); {@code fence}, the node is not
     * fenced for longer than {@link #stuckFencedMs} (it cannot rejoin: a restart closes its router
     * connection, so the router stops sending it a share of the users, and it rejoins afresh).
     */
    public Map<String, Boolean> live() {
        ClusterRouting r = routing;
        if (r == null) {
            return Map.of();
        }
        return Map.of(EVENT_LOOP_CHECK, r.sinceTickNanos() < stallLimitMs() * 2_000_000,
                FENCE_CHECK, r.fencedForNanos() < stuckFencedMs() * 1_000_000);
    }

    private long stallLimitMs() {
        return settings.stallLimitMs();
    }

    /** Fenced this long, a node is stuck: three failure detections and split-brain merges. */
    private long stuckFencedMs() {
        return 3 * (HazelcastConfigs.failureDetectionMs(settings.hazelcast())
                + HazelcastConfigs.mergeDelayMs(settings.hazelcast()));
    }

    /** Whether this node is fenced now (it may have been dropped from the view and acts on nothing); any thread. */
    public boolean fenced() {
        ClusterRouting r = routing;
        return r != null && r.isFenced();
    }

    // ---- fencing (docs/architecture.md, "Fencing: frozen nodes, partitions and double crashes (gray failures)") ------------------------------------------------

    /** Hazelcast splits a member off and merges it back: while merging, this node owns nothing for sure. */
    private void lifecycle(LifecycleEvent event) {
        if (event.getState() == LifecycleEvent.LifecycleState.MERGING) {
            merging = true;
            routing.fence("Hazelcast is merging this node back into the cluster it was split from");
        } else if (event.getState() == LifecycleEvent.LifecycleState.MERGE_FAILED) {
            merging = false;
        } else if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
            merging = false;
            log.info("merged back into the cluster ({} member(s))", manager.getHazelcastInstance().getCluster()
                    .getMembers().size());
            resolveFenceSoon();
        }
    }

    /**
     * Checks the fenced node against the stored view until it knows where it stands. The first
     * check waits a few Hazelcast heartbeats, so that a node waking from a freeze has heard from
     * its peers (whether they dropped it) before it trusts its own member list.
     */
    private void resolveFenceSoon() {
        if (resolving || leaving) {
            return;
        }
        resolving = true;
        long settleMs = 3 * HazelcastConfigs.heartbeatMs(settings.hazelcast());
        vertx.setTimer(settleMs, id -> checkFence());
    }

    private void checkFence() {
        if (leaving || !manager.isActive()) {
            resolving = false;
            return;
        }
        if (merging) { // resolved once merged: what waited is passed on only when the owners' addresses are known
            vertx.setTimer(FENCE_RETRY_MS, id -> checkFence());
            return;
        }
        HazelcastInstance hz = manager.getHazelcastInstance();
        vertx.executeBlocking(() -> {
                    OwnershipView stored = views.readWithin(FENCE_READ_TIMEOUT_MS);
                    // members gone from Hazelcast whose ports refuse connections crashed: they count for
                    // no side, or a node fenced while two of three crashed at once would wait forever
                    return new Object[] {stored, inTouch(hz), crashed(stored, aliveIds(hz))};
                }, false)
                .compose(r -> routing.resolveFence((OwnershipView) r[0], castIds(r[1]), castIds(r[2])))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result() == ClusterRouting.FenceCheck.DROPPED) {
                        resolving = false;
                        rejoin();
                    } else if (ar.succeeded() && ar.result() == ClusterRouting.FenceCheck.SERVING) {
                        resolving = false;
                        dropDeparted();
                    } else {
                        if (ar.failed()) {
                            log.info("fenced; the cluster's view is not readable yet: {}", ar.cause().toString());
                        }
                        vertx.setTimer(FENCE_RETRY_MS, id -> checkFence());
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private static Collection<String> castIds(Object ids) {
        return (Collection<String>) ids;
    }

    /** The Vert.x node ids of the Hazelcast members this node sees (its own included). */
    private static Set<String> aliveIds(HazelcastInstance hz) {
        Set<String> ids = new HashSet<>();
        for (Member m : hz.getCluster().getMembers()) {
            String id = m.getAttribute(NODE_ID_ATTRIBUTE);
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * The Vert.x node ids of the Hazelcast members this node has heard a heartbeat from within the
     * {@link #leaseMs lease} (its own included): the members it may count on for a majority. A
     * member behind a partition stays in Hazelcast's list for the whole failure detection, but
     * falls silent at once.
     */
    private Set<String> inTouch(HazelcastInstance hz) {
        Set<String> ids = new HashSet<>();
        long lease = leaseMs();
        for (Member m : hz.getCluster().getMembers()) {
            String id = m.getAttribute(NODE_ID_ATTRIBUTE);
            if (id != null && heartbeats.silentForMs(m) < lease) {
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * Half of Hazelcast's failure detection: a node that has not heard from a majority of the
     * ownership view's members for this long stops acting ({@link #checkLease}).
     */
    private long leaseMs() {
        return HazelcastConfigs.failureDetectionMs(settings.hazelcast()) / 2;
    }

    /**
     * The majority lease (docs/architecture.md, "Partitions: majority-only ownership"): an owner
     * acts only while it has heard, within {@link #leaseMs}, the heartbeats of a majority of the
     * ownership view's members (members Hazelcast has removed and whose port refuses connections,
     * i.e. crashed, not counted).
     * The other side of a partition drops this node only after Hazelcast's whole failure
     * detection, so the minority owner fences itself about half of it before its rooms are
     * promoted elsewhere: a room has one writer throughout a split.
     */
    private void checkLease() {
        ClusterRouting r = routing;
        if (r == null || leaving || leaseChecking || r.isFenced() || !manager.isActive()) {
            return;
        }
        OwnershipView v = view();
        if (!v.contains(self) || v.members().size() <= 2) {
            return;
        }
        HazelcastInstance hz = manager.getHazelcastInstance();
        Set<String> inTouch = inTouch(hz);
        if (Fence.quorum(v, inTouch)) {
            return;
        }
        leaseChecking = true;
        // only members Hazelcast no longer lists are probed: a crashed one is removed within a second
        // (CrashWatch), while one behind a partition stays listed and its probe would only time out
        Set<String> listed = aliveIds(hz);
        vertx.executeBlocking(() -> crashed(v, listed), false)
                .onComplete(ar -> {
                    leaseChecking = false;
                    if (ar.succeeded() && !Fence.quorum(v, inTouch, ar.result()) && !r.isFenced()) {
                        clusterMetrics.quorumLost();
                        r.fence("no heartbeat from a majority of the ownership view's members for " + leaseMs()
                                + " ms (" + inTouch.size() + " of " + v.members().size() + " in touch): probably the"
                                + " minority side of a partition");
                    }
                });
    }

    /**
     * Back in the cluster after being dropped from the view: publishes this node's event bus
     * address again (the members that dropped it removed it) and asks for ownership as a new
     * member; rooms then move here by ordinary handoff.
     */
    private void rejoin() {
        Promise<Void> published = Promise.promise();
        manager.setNodeInfo(manager.getNodeInfo(), published);
        published.future()
                .compose(v -> routing.registerAgain())
                .onSuccess(v -> log.info("rejoining the ownership view as a new member"))
                .onFailure(e -> log.warn("could not publish this node's address again: {}", e.toString()))
                .eventually(() -> updateView(true));
    }

    /** Serving again after a fence: members that left meanwhile (events ignored while fenced) leave the view now. */
    private void dropDeparted() {
        HazelcastInstance hz = manager.getHazelcastInstance();
        vertx.executeBlocking(() -> {
            Set<String> alive = aliveIds(hz);
            OwnershipView v = view();
            Set<String> crashed = crashed(v, alive);
            for (String member : v.members()) {
                if (!alive.contains(member) && Fence.quorum(v, alive, crashed)) {
                    routing.memberGone(member);
                    views.update(rebased(view -> view.without(member)));
                    directory.forget(member);
                }
            }
            return null;
        }, false).onFailure(e -> log.warn("could not drop departed members from the view: {}", e.toString()));
    }

    /** Whether some router connection is authenticated; any thread. */
    public boolean routerUp() {
        return node != null && node.anyAuthenticated();
    }

    /**
     * Closes this node's router streams and keeps them closed until {@link #connectRouter}; the
     * node keeps its rooms, and their output goes out through another node meanwhile.
     */
    public Future<Void> disconnectRouter() {
        return node.disconnectRouter();
    }

    /** Connects the router streams again after {@link #disconnectRouter}. */
    public void connectRouter() {
        node.connectRouter();
    }

    /** The ownership view this node routes by ({@link OwnershipView#EMPTY} before the first); any thread. */
    public OwnershipView view() {
        ClusterRouting r = routing;
        return r == null ? OwnershipView.EMPTY : r.view();
    }

    public Vertx vertx() {
        return vertx;
    }

    /** This node's id in the cluster (Vert.x's node id, also the member attribute {@value #NODE_ID_ATTRIBUTE}). */
    public String id() {
        return self;
    }

    /** Longest graceful stop: the handoff, then closing streams and leaving Hazelcast. */
    public long stopTimeoutMs() {
        return stopTimeoutMs(settings.handoffTimeoutMs());
    }

    /**
     * The longest graceful stop of a node with {@code handoffTimeoutMs}: after that the launcher
     * gives up and exits 1. Closing the streams and Hazelcast's graceful leave
     * ({@code hazelcast.graceful.shutdown.max.wait}) must fit into the 15 s after the handoff, and a
     * Kubernetes grace period must exceed the whole (K8sManifestsTest).
     */
    public static long stopTimeoutMs(long handoffTimeoutMs) {
        return handoffTimeoutMs + 15_000;
    }

    /** The graceful stop described on the class; a handoff that does not settle in time is logged and the stop goes on. */
    public Future<Void> stop() {
        leaving = true;
        long t0 = System.nanoTime();
        // completed outside the chain: callbacks chained on this Vert.x's contexts never run once it is closed
        Promise<Void> left = Promise.promise();
        log.info("leaving the cluster: handing off rooms; sent {} node message(s) to other nodes in {} event-bus"
                + " message(s) since the start", routing.nodeMessagesSent(), routing.eventBusMessagesSent());
        updateView(false)
                .compose(v -> routing.settledWhen(view -> !view.contains(self))
                        .timeout(settings.handoffTimeoutMs() + 1_000, TimeUnit.MILLISECONDS))
                .onSuccess(v -> log.info("rooms handed off in {} ms", (System.nanoTime() - t0) / 1_000_000))
                .recover(e -> {
                    log.warn("handoff did not complete: {}; stopping anyway", e.toString());
                    return Future.succeededFuture();
                })
                .compose(v -> flushDirectory())
                .compose(v -> vertx.undeploy(deployment))
                .onComplete(ar -> vertx.close().onComplete(closed -> left.tryComplete()));
        return left.future();
    }

    private Future<Void> flushDirectory() {
        Promise<Void> done = Promise.promise();
        routing.onContext(() -> directory.flush().onComplete(ar -> done.tryComplete()));
        return done.future().timeout(2, TimeUnit.SECONDS).recover(e -> Future.succeededFuture());
    }

    /** The protocol the cluster speaks (the lowest among its members); any thread. */
    public ClusterProtocol protocol() {
        return protocol;
    }

    /** Keeps {@link #protocol} the lowest among the current members. */
    private final class Protocols implements MembershipListener {
        private final HazelcastInstance hz;

        Protocols(HazelcastInstance hz) {
            this.hz = hz;
        }

        @Override
        public void memberAdded(MembershipEvent event) {
            changed();
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            changed();
        }

        private void changed() {
            int before = protocol.spoken();
            protocol.update(hz.getCluster().getMembers());
            if (protocol.spoken() != before) {
                log.info("the cluster now speaks protocol {} (this node: {})", protocol.spoken(), ClusterProtocol.CURRENT);
            }
        }
    }

    private void remember(Member m) {
        String id = m.getAttribute(NODE_ID_ATTRIBUTE);
        if (id != null) {
            addresses.put(id, new InetSocketAddress(m.getAddress().getHost(), m.getAddress().getPort()));
        }
    }

    /**
     * The members of {@code view} out of sight whose Hazelcast port refuses connections: their
     * process is gone (a crash), not frozen or behind a partition (a frozen process's port still
     * accepts, a partition drops). Blocking: up to {@value CrashWatch#PROBE_TIMEOUT_MS} ms per member.
     */
    private Set<String> crashed(OwnershipView view, Set<String> alive) {
        Set<String> dead = new HashSet<>();
        for (String member : view.members()) {
            InetSocketAddress address = addresses.get(member);
            if (alive.contains(member) || address == null) {
                continue;
            }
            if (CrashWatch.refuses(address)) {
                dead.add(member);
            }
        }
        return dead;
    }

    /** A member left the cluster: stop waiting for it; a crashed member also leaves the view and the directory. */
    private final class Departures implements MembershipListener {
        @Override
        public void memberAdded(MembershipEvent event) {
            log.info("cluster member joined: {}", event.getMember());
            remember(event.getMember());
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            String gone = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
            log.info("cluster member left: {} (node {})", event.getMember(), gone);
            if (gone == null) {
                return; // not a Vert.x node: it never owned rooms
            }
            remember(event.getMember());
            routing.memberGone(gone);
            vertx.executeBlocking(() -> {
                Set<String> alive = inTouch(manager.getHazelcastInstance());
                alive.remove(gone);
                OwnershipView current = view();
                if (!Fence.quorum(current, alive)) {
                    Set<String> crashed = crashed(current, alive);
                    if (!Fence.quorum(current, alive, crashed)) {
                        clusterMetrics.quorumLost();
                        routing.fence("lost the majority: " + alive.size() + " of the " + current.members().size()
                                + " owners in sight after " + gone + " left (" + crashed.size() + " known crashed)");
                        return null;
                    }
                    log.info("{} owner(s) crashed (their ports refuse connections): the {} left in sight keep the rooms",
                            crashed.size(), alive.size());
                }
                if (routing.isFenced()) {
                    return null; // a fenced node changes no shared state; the fence's resolution catches up
                }
                OwnershipView v = views.update(rebased(view -> view.without(gone)));
                directory.forget(gone);
                return v;
            }, false).onFailure(e -> log.warn("could not drop {} from the cluster state: {}", gone, e.toString()));
        }
    }
}
