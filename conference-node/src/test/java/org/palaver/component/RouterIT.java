package org.palaver.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.palaver.core.ServiceSettings;
import org.palaver.metrics.NodeMetrics;
import org.palaver.testkit.Await;
import org.palaver.testkit.Jabberd2;
import org.palaver.testkit.LogCapture;
import org.palaver.testkit.TestMetrics;
import org.palaver.xml.XmlLimits;

/** The node's router connections against a real jabberd2 router (spec §2, §18.1). */
class RouterIT {
    private static final String DOMAIN = "conference.localhost";
    private static final String SECRET = "it-secret";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Jabberd2 jabberd2;
    private Vertx vertx;
    private final NodeMetrics metrics = TestMetrics.fresh();
    private ConferenceNode node;

    @BeforeEach
    void startRouter() throws Exception {
        jabberd2 = Jabberd2.start(SECRET);
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopAll() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        jabberd2.close();
        metrics.close();
    }

    private void deploy(String secret, int connections) throws Exception {
        RouterSettings router = new RouterSettings("127.0.0.1", jabberd2.routerPort(), DOMAIN, secret, connections,
                200, 1600, 1 << 20, XmlLimits.defaults());
        node = new ConferenceNode(router, ServiceSettings.defaults(DOMAIN), metrics);
        vertx.deployVerticle(node).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private boolean allAuthenticated() {
        return node.connections().stream().allMatch(ComponentConnection::isAuthenticated);
    }

    @Test
    void authenticatesAndTheRouterBindsTheDomain() throws Exception {
        try (LogCapture log = new LogCapture(ComponentConnection.class)) {
            deploy(SECRET, 1);
            jabberd2.awaitRouterLog("[" + DOMAIN + "] online", 1, WAIT);
            Await.until(WAIT, this::allAuthenticated, "authenticated");
            assertEquals(List.of("connecting to 127.0.0.1:" + jabberd2.routerPort() + " as " + DOMAIN + " (connection 1/1)",
                            "authenticated to 127.0.0.1:" + jabberd2.routerPort() + " as " + DOMAIN + " (connection 1/1)"),
                    log.messages().stream().filter(m -> m.startsWith("connecting") || m.startsWith("authenticated")).toList());
        }
    }

    @Test
    void wrongSecretIsRefusedAndRetriedWithGrowingBackoff() throws Exception {
        try (LogCapture log = new LogCapture(ComponentConnection.class)) {
            deploy("not-the-secret", 1);
            ComponentConnection c = node.connections().get(0);
            Await.until(WAIT, () -> c.attempts() >= 4, () -> "4 attempts; log: " + log.messages());
            assertFalse(c.isAuthenticated());
            assertTrue(log.matching("stream error not-authorized: hash didn't match").size() >= 3, log.messages().toString());
            List<Double> delays = log.matching("retry in ").stream().map(RouterIT::seconds).toList();
            assertTrue(delays.size() >= 3, delays.toString());
            // 200 ms doubling with at most 25 % jitter: 0.15-0.2, 0.3-0.4, 0.6-0.8 s
            assertTrue(delays.get(0) <= 0.2 && delays.get(1) >= 0.3 && delays.get(2) >= 0.6, delays.toString());
            assertEquals(0, jabberd2.routerLogLines("[" + DOMAIN + "] online").size());
        }
    }

    private static double seconds(String retryLine) {
        Matcher m = Pattern.compile("retry in ([0-9.]+) s").matcher(retryLine);
        assertTrue(m.find(), retryLine);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void reconnectsAfterTheRouterIsKilledAndRestarted() throws Exception {
        deploy(SECRET, 1);
        jabberd2.awaitRouterLog("[" + DOMAIN + "] online", 1, WAIT);
        Await.until(WAIT, this::allAuthenticated, "authenticated");
        ComponentConnection c = node.connections().get(0);
        int attemptsBefore = c.attempts();

        jabberd2.killRouter();
        Await.until(WAIT, () -> !c.isAuthenticated(), "connection loss noticed");
        Await.until(WAIT, () -> c.attempts() >= attemptsBefore + 2, "reconnect attempts while the router is down");
        jabberd2.start();
        jabberd2.awaitRouterLog("[" + DOMAIN + "] online", 2, WAIT);
        Await.until(WAIT, this::allAuthenticated, "authenticated again");
    }

    @Test
    void twoConnectionsBindTheSameDomain() throws Exception {
        deploy(SECRET, 2);
        jabberd2.awaitRouterLog("[" + DOMAIN + "]:2 online", 1, WAIT);
        Await.until(WAIT, this::allAuthenticated, "both authenticated");
        assertEquals(2, node.connections().size());
    }
}
