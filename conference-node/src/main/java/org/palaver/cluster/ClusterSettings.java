package org.palaver.cluster;

import com.hazelcast.config.Config;
import java.nio.file.Path;

/**
 * The {@code <cluster>} section, validated. Membership itself (cluster name, member port,
 * discovery, failure detection) is Hazelcast's and lives in the Hazelcast file; these are the
 * node's own cluster settings.
 *
 * @param hazelcastFile    the Hazelcast YAML (or XML) file, for the logs
 * @param hazelcast        that file, parsed and checked ({@link HazelcastConfigs#load})
 * @param eventBusHost     address other nodes reach this node's event bus at; {@code null}: the
 *                         Hazelcast member's address
 * @param eventBusPort     event bus port; 0 = any free port
 * @param handoffTimeoutMs longest wait for an ownership change to settle before held stanzas are
 *                         released anyway
 */
public record ClusterSettings(Path hazelcastFile, Config hazelcast, String eventBusHost, int eventBusPort,
                              long handoffTimeoutMs) {
    public static final long DEFAULT_HANDOFF_TIMEOUT_MS = 10_000;
}
