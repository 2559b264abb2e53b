package org.palaver.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code palaver_build_info{version}}: always 1, labelled with the release version of the running
 * jar, so a dashboard can show which version each node of a (mixed) cluster runs during a rolling
 * upgrade, and join it onto any other series by {@code node}.
 */
public final class BuildInfo {
    private BuildInfo() {
    }

    public static void register(MeterRegistry registry, String version) {
        Gauge.builder("palaver.build.info", () -> 1)
                .description("Always 1; the label version is the release version of the running node")
                .tag("version", version).strongReference(true).register(registry);
    }
}
