package org.palaver.testkit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.palaver.metrics.NodeMetrics;

/** Node metrics for tests that need a node or a connection but do not look at its meters. */
public final class TestMetrics {
    private TestMetrics() {
    }

    /** Metrics on a registry of their own; close them after the test. */
    public static NodeMetrics fresh() {
        return new NodeMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }
}
