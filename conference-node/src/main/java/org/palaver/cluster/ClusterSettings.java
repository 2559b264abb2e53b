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
 * @param backups          backup copies kept of each room on other nodes for crash takeover: 0
 *                         (none: a crashed node's rooms are lost), 1 (survives one crash) or 2
 *                         (survives two nodes crashing at once)
 */
public record ClusterSettings(Path hazelcastFile, Config hazelcast, String eventBusHost, int eventBusPort,
                              long handoffTimeoutMs, int backups) {
    public static final long DEFAULT_HANDOFF_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_BACKUPS = 1;
    /** Up to two backup copies per room: the first two runners-up of its ranking. */
    public static final int MAX_BACKUPS = 2;

    /** Longest event loop stall after which a node must check that it still owns its rooms ({@link Fence}): half a failure detection. */
    public long stallLimitMs() {
        return HazelcastConfigs.failureDetectionMs(hazelcast) / 2;
    }
}
