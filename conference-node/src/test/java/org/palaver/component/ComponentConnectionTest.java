package org.palaver.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.palaver.metrics.NodeMetrics;
import org.palaver.testkit.Await;
import org.palaver.testkit.LogCapture;
import org.palaver.testkit.TestMetrics;
import org.palaver.xml.Element;
import org.palaver.xml.XmlLimits;

/** The XEP-0114 connection against an in-process fake router (spec §18.1 T1-T3 and stream hygiene). */
class ComponentConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String HEADER = Handshake.streamHeader("conference.localhost");
    private static final String HANDSHAKE = "<handshake>f044683ec81db6a263dfccf5ca2d11d08a80c78c</handshake>";
    private static final String NOT_AUTHORIZED = "<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>hash didn't match, auth failed</text></stream:error>"
            + "</stream:stream>";

    private Vertx vertx;
    private final NodeMetrics metrics = TestMetrics.fresh();
    private Context context;
    private FakeRouter router;
    private final List<Element> delivered = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        router = new FakeRouter(vertx);
    }

    @AfterEach
    void tearDown() throws Exception {
        router.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        metrics.close();
    }

    private RouterSettings settings(long minMs, long maxMs, int writeQueueBytes) {
        return new RouterSettings("127.0.0.1", router.port(), "conference.localhost", "s3cr3t", 1, minMs, maxMs,
                writeQueueBytes, XmlLimits.defaults());
    }

    private double count(String meter, String... tags) {
        return metrics.registry().get(meter).tags(tags).counter().count();
    }

    /** Answers every delivered stanza with an iq result carrying the same id. */
    private final ComponentConnection.Listener echo = (connection, stanza) -> {
        delivered.add(stanza);
        connection.write(new Element("iq").attr("type", "result").attr("id", stanza.attr("id"))
                .attr("to", stanza.attr("from")).attr("from", "conference.localhost"));
    };

    private ComponentConnection start(RouterSettings s, ComponentConnection.Listener listener, Backoff backoff) {
        return onContext(() -> {
            var client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
            ComponentConnection c = new ComponentConnection(vertx, client, s, 1, listener, backoff, metrics);
            c.start();
            return c;
        });
    }

    private ComponentConnection start() {
        return start(settings(50, 400, 1 << 20), echo, new Backoff(50, 400, () -> 0.0));
    }

    /** Runs on the connection's event loop, as the node does. */
    private <T> T onContext(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void t1HandshakeBytesAndNothingBeforeTheRoutersHandshake() throws Exception {
        ComponentConnection c = start();
        FakeRouter.Side side = router.accept(WAIT);
        side.awaitReceived(HEADER);
        assertEquals(HEADER, side.received(), "the header is the first and only thing sent");

        side.send(FakeRouter.HEADER);
        side.awaitReceived(HANDSHAKE);
        assertEquals(HEADER + HANDSHAKE, side.received());

        side.send("<iq type='get' id='early' from='alice@localhost/x' to='conference.localhost'/>");
        Thread.sleep(200);
        assertEquals(HEADER + HANDSHAKE, side.received(), "stanzas before <handshake/> are dropped, not answered");
        assertTrue(delivered.isEmpty());
        assertFalse(c.isAuthenticated());
        assertThrows(IllegalStateException.class, () -> onContext(() -> {
            c.write(new Element("message"));
            return null;
        }), "writing before authentication is refused");

        side.send("<handshake xmlns='jabber:component:accept'/>");
        Await.until(WAIT, c::isAuthenticated, "authenticated");
        side.send("<iq type='get' id='q1' from='alice@localhost/x' to='conference.localhost'>"
                + "<query xmlns='jabber:iq:version'/></iq>");
        side.awaitReceived("id='q1'");
        assertFalse(side.received().contains("early"));
        assertEquals(1, delivered.size());
    }

    @Test
    void t2StreamErrorIsLoggedAndRetriedWithGrowingBackoff() throws Exception {
        try (LogCapture log = new LogCapture(ComponentConnection.class)) {
            ComponentConnection c = start();
            List<Long> acceptedAt = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                FakeRouter.Side side = router.accept(WAIT);
                acceptedAt.add(System.nanoTime());
                side.awaitReceived(HEADER);
                side.send(FakeRouter.HEADER);
                side.awaitReceived(HANDSHAKE);
                side.send(NOT_AUTHORIZED);
                side.awaitClosed();
                assertEquals(HEADER + HANDSHAKE, side.received(), "nothing but header and handshake on a failed stream");
            }
            assertFalse(c.isAuthenticated());
            assertTrue(delivered.isEmpty());
            // delays 50, 100, 200 ms (jitter 0): each gap is at least the planned delay
            for (int i = 1; i < 4; i++) {
                long gapMs = (acceptedAt.get(i) - acceptedAt.get(i - 1)) / 1_000_000;
                long planned = 50L << (i - 1);
                assertTrue(gapMs >= planned, "gap " + i + " was " + gapMs + " ms, planned " + planned);
            }
            assertEquals(4, log.matching("stream error not-authorized: hash didn't match, auth failed").size(),
                    log.messages().toString());
            assertEquals(4, count("palaver.stream.errors", "condition", "not-authorized"));
            assertEquals(4, count("palaver.stanzas.in", "kind", "other"), "the stream errors");
            assertTrue(count("palaver.router.reconnects") >= 3, "attempts 2..4 are reconnects");
            assertEquals(List.of("retry in 0.1 s (connection 1/1, attempt 2)", "retry in 0.1 s (connection 1/1, attempt 3)",
                    "retry in 0.2 s (connection 1/1, attempt 4)"), log.matching("retry in").subList(0, 3));
        }
    }

    @Test
    void t3VersionAndFeaturesAreIgnored() throws Exception {
        ComponentConnection c = start();
        FakeRouter.Side side = router.accept(WAIT);
        side.awaitReceived(HEADER);
        side.send(FakeRouter.HEADER.replace("id=", "version='1.0' id=")
                + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>");
        side.awaitReceived(HANDSHAKE);
        side.send("<handshake/>");
        Await.until(WAIT, c::isAuthenticated, "authenticated despite features");
        assertTrue(delivered.isEmpty(), "features are not a stanza: " + delivered);
    }

    @Test
    void inboundStanzaNamespacesAreAllAccepted() throws Exception {
        start();
        FakeRouter.Side side = router.acceptAuthenticated(WAIT);
        side.send("<iq xmlns='jabber:client' type='get' id='a' from='x@localhost/r' to='conference.localhost'/>"
                + "<iq xmlns='jabber:component:accept' type='get' id='b' from='x@localhost/r' to='conference.localhost'/>"
                + "<iq type='get' id='c' from='x@localhost/r' to='conference.localhost'/>");
        side.awaitReceived("id='c'");
        assertEquals(3, delivered.size());
        for (Element e : delivered) {
            assertEquals(null, e.namespace(), "canonical stanza namespace: " + e);
        }
    }

    @Test
    void malformedInputGetsAStreamErrorAndAReconnect() throws Exception {
        try (LogCapture log = new LogCapture(ComponentConnection.class)) {
            ComponentConnection c = start();
            FakeRouter.Side side = router.acceptAuthenticated(WAIT);
            Await.until(WAIT, c::isAuthenticated, "authenticated");
            side.send("<message><body>x</bod></message>");
            side.awaitReceived("</stream:stream>");
            assertTrue(side.received().contains("<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"),
                    side.received());
            side.awaitClosed();
            FakeRouter.Side again = router.acceptAuthenticated(WAIT);
            Await.until(WAIT, c::isAuthenticated, "authenticated again");
            again.send("<iq type='get' id='after' from='x@localhost/r' to='conference.localhost'/>");
            again.awaitReceived("id='after'");
            assertEquals(1, log.matching("bad input from router (connection 1/1): not-well-formed").size(),
                    log.messages().toString());
            assertEquals(1, count("palaver.stream.errors", "condition", "not-well-formed"));
        }
    }

    @Test
    void anErrorInTheHandlerEndsTheStreamWithAStreamErrorAndAReconnect() throws Exception {
        ComponentConnection.Listener fragile = (connection, stanza) -> {
            if ("boom".equals(stanza.attr("id"))) {
                throw new StackOverflowError("deep handler");
            }
            echo.onStanza(connection, stanza);
        };
        try (LogCapture log = new LogCapture(ComponentConnection.class)) {
            ComponentConnection c = start(settings(50, 400, 1 << 20), fragile, new Backoff(50, 400, () -> 0.0));
            FakeRouter.Side side = router.acceptAuthenticated(WAIT);
            Await.until(WAIT, c::isAuthenticated, "authenticated");
            side.send("<iq type='get' id='boom' from='x@localhost/r' to='conference.localhost'/>"
                    + "<iq type='get' id='lost' from='x@localhost/r' to='conference.localhost'/>");
            side.awaitReceived("</stream:stream>");
            assertTrue(side.received().contains("<stream:error><internal-server-error"), side.received());
            assertTrue(!side.received().contains("id='lost'"), "nothing handled after the error: " + side.received());
            side.awaitClosed();
            FakeRouter.Side again = router.acceptAuthenticated(WAIT);
            Await.until(WAIT, c::isAuthenticated, "authenticated again");
            again.send("<iq type='get' id='after' from='x@localhost/r' to='conference.localhost'/>");
            again.awaitReceived("id='after'");
            assertEquals(1, log.matching("bad input from router (connection 1/1): internal-server-error").size(),
                    log.messages().toString());
        }
    }

    @Test
    void silentRouterIsGivenUpAfterTheHandshakeTimeout() throws Exception {
        try (LogCapture log = new LogCapture(ComponentConnection.class)) {
            ComponentConnection c = onContext(() -> {
                var client = vertx.createNetClient();
                ComponentConnection conn = new ComponentConnection(vertx, client, settings(50, 400, 1 << 20), 1, echo,
                        new Backoff(50, 400, () -> 0.0), metrics).handshakeTimeout(300);
                conn.start();
                return conn;
            });
            FakeRouter.Side silent = router.accept(WAIT);
            silent.awaitReceived(HEADER);
            silent.awaitClosed();
            router.acceptAuthenticated(WAIT);
            Await.until(WAIT, c::isAuthenticated, "authenticated on the next attempt");
            assertEquals(1, log.matching("no handshake from 127.0.0.1:" + router.port() + " within 0.3 s (connection 1/1)")
                    .size(), log.messages().toString());
        }
    }

    @Test
    void routerClosingTheStreamIsAnsweredAndReconnected() throws Exception {
        ComponentConnection c = start();
        FakeRouter.Side side = router.acceptAuthenticated(WAIT);
        Await.until(WAIT, c::isAuthenticated, "authenticated");
        side.send("</stream:stream>");
        side.awaitReceived("</stream:stream>");
        side.awaitClosed();
        router.acceptAuthenticated(WAIT);
        Await.until(WAIT, c::isAuthenticated, "authenticated again");
    }

    @Test
    void lostConnectionBeforeTheRouterListensIsRetried() throws Exception {
        int port = router.port();
        router.close();
        try (LogCapture log = new LogCapture(ComponentConnection.class)) {
            RouterSettings s = new RouterSettings("127.0.0.1", port, "conference.localhost", "s3cr3t", 1, 20, 40,
                    1 << 20, XmlLimits.defaults());
            ComponentConnection c = start(s, echo, new Backoff(20, 40, () -> 0.0));
            Await.until(WAIT, () -> c.attempts() >= 4, "four attempts");
            assertTrue(log.matching("cannot connect to 127.0.0.1:" + port + " (connection 1/1)").size() >= 3,
                    log.messages().toString());
            assertTrue(log.matching("connecting to 127.0.0.1:" + port + " as conference.localhost (connection 1/1)")
                    .size() >= 4);
            onContext(c::stop);
        }
        router = new FakeRouter(vertx); // for tearDown
    }

    @Test
    void stopClosesTheStreamAndDoesNotReconnect() throws Exception {
        ComponentConnection c = start();
        FakeRouter.Side side = router.acceptAuthenticated(WAIT);
        Await.until(WAIT, c::isAuthenticated, "authenticated");
        CompletableFuture<Void> stopped = onContext(() -> c.stop().toCompletionStage().toCompletableFuture());
        side.awaitReceived("</stream:stream>");
        side.send("</stream:stream>");
        side.close();
        stopped.get(5, TimeUnit.SECONDS);
        Thread.sleep(200);
        assertEquals(1, router.acceptedCount(), "no reconnect after stop");
        assertEquals(ComponentConnection.State.STOPPED, c.state());
    }

    @Test
    void aStoppedConnectionStartsAgainAndCanBeStoppedAgain() throws Exception {
        ComponentConnection c = start();
        FakeRouter.Side first = router.acceptAuthenticated(WAIT);
        Await.until(WAIT, c::isAuthenticated, "authenticated");
        CompletableFuture<Void> stopped = onContext(() -> c.stop().toCompletionStage().toCompletableFuture());
        first.awaitReceived("</stream:stream>");
        first.close();
        stopped.get(5, TimeUnit.SECONDS);
        onContext(() -> {
            c.start();
            return null;
        });
        FakeRouter.Side second = router.acceptAuthenticated(WAIT);
        Await.until(WAIT, c::isAuthenticated, "authenticated again");
        CompletableFuture<Void> again = onContext(() -> c.stop().toCompletionStage().toCompletableFuture());
        assertFalse(again.isDone(), "a new stop waits for the new stream to close");
        second.awaitReceived("</stream:stream>");
        second.close();
        again.get(5, TimeUnit.SECONDS);
        assertEquals(ComponentConnection.State.STOPPED, c.state());
    }

    @Test
    void stopWithoutAnswerFromTheRouterClosesAfterTheTimeout() throws Exception {
        ComponentConnection c = start();
        FakeRouter.Side side = router.acceptAuthenticated(WAIT);
        Await.until(WAIT, c::isAuthenticated, "authenticated");
        CompletableFuture<Void> stopped = onContext(() -> c.stop().toCompletionStage().toCompletableFuture());
        side.awaitReceived("</stream:stream>");
        stopped.get(ComponentConnection.CLOSE_TIMEOUT_MS + 3000, TimeUnit.MILLISECONDS);
        side.awaitClosed();
    }

    @Test
    void repliesToOneReadGoOutInOneWrite() throws Exception {
        ComponentConnection c = start();
        FakeRouter.Side side = router.acceptAuthenticated(WAIT);
        Await.until(WAIT, c::isAuthenticated, "authenticated");
        long before = onContext(c::socketWrites);
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            burst.append("<iq type='get' id='b").append(i).append("' from='x@localhost/r' to='conference.localhost'/>");
        }
        side.send(burst.toString());
        side.awaitReceived("id='b19'");
        long writes = onContext(c::socketWrites) - before;
        assertTrue(writes >= 1 && writes <= 2, "20 replies in " + writes + " socket writes");
        assertEquals(20, count("palaver.stanzas.in", "kind", "iq"));
        assertEquals(20, count("palaver.stanzas.out"));
        assertTrue(count("palaver.bytes.in") >= burst.length(), "every byte read is counted");
    }

    @Test
    void fullWriteQueuePausesReadingUntilItDrains() throws Exception {
        String big = "x".repeat(64 * 1024);
        ComponentConnection.Listener bigReplies = (connection, stanza) -> connection.write(
                new Element("message").attr("to", stanza.attr("from")).attr("from", "conference.localhost")
                        .addTextChild("body", big));
        ComponentConnection c = start(settings(50, 400, 4096), bigReplies, new Backoff(50, 400, () -> 0.0));
        FakeRouter.Side side = router.acceptAuthenticated(WAIT);
        Await.until(WAIT, c::isAuthenticated, "authenticated");
        long afterHandshake = side.receivedBytes();
        side.countOnly();
        side.pauseReading();
        int requests = 400;
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < requests; i++) {
            burst.append("<message from='x@localhost/r' to='conference.localhost'><body>").append(i)
                    .append("</body></message>");
        }
        side.send(burst.toString());
        Await.until(Duration.ofSeconds(10), () -> onContext(c::readPaused), () -> "reading paused while the router does not read; writes "
                + onContext(c::socketWrites) + ", router got " + side.receivedBytes());
        side.resumeReading();
        long replyBytes = ("<message to='x@localhost/r' from='conference.localhost'><body>" + big + "</body></message>").length();
        Await.until(Duration.ofSeconds(20), () -> side.receivedBytes() - afterHandshake == requests * replyBytes,
                () -> "router got " + (side.receivedBytes() - afterHandshake) + " of " + requests * replyBytes + " bytes");
        Await.until(WAIT, () -> !onContext(c::readPaused), "reading resumed after the drain");
    }

    @Test
    void aReadOfManyExpensiveRequestsQueuesAtMostTheTurnBudgetPlusOneAnswer() throws Exception {
        int budget = 256 * 1024;
        String big = "y".repeat(1024 * 1024); // 60 answers: more than the kernel's socket buffers take
        long[] maxQueued = new long[1];
        List<String> answered = Collections.synchronizedList(new ArrayList<>());
        ComponentConnection.Listener expensive = (connection, stanza) -> {
            assertTrue(connection.queuedBytes() < budget, "a stanza is handled only below the budget");
            connection.write(new Element("iq").attr("type", "result").attr("id", stanza.attr("id"))
                    .attr("to", stanza.attr("from")).attr("from", "conference.localhost").addTextChild("body", big));
            maxQueued[0] = Math.max(maxQueued[0], connection.queuedBytes());
            answered.add(stanza.attr("id"));
        };
        RouterSettings s = new RouterSettings("127.0.0.1", router.port(), "conference.localhost", "s3cr3t", 1, 50, 400,
                1 << 20, budget, XmlLimits.defaults());
        ComponentConnection c = start(s, expensive, new Backoff(50, 400, () -> 0.0));
        FakeRouter.Side side = router.acceptAuthenticated(WAIT);
        Await.until(WAIT, c::isAuthenticated, "authenticated");
        long afterHandshake = side.receivedBytes();
        side.countOnly();
        side.pauseReading();
        int requests = 60;
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < requests; i++) {
            burst.append("<iq type='get' id='r").append(i).append("' from='x@localhost/r' to='conference.localhost'>")
                    .append("<query xmlns='jabber:iq:browse'/></iq>");
        }
        side.send(burst.toString()); // one write: typically one read on the node's side
        Await.until(WAIT, () -> onContext(c::waitingStanzas) > 0, "stanzas wait for the router to drain");
        // the router does not read: the node stays in this state (one snapshot on the event loop)
        String snapshot = onContext(() -> c.waitingStanzas() + " waiting, paused " + c.readPaused());
        assertTrue(snapshot.endsWith("paused true"), "reading stays paused while stanzas wait: " + snapshot);
        long replyBytes = ("<iq type='result' id='r0' to='x@localhost/r' from='conference.localhost'><body>" + big
                + "</body></iq>").length();
        assertTrue(onContext(c::queuedBytes) <= budget + replyBytes, "queued " + onContext(c::queuedBytes));
        assertTrue(answered.size() < requests, answered.size() + " of " + requests + " handled before the drain");
        assertTrue(count("palaver.router.turn.yields") >= 1);

        side.resumeReading();
        Await.until(Duration.ofSeconds(20), () -> answered.size() == requests,
                () -> answered.size() + " of " + requests + " handled");
        Await.until(Duration.ofSeconds(20), () -> side.receivedBytes() - afterHandshake >= requests * (replyBytes - 2),
                () -> "router got " + (side.receivedBytes() - afterHandshake) + " bytes");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            expected.add("r" + i);
        }
        assertEquals(expected, answered, "every request answered, in arrival order");
        assertTrue(maxQueued[0] <= budget + replyBytes, "at most budget + one answer queued, got " + maxQueued[0]);
        Await.until(WAIT, () -> !onContext(c::readPaused) && onContext(c::waitingStanzas) == 0, "reading resumed");
    }
}
