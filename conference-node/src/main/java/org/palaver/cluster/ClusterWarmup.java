package org.palaver.cluster;

import com.hazelcast.config.Config;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.palaver.component.ConferenceNode;
import org.palaver.component.RouterSettings;
import org.palaver.core.ServiceSettings;
import org.palaver.metrics.ClusterMetrics;
import org.palaver.metrics.NodeMetrics;
import org.palaver.xml.ElementReader;
import org.palaver.xml.JidCache;

/**
 * The cluster half of the start-up warm-up ({@code org.palaver.app.Warmup}): two throw-away nodes,
 * {@value #A} and {@value #B}, each with its own core, router connection and {@link ClusterRouting},
 * on one non-clustered Vert.x, in one ownership view. Each router's users join the same rooms, so
 * about half of every node's stanzas are forwarded to the other (batches, the parsed form), every
 * applied stanza is replicated to the other's backup copy, and the handoff barrier runs once: the
 * cluster path is compiled before live traffic instead of during it. Only the clustered event bus's
 * own wire encoding is not exercised (the local bus hands the buffers over).
 *
 * <p>Nothing is shared with the real node: no Hazelcast member, no cluster-wide state; its own
 * meters. (The Hazelcast {@link Config} is a default one, read only for the fence's stall limit,
 * far beyond the warm-up's time.)
 */
public final class ClusterWarmup {
    static final String A = "warmup-a";
    static final String B = "warmup-b";
    private static final long HANDOFF_TIMEOUT_MS = 1_000;

    private final Vertx vertx;
    private final List<ClusterRouting> routings = new ArrayList<>();
    private final List<NodeMetrics> metrics = new ArrayList<>();

    public ClusterWarmup(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Deploys both nodes, node {@value #A} connecting with {@code routerA}, {@value #B} with
     * {@code routerB}, with {@code backups} backup copies per room (at least one), and puts them in
     * one ownership view; completes once that view has settled on both (traffic may start).
     */
    public Future<Void> start(RouterSettings routerA, RouterSettings routerB, ServiceSettings service, int backups) {
        return deploy(A, routerA, service, backups)
                .compose(v -> deploy(B, routerB, service, backups))
                .compose(v -> {
                    OwnershipView view = new OwnershipView(1, List.of(A, B));
                    routings.forEach(r -> r.deliverView(view));
                    return Future.all(routings.stream().map(r -> r.settledWhen(current -> current.epoch() >= 1))
                            .toList());
                })
                .mapEmpty();
    }

    /** Node messages the two nodes sent each other so far. */
    public long nodeMessagesSent() {
        return routings.stream().mapToLong(ClusterRouting::nodeMessagesSent).sum();
    }

    private Future<Void> deploy(String self, RouterSettings router, ServiceSettings service, int backups) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        NodeMetrics nodeMetrics = new NodeMetrics(registry);
        metrics.add(nodeMetrics);
        Collection<String> members = List.of(A, B);
        ClusterSettings settings = new ClusterSettings(null, new Config(), null, 0, HANDOFF_TIMEOUT_MS, Math.max(1, backups));
        ConferenceNode node = new ConferenceNode(router, service, nodeMetrics, null, core -> {
            LocalNode local = new LocalNode(vertx, vertx.getOrCreateContext(), core, self,
                    service.domain().toLowerCase(Locale.ROOT), new ClusterMetrics(registry),
                    new JidCache(ClusterNode.JID_CACHE), new ElementReader(router.xmlLimits()), router.xmlLimits());
            ClusterRouting routing = new ClusterRouting(local, service, settings, () -> members, new ClusterProtocol(),
                    () -> false);
            routings.add(routing);
            return routing.ingress();
        });
        return vertx.deployVerticle(node).compose(id -> routings.get(routings.size() - 1).registered());
    }

    /** Closes the nodes' meters (the caller closes the Vert.x, which stops the nodes). */
    public void close() {
        metrics.forEach(NodeMetrics::close);
    }
}
