package org.palaver.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.palaver.core.ServiceSettings;
import org.palaver.metrics.NodeMetrics;
import org.palaver.testkit.Await;
import org.palaver.testkit.TestMetrics;
import org.palaver.xml.XmlLimits;

/** The node wiring: router connections feed the core inline, replies leave on the arrival stream. */
class ConferenceNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private Vertx vertx;
    private final NodeMetrics metrics = TestMetrics.fresh();
    private FakeRouter router;
    private ConferenceNode node;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        router = new FakeRouter(vertx);
        RouterSettings settings = new RouterSettings("127.0.0.1", router.port(), "conference.localhost", "s3cr3t", 2,
                50, 400, 1 << 20, XmlLimits.defaults());
        node = new ConferenceNode(settings, ServiceSettings.defaults("conference.localhost"), metrics);
        vertx.deployVerticle(node).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        router.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        metrics.close();
    }

    @Test
    void answersOnTheConnectionTheQueryArrivedOn() throws Exception {
        FakeRouter.Side first = router.acceptAuthenticated(WAIT);
        FakeRouter.Side second = router.acceptAuthenticated(WAIT);
        Await.until(WAIT, () -> node.connections().stream().allMatch(ComponentConnection::isAuthenticated), "both");

        second.send("<iq xmlns='jabber:client' type='get' id='probe' from='sm' to='conference.localhost'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        second.awaitReceived("id='probe'");
        assertTrue(second.received().contains("category='conference'"), second.received());
        assertFalse(first.received().contains("probe"), "the other stream got nothing: " + first.received());

        first.send("<iq type='get' id='v1' from='alice@localhost/x' to='conference.localhost'>"
                + "<query xmlns='jabber:iq:version'/></iq>");
        first.awaitReceived("id='v1'");
        assertTrue(first.received().contains("<name>palaver</name>"), first.received());
    }

    @Test
    void stopClosesEveryStream() throws Exception {
        FakeRouter.Side first = router.acceptAuthenticated(WAIT);
        FakeRouter.Side second = router.acceptAuthenticated(WAIT);
        Await.until(WAIT, () -> node.connections().stream().allMatch(ComponentConnection::isAuthenticated), "both");
        var undeployed = vertx.undeploy(node.deploymentID()).toCompletionStage().toCompletableFuture();
        first.awaitReceived("</stream:stream>");
        second.awaitReceived("</stream:stream>");
        first.close();
        second.close();
        undeployed.get(5, TimeUnit.SECONDS);
        assertEquals(2, router.acceptedCount());
    }
}
