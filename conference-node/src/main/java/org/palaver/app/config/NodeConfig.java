package org.palaver.app.config;

import org.palaver.cluster.ClusterSettings;
import org.palaver.component.RouterSettings;
import org.palaver.core.ServiceSettings;

/**
 * Everything a node needs to start, validated.
 *
 * @param router   how to reach and talk to the router
 * @param service  what the protocol core needs
 * @param httpHost address the metrics and health endpoint listens on
 * @param httpPort port of the metrics and health endpoint; 0 = off
 * @param warmupMs how long the start-up warm-up of the hot path runs ({@link Warmup}); 0 = off
 * @param cluster  the cluster settings; {@code null}: a single node, no Hazelcast at all
 */
public record NodeConfig(RouterSettings router, ServiceSettings service, String httpHost, int httpPort,
                         long warmupMs, ClusterSettings cluster) {
    /** A single node. */
    public NodeConfig(RouterSettings router, ServiceSettings service, String httpHost, int httpPort, long warmupMs) {
        this(router, service, httpHost, httpPort, warmupMs, null);
    }
}
