package org.palaver.e2e;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.palaver.component.ConferenceNode;
import org.palaver.component.RouterSettings;
import org.palaver.core.ServiceSettings;
import org.palaver.metrics.NodeMetrics;
import org.palaver.testkit.Jabberd2;
import org.palaver.testkit.TestMetrics;
import org.palaver.xml.XmlLimits;

/**
 * The whole system for end-to-end tests: a real jabberd2 (router, sm, c2s) with one conference node
 * serving {@value #SERVICE} through the router, and the Smack clients a test logs in through c2s.
 * One per test class, registered as a JUnit extension
 * ({@code @RegisterExtension static final ConferenceStack stack = new ConferenceStack();}): started
 * before the class's first test, its clients disconnected after each test, stopped after the class.
 */
final class ConferenceStack implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    static final String SERVICE = "conference.localhost";
    static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SECRET = "e2e-secret";

    private final List<SmackClient> clients = new ArrayList<>();
    private Jabberd2 jabberd2;
    private Vertx vertx;
    private NodeMetrics metrics;

    /**
     * Starts jabberd2 and a node with the spec §18 default settings; returns once the router has
     * bound the service.
     */
    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        SmackClient.logThroughSlf4j();
        jabberd2 = Jabberd2.start(SECRET);
        vertx = Vertx.vertx();
        metrics = TestMetrics.fresh();
        try {
            RouterSettings router = new RouterSettings("127.0.0.1", jabberd2.routerPort(), SERVICE, SECRET,
                    1, 200, 1600, 1 << 20, XmlLimits.defaults());
            vertx.deployVerticle(new ConferenceNode(router, ServiceSettings.defaults(SERVICE), metrics))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            jabberd2.awaitRouterLog("[" + SERVICE + "] online", 1, WAIT);
        } catch (Exception | AssertionError e) {
            afterAll(context);
            throw e;
        }
    }

    /** Logs {@code user} (password = user name) in through c2s as {@code user@localhost/resource}. */
    SmackClient login(String user, String resource) throws Exception {
        SmackClient client = SmackClient.login(jabberd2.c2sPort(), user, resource);
        clients.add(client);
        return client;
    }

    /** The port of jabberd2's c2s (plain connections), for clients that are not Smack. */
    int c2sPort() {
        return jabberd2.c2sPort();
    }

    /** Disconnects every client of the last test that is still connected. */
    @Override
    public void afterEach(ExtensionContext context) {
        clients.forEach(SmackClient::close);
        clients.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        afterEach(context);
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            metrics.close();
            jabberd2.close();
        }
    }
}
