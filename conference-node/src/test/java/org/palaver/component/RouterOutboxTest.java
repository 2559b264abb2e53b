package org.palaver.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.palaver.metrics.NodeMetrics;
import org.palaver.testkit.Await;
import org.palaver.testkit.TestMetrics;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlLimits;

/** Where the core's output goes when a node has several router connections. */
class RouterOutboxTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private Vertx vertx;
    private final NodeMetrics metrics = TestMetrics.fresh();
    private Context context;
    private FakeRouter router;
    private final List<ComponentConnection> connections = new ArrayList<>();
    private RouterOutbox outbox;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        router = new FakeRouter(vertx);
        RouterSettings s = new RouterSettings("127.0.0.1", router.port(), "conference.localhost", "s3cr3t", 2,
                50, 400, 1 << 20, XmlLimits.defaults());
        onContext(() -> {
            NetClient client = vertx.createNetClient();
            for (int i = 1; i <= 2; i++) {
                connections.add(new ComponentConnection(vertx, client, s, i, (c, stanza) -> { }, new Backoff(50, 400), metrics));
            }
            outbox = new RouterOutbox(connections, metrics);
            connections.forEach(ComponentConnection::start);
            return null;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        router.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        metrics.close();
    }

    private <T> T onContext(Supplier<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> result.complete(task.get()));
        return result.get(5, TimeUnit.SECONDS);
    }

    private static Element message(String body) {
        return new Element("message").attr("from", "lounge@conference.localhost").addTextChild("body", body);
    }

    /** Authenticates the first connection to arrive, leaves the second waiting for the header. */
    private FakeRouter.Side authenticateOne() throws Exception {
        FakeRouter.Side one = router.acceptAuthenticated(WAIT);
        FakeRouter.Side other = router.accept(WAIT);
        other.awaitReceived("<stream:stream");
        Await.until(WAIT, () -> connections.stream().filter(ComponentConnection::isAuthenticated).count() == 1,
                "one connection authenticated");
        return one;
    }

    private ComponentConnection authenticated() {
        return connections.stream().filter(ComponentConnection::isAuthenticated).findFirst().orElseThrow();
    }

    private ComponentConnection notAuthenticated() {
        return connections.stream().filter(c -> !c.isAuthenticated()).findFirst().orElseThrow();
    }

    @Test
    void outputFollowsTheArrivalConnectionOrFallsBackToAnAuthenticatedOne() throws Exception {
        FakeRouter.Side one = authenticateOne();
        onContext(() -> {
            outbox.via(authenticated()).send(message("same").attr("to", "a@localhost/r"));
            outbox.via(notAuthenticated()).send(message("fallback").attr("to", "b@localhost/r"));
            outbox.via(null).send(message("any").attr("to", "c@localhost/r"));
            return null;
        });
        one.awaitReceived("any</body>");
        String got = one.received();
        assertTrue(got.contains("<body>same</body>") && got.contains("<body>fallback</body>"), got);
        assertEquals(0, outbox.dropped());
    }

    @Test
    void fanoutWritesOneCopyPerRecipient() throws Exception {
        FakeRouter.Side one = authenticateOne();
        onContext(() -> {
            outbox.via(authenticated()).fanout(message("hi"),
                    List.of(Jid.parse("a@localhost/1"), Jid.parse("b@localhost/2"), Jid.parse("c@localhost/3")));
            return null;
        });
        one.awaitReceived("c@localhost/3");
        String got = one.received();
        for (String to : List.of("a@localhost/1", "b@localhost/2", "c@localhost/3")) {
            assertTrue(got.contains("<message to='" + to + "' from='lounge@conference.localhost'><body>hi</body></message>"), got);
        }
    }

    @Test
    void metricsCountStanzasCopiesAndBytesOncePerWrite() throws Exception {
        FakeRouter.Side one = authenticateOne();
        String single = "<message to='a@localhost/r' from='lounge@conference.localhost'><body>one</body></message>";
        onContext(() -> {
            outbox.via(authenticated()).send(message("one").attr("to", "a@localhost/r"));
            outbox.fanout(message("hi"), List.of(Jid.parse("a@localhost/1"), Jid.parse("b@localhost/2"),
                    Jid.parse("c@localhost/3")));
            return null;
        });
        one.awaitReceived("c@localhost/3");
        MeterRegistry r = metrics.registry();
        assertEquals(1, r.get("palaver.stanzas.out").counter().count());
        assertEquals(3, r.get("palaver.copies.out").counter().count());
        assertEquals(1, r.get("palaver.fanout.recipients").summary().count());
        assertEquals(3, r.get("palaver.fanout.recipients").summary().totalAmount());
        String copy = "<message to='a@localhost/1' from='lounge@conference.localhost'><body>hi</body></message>";
        assertEquals(single.length() + 3 * copy.length(), r.get("palaver.bytes.out").counter().count(),
                "the batch's bytes, counted once");
        assertEquals(1, onContext(() -> authenticated().socketWrites()));
    }

    @Test
    void withoutAuthenticatedConnectionOutputIsDroppedAndCounted() throws Exception {
        router.accept(WAIT);
        router.accept(WAIT);
        onContext(() -> {
            outbox.via(connections.get(0)).send(message("lost").attr("to", "a@localhost/r"));
            outbox.fanout(message("lost too"), List.of(Jid.parse("a@localhost/1"), Jid.parse("b@localhost/2")));
            return null;
        });
        assertEquals(3, onContext(outbox::dropped));
        assertFalse(connections.get(0).isAuthenticated());
    }

    /** Records what it is given; takes it only while {@code accepting}. */
    private static final class RecordingRelay implements OutputRelay {
        final List<String> taken = new ArrayList<>();
        boolean accepting = true;

        @Override
        public boolean send(Element stanza) {
            return accepting && taken.add(stanza.toString());
        }

        @Override
        public boolean fanout(Element template, List<Jid> recipients) {
            return accepting && taken.add(recipients + " " + template);
        }
    }

    @Test
    void withoutAuthenticatedConnectionOutputGoesToTheRelayOrIsDroppedWhenItRefuses() throws Exception {
        router.accept(WAIT);
        router.accept(WAIT);
        RecordingRelay relay = new RecordingRelay();
        List<Jid> two = List.of(Jid.parse("a@localhost/1"), Jid.parse("b@localhost/2"));
        onContext(() -> {
            outbox.relayTo(relay);
            outbox.via(connections.get(0)).send(message("relayed").attr("to", "a@localhost/r"));
            outbox.fanout(message("relayed too"), two);
            return null;
        });
        assertEquals(2, relay.taken.size(), relay.taken.toString());
        assertTrue(relay.taken.get(0).contains("relayed") && relay.taken.get(1).startsWith(two.toString()),
                relay.taken.toString());
        assertEquals(0, onContext(outbox::dropped));
        relay.accepting = false;
        onContext(() -> {
            outbox.fanout(message("lost"), two);
            return null;
        });
        assertEquals(2, onContext(outbox::dropped), "refused by the relay: dropped");
    }

    @Test
    void relayedOutputIsWrittenUnchangedOnAnAuthenticatedConnectionAndNeverRelayedOn() throws Exception {
        RecordingRelay relay = new RecordingRelay();
        onContext(() -> {
            outbox.relayTo(relay);
            return null;
        });
        assertFalse(onContext(() -> outbox.writeRelayed(message("nowhere").attr("to", "a@localhost/r"), null)));
        assertTrue(relay.taken.isEmpty(), "relayed output is not relayed again");
        FakeRouter.Side one = authenticateOne();
        assertTrue(onContext(() -> outbox.writeRelayed(message("single").attr("to", "a@localhost/r"), null)));
        assertTrue(onContext(() -> outbox.writeRelayed(message("copies"),
                List.of(Jid.parse("b@localhost/1"), Jid.parse("c@localhost/2")))));
        one.awaitReceived("c@localhost/2");
        String got = one.received();
        assertTrue(got.contains("<message from='lounge@conference.localhost' to='a@localhost/r'><body>single</body></message>"), got);
        assertTrue(got.contains("<message to='b@localhost/1' from='lounge@conference.localhost'><body>copies</body></message>"), got);
    }
}
