package org.palaver.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and checks the Hazelcast file named by {@code <cluster><hazelcast-config>} and adds what
 * Vert.x's cluster manager needs. Hazelcast logs through SLF4J (one logging backend).
 */
public final class HazelcastConfigs {
    private HazelcastConfigs() {
    }

    /** Parses the file; {@link IllegalArgumentException} with a readable reason for any problem. */
    public static Config load(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + file);
        }
        Config config;
        try {
            config = Config.loadFromFile(file.toFile());
        } catch (IOException | InvalidConfigurationException | IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a valid Hazelcast configuration: " + firstLine(e.getMessage()));
        }
        List<String> problems = check(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return prepare(config);
    }

    /** Discovery must be explicit: multicast (Hazelcast's default) would join unrelated clusters. */
    static List<String> check(Config config) {
        List<String> problems = new ArrayList<>();
        JoinConfig join = config.getNetworkConfig().getJoin();
        if (join.getMulticastConfig().isEnabled()) {
            problems.add("enables multicast discovery (Hazelcast's default when join is not configured);"
                    + " configure join.tcp-ip or join.kubernetes and set join.multicast.enabled: false");
        }
        if (!join.getTcpIpConfig().isEnabled() && !join.getKubernetesConfig().isEnabled()) {
            problems.add("enables neither join.tcp-ip nor join.kubernetes");
        }
        return problems;
    }

    /** Hazelcast's failure detection: a member silent this long is declared dead. */
    static final String MAX_NO_HEARTBEAT = "hazelcast.max.no.heartbeat.seconds";
    static final String HEARTBEAT_INTERVAL = "hazelcast.heartbeat.interval.seconds";
    /** How soon a member split off (a frozen node, the minority of a partition) is merged back. */
    static final List<String> MERGE_DELAYS = List.of("hazelcast.merge.first.run.delay.seconds",
            "hazelcast.merge.next.run.delay.seconds");
    /** Merge delay set when the file sets none (Hazelcast's defaults, 300 s and 100 s, keep a fenced node out that long). */
    static final int DEFAULT_MERGE_DELAY_SECONDS = 10;

    /** Milliseconds after which Hazelcast declares a silent member dead (Hazelcast's default 60 s). */
    public static long failureDetectionMs(Config config) {
        return seconds(config, MAX_NO_HEARTBEAT, 60) * 1000;
    }

    /** Milliseconds between Hazelcast heartbeats (Hazelcast's default 5 s). */
    public static long heartbeatMs(Config config) {
        return seconds(config, HEARTBEAT_INTERVAL, 5) * 1000;
    }

    /** Milliseconds before Hazelcast merges a split-off member back (the longer of its two delays). */
    public static long mergeDelayMs(Config config) {
        return Math.max(seconds(config, MERGE_DELAYS.get(0), 300), seconds(config, MERGE_DELAYS.get(1), 100)) * 1000;
    }

    private static long seconds(Config config, String property, long otherwise) {
        String value = config.getProperty(property);
        try {
            return value == null || value.isBlank() ? otherwise : Math.max(1, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /**
     * Adds the maps Vert.x's cluster manager uses (as its default configuration does), SLF4J
     * logging, the member attribute with this build's {@link ClusterProtocol}, and split-brain
     * merge delays of {@value #DEFAULT_MERGE_DELAY_SECONDS} s unless set.
     */
    public static Config prepare(Config config) {
        config.setProperty("hazelcast.logging.type", "slf4j");
        ClusterProtocol.publish(config);
        for (String delay : MERGE_DELAYS) {
            if (config.getProperty(delay) == null) {
                config.setProperty(delay, String.valueOf(DEFAULT_MERGE_DELAY_SECONDS));
            }
        }
        if (!config.getMultiMapConfigs().containsKey("__vertx.subs")) {
            config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                    .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        }
        for (String map : List.of("__vertx.haInfo", "__vertx.nodeInfo")) {
            if (!config.getMapConfigs().containsKey(map)) {
                config.addMapConfig(new MapConfig(map).setBackupCount(1));
            }
        }
        return config;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no detail)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
