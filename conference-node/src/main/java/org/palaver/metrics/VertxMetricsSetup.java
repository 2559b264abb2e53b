package org.palaver.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds a {@link Vertx} whose own metrics (net, HTTP, event bus, pools) go to the node's registry,
 * so {@code /metrics} shows them next to the node's meters.
 *
 * <p>Vert.x 5 takes the registry through {@link VertxBuilder#withMetrics}, not through the options.
 */
public final class VertxMetricsSetup {
    /**
     * Vert.x keeps its metrics backends in a JVM-wide map keyed by registry name; two instances
     * under the same name (several nodes in one test JVM) would all report into the first one's
     * registry. A fresh name per instance keeps them apart.
     */
    private static final AtomicLong INSTANCES = new AtomicLong();

    private VertxMetricsSetup() {
    }

    /**
     * A builder for a Vert.x instance configured by {@code base} (not modified) that reports into
     * {@code registry}. Add a cluster manager and call {@code build()} or {@code buildClustered()}.
     */
    public static VertxBuilder builder(VertxOptions base, MeterRegistry registry) {
        VertxOptions options = new VertxOptions(base).setMetricsOptions(options());
        return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
    }

    private static MicrometerMetricsOptions options() {
        return new MicrometerMetricsOptions()
                .setEnabled(true)
                // NodeMetrics binds the JVM meters itself; Vert.x would register them a second time
                .setJvmMetricsEnabled(false)
                // the ops endpoint is the only HTTP server; Vert.x 5.1 registers its active-connections
                // gauge anew on the first request ("Gauge has been already registered" in the log),
                // and scrapes and probes are not what an operator watches
                .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
                .setRegistryName("palaver-vertx-" + INSTANCES.incrementAndGet());
    }
}
