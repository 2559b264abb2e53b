package org.palaver.ops;

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
 */
public record NodeConfig(RouterSettings router, ServiceSettings service, String httpHost, int httpPort,
                         long warmupMs) {
}
