package org.palaver.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Map;
import java.util.function.Supplier;
import org.palaver.app.config.NodeConfig;
import org.palaver.cluster.ClusterNode;
import org.palaver.component.ConferenceNode;
import org.palaver.metrics.BuildInfo;
import org.palaver.metrics.NodeMetrics;
import org.palaver.metrics.OpsServer;
import org.palaver.metrics.VertxMetricsSetup;

/**
 * A started node with its operability surface: a Prometheus registry whose meters all carry the
 * tag {@link NodeMetrics#NODE_LABEL}, a Vert.x instance reporting into it, the conference node fed into
 * {@link NodeMetrics}, and, unless {@code <http><port>} is 0, the ops endpoint ({@code /metrics},
 * {@code /health/live}, {@code /health/ready}; ready while a router connection is authenticated,
 * and in a cluster also while the node owns rooms under a settled ownership view).
 *
 * <p>Without {@code <cluster>} the node runs alone on a plain Vert.x: no Hazelcast is started.
 */
public final class RunningNode {
    /** The readiness check that needs an authenticated router connection. */
    static final String ROUTER_CHECK = "router";
    /** The readiness check that needs cluster membership and settled ownership. */
    static final String CLUSTER_CHECK = "cluster";
    /** Upper bound for a single node's stop (streams close in parallel, each within 2 s). */
    static final long STOP_TIMEOUT_MS = 5_000;

    private final Vertx vertx;
    private final NodeMetrics metrics;
    private final int opsPort;
    private final ClusterNode cluster;

    private RunningNode(Vertx vertx, NodeMetrics metrics, int opsPort, ClusterNode cluster) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.opsPort = opsPort;
        this.cluster = cluster;
    }

    /**
     * Runs the start-up {@link Warmup} (unless off), then starts everything; completes once the node is deployed (connections are under way, not
     * necessarily authenticated) and the ops endpoint listens. On failure everything started is
     * being closed; a port already in use fails the start rather than leaving a node without probes.
     *
     * @param nodeName the value of the {@link NodeMetrics#NODE_LABEL} tag on every meter
     */
    public static Future<RunningNode> start(NodeConfig config, String nodeName) {
        return Warmup.run(config).compose(report -> startWarm(config, nodeName));
    }

    private static Future<RunningNode> startWarm(NodeConfig config, String nodeName) {
        PrometheusMeterRegistry registry = NodeMetrics.newRegistry(nodeName);
        NodeMetrics metrics = new NodeMetrics(registry);
        BuildInfo.register(registry, Version.current());
        if (config.cluster() != null) {
            return ClusterNode.start(config.cluster(), config.router(), config.service(), metrics, registry)
                    .compose(c -> withOps(config, c.vertx(), registry, metrics, c,
                            () -> Map.of(ROUTER_CHECK, c.routerUp(), CLUSTER_CHECK, c.ready()), c::live))
                    .onFailure(e -> metrics.close());
        }
        Vertx vertx = VertxMetricsSetup.builder(new VertxOptions(), registry).build();
        ConferenceNode node = new ConferenceNode(config.router(), config.service(), metrics);
        return vertx.deployVerticle(node)
                .compose(id -> withOps(config, vertx, registry, metrics, null,
                        () -> Map.of(ROUTER_CHECK, node.anyAuthenticated()), Map::of));
    }

    private static Future<RunningNode> withOps(NodeConfig config, Vertx vertx, PrometheusMeterRegistry registry,
                                               NodeMetrics metrics, ClusterNode cluster,
                                               Supplier<Map<String, Boolean>> readiness,
                                               Supplier<Map<String, Boolean>> liveness) {
        metrics.bindReady(() -> readiness.get().values().stream().allMatch(Boolean.TRUE::equals));
        return (config.httpPort() == 0 ? Future.succeededFuture(0)
                : new OpsServer(vertx, config.httpHost(), config.httpPort(), registry, readiness, liveness).start())
                .map(port -> new RunningNode(vertx, metrics, port, cluster))
                // not waited for: this runs on an event loop of the Vert.x being closed, which stops before
                // it could complete a callback chained here
                .onFailure(e -> close(vertx, metrics));
    }

    /** The port the ops endpoint listens on; 0 when it is off. */
    public int opsPort() {
        return opsPort;
    }

    /** The cluster side of this node; {@code null} on a single node. */
    public ClusterNode cluster() {
        return cluster;
    }

    /** Longest time {@link #stop()} may take. */
    public long stopTimeoutMs() {
        return cluster == null ? STOP_TIMEOUT_MS : cluster.stopTimeoutMs();
    }

    /**
     * Single node: closes every router stream (as {@link ConferenceNode#stop()} does) and the ops
     * endpoint. Cluster: {@link ClusterNode#stop()} (hand rooms off, close streams, leave).
     */
    public Future<Void> stop() {
        if (cluster != null) {
            return cluster.stop().andThen(ar -> metrics.close());
        }
        return close(vertx, metrics);
    }

    private static Future<Void> close(Vertx vertx, NodeMetrics metrics) {
        return vertx.close().andThen(ar -> metrics.close());
    }
}
