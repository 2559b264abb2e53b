package org.palaver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.palaver.app.config.NodeConfig;
import org.palaver.cluster.ClusterSettings;
import org.palaver.testkit.OpsClient;

/**
 * The start-up warm-up: it drives traffic through a throw-away node, is bounded in time, leaves no
 * room, participant or count in the real node, and can be switched off.
 */
class WarmupTest {
    private static final long MS = 400;

    private static Map<String, Long> report(Warmup.Report r) {
        return Map.of("stanzasIn", r.stanzasIn(), "bytesOut", r.bytesOut(), "nodeMessages", r.nodeMessages(),
                "millis", r.millis());
    }

    @Test
    void drivesTrafficThroughAThrowAwayNodeWithinItsTime() throws Exception {
        NodeConfig config = TestConfigs.node(OpsClient.freePort(), "s", 0, MS);
        Warmup.Report r = Warmup.run(config).toCompletionStage().toCompletableFuture().get(MS + Warmup.GRACE_MS + 10_000,
                TimeUnit.MILLISECONDS);
        int users = 0;
        for (int size : WarmupRouter.ROOM_SIZES) {
            users += size;
        }
        assertTrue(r.stanzasIn() > 2 * users, "joins, messages and leaves were sent: " + report(r));
        assertTrue(r.bytesOut() > 1_000_000, "presences and fan-out copies came back: " + report(r));
        // the script runs its time from the node's first answer; start-up before that is not bounded here
        assertTrue(r.millis() >= MS - WarmupRouter.LEAVE_MS, report(r).toString());
    }

    /**
     * A cluster node warms its cluster path up too: two throw-away nodes in one view forward
     * stanzas to each other and replicate what they apply, and both routers get their output.
     */
    @Test
    void aClusterNodeDrivesTheClusterPathThroughTwoThrowAwayNodes() throws Exception {
        NodeConfig single = TestConfigs.node(OpsClient.freePort(), "s", 0, MS);
        NodeConfig config = new NodeConfig(single.router(), single.service(), single.httpHost(), 0, MS,
                new ClusterSettings(null, null, null, 0, ClusterSettings.DEFAULT_HANDOFF_TIMEOUT_MS, 1));
        Warmup.Report r = Warmup.run(config).toCompletionStage().toCompletableFuture().get(MS + Warmup.GRACE_MS + 60_000,
                TimeUnit.MILLISECONDS);
        assertTrue(r.stanzasIn() > 4 * WarmupRouter.ROOM_SIZES.length, "both routers sent: " + report(r));
        assertTrue(r.bytesOut() > 1_000_000, "presences and fan-out copies came back: " + report(r));
        // not a share of stanzasIn: a cold or loaded JVM leaves much of what the routers sent unread at the end
        assertTrue(r.nodeMessages() > 1_000, "stanzas were forwarded and replicated: " + report(r));
    }

    @Test
    void offMeansNothingRuns() throws Exception {
        NodeConfig config = TestConfigs.node(OpsClient.freePort(), "s", 0, 0);
        Warmup.Report r = Warmup.run(config).toCompletionStage().toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertEquals(new Warmup.Report(0, 0, 0, 0), r);
    }

    @Test
    void theNodeStartsAfterwardsWithNothingLeftFromIt() throws Exception {
        int http = OpsClient.freePort();
        NodeConfig config = TestConfigs.node(OpsClient.freePort(), "s", http, MS);
        RunningNode node = RunningNode.start(config, "node-w").toCompletionStage().toCompletableFuture()
                .get(MS + Warmup.GRACE_MS + 10_000, TimeUnit.MILLISECONDS);
        try {
            Map<String, Double> samples = new OpsClient(http).scrape();
            assertEquals(1, samples.get("palaver_rooms{palaver_node=\"node-w\"}"), "only the predefined room");
            assertEquals(0, samples.get("palaver_participants{palaver_node=\"node-w\"}"));
            assertTrue(samples.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("palaver_stanzas_in_total") || e.getKey().startsWith("palaver_copies_out_total"))
                    .allMatch(e -> e.getValue() == 0), "the warm-up's traffic is not counted: " + samples);
        } finally {
            node.stop().await(10, TimeUnit.SECONDS);
        }
    }
}
