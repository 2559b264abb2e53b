package org.palaver.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.palaver.component.ConferenceNode;
import org.palaver.component.RouterSettings;
import org.palaver.core.ServiceSettings;
import org.palaver.ops.metrics.ClusterMetrics;
import org.palaver.ops.metrics.NodeMetrics;
import org.palaver.ops.metrics.VertxMetricsSetup;
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
        VertxOptions options = new VertxOptions();
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
        HazelcastInstance hz = manager.getHazelcastInstance();
        clusterMetrics.bindMembers(() -> hz.getCluster().getMembers().size());
        hz.getCluster().addMembershipListener(new Protocols(hz));
        protocol.update(hz.getCluster().getMembers());
        log.info("joined the cluster as {} ({} member(s))", self, hz.getCluster().getMembers().size());
        node = new ConferenceNode(router, service, metrics, directory, core ->
                routing = new ClusterRouting(vertx, core, self, service, router.xmlLimits(), clusterMetrics,
                        settings.handoffTimeoutMs(), settings.backups(), manager::getNodes, protocol));
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
                    views.listen(routing::deliverView);
                    return views.read();
                }))
                .onSuccess(current -> {
                    routing.deliverView(current);
                    joinWhenRouterUp();
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

    /** Cluster joined, this node in the ownership view it routes by, that view settled, not leaving; any thread. */
    public boolean ready() {
        ClusterRouting r = routing;
        return !leaving && r != null && r.ready() && manager.isActive();
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
     * Longest graceful stop of a node with {@code handoffTimeoutMs}: the handoff, then up to 15 s
     * to close the streams and leave Hazelcast (k8s/statefulset.yaml's grace period is derived from it).
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
        log.info("leaving the cluster: handing off rooms");
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

    /** A member left the cluster: stop waiting for it; a crashed member also leaves the view and the directory. */
    private final class Departures implements MembershipListener {
        @Override
        public void memberAdded(MembershipEvent event) {
            log.info("cluster member joined: {}", event.getMember());
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            String gone = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
            log.info("cluster member left: {} (node {})", event.getMember(), gone);
            if (gone == null) {
                return; // not a Vert.x node: it never owned rooms
            }
            routing.memberGone(gone);
            vertx.executeBlocking(() -> {
                OwnershipView v = views.update(rebased(view -> view.without(gone)));
                directory.forget(gone);
                return v;
            }, false).onFailure(e -> log.warn("could not drop {} from the cluster state: {}", gone, e.toString()));
        }
    }
}
