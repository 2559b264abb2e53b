package org.palaver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.palaver.app.config.NodeConfig;
import org.palaver.testkit.Await;
import org.palaver.testkit.OpsClient;

/**
 * The launcher's wiring without a router: the ops endpoint serves the node's meters (all tagged
 * with the node name) next to the Vert.x ones, is live but not ready while no router connection is
 * authenticated, and is absent with port 0.
 */
class RunningNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RunningNode node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.stop().await(10, TimeUnit.SECONDS);
        }
    }

    private RunningNode start(int httpPort) throws Exception {
        // nothing listens on the router port: the node keeps retrying
        NodeConfig config = TestConfigs.node(OpsClient.freePort(), "s3cr3t", httpPort);
        return RunningNode.start(config, "node-7").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void servesTaggedMetricsAndIsLiveButNotReadyWithoutARouter() throws Exception {
        int port = OpsClient.freePort();
        node = start(port);
        assertEquals(port, node.opsPort());
        OpsClient ops = new OpsClient(port);

        assertEquals(200, ops.status("/health/live"));
        HttpResponse<String> ready = ops.get("/health/ready");
        assertEquals(503, ready.statusCode());
        assertEquals("{\"status\":\"DOWN\",\"checks\":{\"router\":false},\"failing\":[\"router\"]}", ready.body());

        Await.until(WAIT, () -> ops.sample("palaver_router_reconnects_total{palaver_node=\"node-7\"}") >= 1,
                "a refused connection is retried and counted");
        Map<String, Double> samples = ops.scrape();
        assertEquals(0, samples.get("palaver_router_connections{palaver_node=\"node-7\",state=\"authenticated\"}"));
        assertEquals(1, samples.get("palaver_router_connections{palaver_node=\"node-7\",state=\"connecting\"}")
                + samples.get("palaver_router_connections{palaver_node=\"node-7\",state=\"down\"}"), samples.toString());
        assertEquals(1, samples.get("palaver_rooms{palaver_node=\"node-7\"}"), "the predefined room");
        assertEquals(0, samples.get("palaver_participants{palaver_node=\"node-7\"}"));
        assertTrue(samples.keySet().stream().anyMatch(s -> s.startsWith("vertx_") && s.contains("palaver_node=\"node-7\"")),
                "Vert.x reports into the node's registry");
        assertTrue(samples.keySet().stream().allMatch(s -> s.contains("palaver_node=\"node-7\"")),
                "every series carries the node tag");
    }

    @Test
    void portZeroServesNothing() throws Exception {
        node = start(0);
        assertEquals(0, node.opsPort());
    }

    @Test
    void aPortInUseFailsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> start(taken.getLocalPort()));
            assertTrue(e.getCause().getMessage().contains("in use"), e.getCause().toString());
        }
    }
}
