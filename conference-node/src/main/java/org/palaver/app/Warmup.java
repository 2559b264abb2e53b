package org.palaver.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.palaver.app.config.NodeConfig;
import org.palaver.cluster.ClusterWarmup;
import org.palaver.component.ConferenceNode;
import org.palaver.component.RouterSettings;
import org.palaver.core.Limits;
import org.palaver.core.ServiceSettings;
import org.palaver.metrics.NodeMetrics;
import org.palaver.metrics.VertxMetricsSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up warm-up of the hot path, run before the node connects to its router.
 *
 * <p>Why: a freshly started JVM compiles the hot path for the traffic it sees first. When that
 * traffic changes shape (large batches of reads, then small 1 ms bursts, or the other way round),
 * dozens of compiled methods in the parser, Netty's buffers, Vert.x's queues and the write batch are
 * thrown away and recompiled, and on a small machine the compiler threads take the CPU from the
 * event loop for seconds: the copy latency of the first live traffic climbs to tens of milliseconds.
 *
 * <p>What: a throw-away node (its own Vert.x with metrics, its own {@link ConferenceNode} and
 * protocol core, the same service settings but no predefined rooms) connects over loopback to a
 * {@link WarmupRouter}, which joins simulated users to rooms of several sizes, sends groupchat
 * messages alternately in large batches and in tiny 1 ms bursts, and lets everyone leave. Every
 * stage of the real path runs: Netty reads, the stream parser, the core, fan-out encoding, the
 * write batch and Netty writes. Afterwards the throw-away Vert.x is closed: no room, participant,
 * meter or thread is left, only the compiled code. Bounded by {@code durationMs} (wall time); a
 * failure is logged and the node starts anyway.
 *
 * <p>A cluster node warms up its cluster path as well: two throw-away nodes in one ownership view
 * ({@link ClusterWarmup}), each with its own loopback router, forward stanzas to each other and
 * replicate what they apply, as a cluster does under the same load.
 */
public final class Warmup {
    private static final Logger log = LoggerFactory.getLogger(Warmup.class);

    /** Default run time: enough for the compiler to settle on a 2-core machine. */
    public static final long DEFAULT_MS = 1_500;
    public static final long MAX_MS = 60_000;
    /** Extra time allowed beyond the run time for connecting and closing. */
    static final long GRACE_MS = 5_000;

    /**
     * What a warm-up did: stanzas the router(s) sent, bytes the node(s) wrote back, messages the
     * cluster warm-up's nodes sent each other (0 for a single node), wall time.
     */
    public record Report(long stanzasIn, long bytesOut, long nodeMessages, long millis) {
    }

    private Warmup() {
    }

    /**
     * Runs the warm-up for about {@code durationMs} and completes with its report; never fails (a
     * problem is logged and reported as an empty run). {@code durationMs} 0 completes at once.
     */
    public static Future<Report> run(NodeConfig config) {
        long durationMs = config.warmupMs();
        if (durationMs <= 0) {
            return Future.succeededFuture(new Report(0, 0, 0, 0));
        }
        long start = System.nanoTime();
        log.info("warm-up: exercising the hot path for {} ms before connecting to the router", durationMs);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        NodeMetrics metrics = new NodeMetrics(registry);
        Vertx vertx = VertxMetricsSetup.builder(new VertxOptions(), registry).build();
        WarmupRouter router = new WarmupRouter(vertx, DOMAIN, durationMs, config.cluster() == null ? "" : "a");
        WarmupRouter peer = config.cluster() == null ? null : new WarmupRouter(vertx, DOMAIN, durationMs, "b");
        ClusterWarmup cluster = peer == null ? null : new ClusterWarmup(vertx);
        Promise<Report> done = Promise.promise();
        Future<Void> deployed = cluster == null
                ? router.listen().compose(port -> vertx.deployVerticle(
                        new ConferenceNode(routerSettings(config.router(), port), service(config.service()), metrics)))
                        .mapEmpty()
                : Future.all(router.listen(), peer.listen()).compose(ports -> cluster.start(
                        routerSettings(config.router(), ports.resultAt(0)),
                        routerSettings(config.router(), ports.resultAt(1)), service(config.service()),
                        config.cluster().backups()));
        deployed
                .onSuccess(v -> {
                    router.release();
                    if (peer != null) {
                        peer.release();
                    }
                })
                .compose(id -> Future.all(router.finished(), peer == null ? Future.succeededFuture() : peer.finished())
                                .timeout(durationMs + GRACE_MS, TimeUnit.MILLISECONDS))
                .map(v -> report(start, router, peer, cluster))
                .recover(e -> {
                    log.warn("warm-up failed ({}); starting without it", e.toString());
                    return Future.succeededFuture(report(start, router, peer, cluster));
                })
                .onSuccess(report -> vertx.close().onComplete(ar -> {
                    metrics.close();
                    if (cluster != null) {
                        cluster.close();
                    }
                    log.info("warm-up: {} stanzas in, {} bytes out in {} ms", report.stanzasIn(), report.bytesOut(),
                            report.millis());
                    // not bound to a context: the warm-up's Vert.x is closed and would not run a chained callback
                    done.complete(report);
                }));
        return done.future();
    }

    private static Report report(long start, WarmupRouter router, WarmupRouter peer, ClusterWarmup cluster) {
        return new Report(router.stanzasSent() + (peer == null ? 0 : peer.stanzasSent()),
                router.bytesReceived() + (peer == null ? 0 : peer.bytesReceived()),
                cluster == null ? 0 : cluster.nodeMessagesSent(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The throw-away node's domain: a reserved name (RFC 2606), so its connection log lines cannot
     * be mistaken for the real node's.
     */
    static final String DOMAIN = "conference.warmup.invalid";

    /** The loopback router, the real write queue bound, turn budget and XML limits. */
    private static RouterSettings routerSettings(RouterSettings real, int port) {
        return new RouterSettings("127.0.0.1", port, DOMAIN, WarmupRouter.SECRET, 1, 1_000, 1_000,
                real.writeQueueBytes(), real.turnBudgetBytes(), real.xmlLimits());
    }

    /**
     * The real service (history, notices, limits) with rooms creatable on demand and none
     * predefined, and no rate limits: the scripted load is a flood by design.
     */
    private static ServiceSettings service(ServiceSettings real) {
        return real.withDomain(DOMAIN).withRooms(List.of()).withDynamicRooms(true).withLimits(real.maxNickLength(), 0)
                .withLimits(Limits.off());
    }
}
