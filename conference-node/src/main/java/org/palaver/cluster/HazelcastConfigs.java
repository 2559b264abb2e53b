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

    /**
     * Adds the maps Vert.x's cluster manager uses (as its default configuration does), SLF4J
     * logging, and the member attribute with this build's {@link ClusterProtocol}.
     */
    public static Config prepare(Config config) {
        config.setProperty("hazelcast.logging.type", "slf4j");
        ClusterProtocol.publish(config);
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
