package org.palaver.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VertxMetricsSetupTest {
    /** Several nodes in one JVM (cluster tests) must each report into their own registry. */
    @Test
    void twoInstancesInOneJvmReportIntoTheirOwnRegistries() throws Exception {
        PrometheusMeterRegistry first = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusMeterRegistry second = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx a = VertxMetricsSetup.builder(new VertxOptions(), first).build();
        Vertx b = VertxMetricsSetup.builder(new VertxOptions(), second).build();
        try {
            assertTrue(hasVertxMeters(first), "first registry");
            assertTrue(hasVertxMeters(second), "second registry");
        } finally {
            a.close().await(10, TimeUnit.SECONDS);
            b.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void leavesJvmMetricsToNodeMetrics() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = VertxMetricsSetup.builder(new VertxOptions(), registry).build();
        try {
            assertFalse(registry.getMeters().stream().anyMatch(m -> m.getId().getName().startsWith("jvm.")));
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static boolean hasVertxMeters(MeterRegistry registry) {
        return registry.getMeters().stream().anyMatch(m -> m.getId().getName().startsWith("vertx."));
    }
}
