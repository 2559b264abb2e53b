package org.palaver.component;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import org.palaver.core.ConferenceService;
import org.palaver.core.RoomDirectory;
import org.palaver.core.ServiceSettings;
import org.palaver.metrics.NodeMetrics;
import org.palaver.metrics.RouterState;
import org.palaver.xml.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conference node: the protocol core plus this node's router connections, all on the single
 * event loop of this verticle. The core is not thread-safe and needs no hand-off: every inbound
 * stanza is handled inline, in arrival order, and its output is batched onto a connection.
 * Traffic, connection states and the core's room and participant counts feed {@link NodeMetrics}.
 *
 * <p>Inbound stanzas go to an {@link Ingress}: straight to the core on a single node, through the
 * cluster layer (which may forward them to the room's owner) in a cluster.
 */
public final class ConferenceNode extends VerticleBase implements ComponentConnection.Listener {
    private static final Logger log = LoggerFactory.getLogger(ConferenceNode.class);

    /** Spec §5.4: the original's heartbeat period. */
    public static final long HEARTBEAT_MS = 120_000;
    static final int CONNECT_TIMEOUT_MS = 5_000;

    private final RouterSettings router;
    private final ServiceSettings service;
    private final NodeMetrics metrics;
    private final RoomDirectory directory;
    private final Ingress.Factory ingressFactory;
    private final List<ComponentConnection> connections = new ArrayList<>();
    /** {@link #connections} once started, for readers on other threads (probes, scrapes). */
    private volatile List<ComponentConnection> published = List.of();
    private LocalCore core;
    private Ingress ingress;
    private NetClient client;
    private long heartbeatTimer = -1;

    /** A single node: a single-node core (its own listings, predefined rooms from the start), every stanza to it. */
    public ConferenceNode(RouterSettings router, ServiceSettings service, NodeMetrics metrics) {
        this(router, service, metrics, null, Ingress.local());
    }

    /**
     * @param directory      where the core publishes and reads room listings; {@code null}: a
     *                       single-node core
     * @param ingressFactory decides where inbound stanzas are applied, given this node's core
     */
    public ConferenceNode(RouterSettings router, ServiceSettings service, NodeMetrics metrics,
                          RoomDirectory directory, Ingress.Factory ingressFactory) {
        this.router = router;
        this.service = service;
        this.metrics = metrics;
        this.directory = directory;
        this.ingressFactory = ingressFactory;
    }

    @Override
    public Future<?> start() {
        return RawChannel.verify(vertx).map(v -> {
            begin();
            return null;
        });
    }

    private void begin() {
        long now = System.currentTimeMillis();
        ConferenceService conference = directory == null ? new ConferenceService(service, now)
                : new ConferenceService(service, now, directory);
        CoreCounts counts = new CoreCounts(metrics);
        counts.update(conference); // predefined rooms exist from the start
        core = new LocalCore(conference, new RouterOutbox(connections, metrics), counts);
        ingress = ingressFactory.create(core);
        client = vertx.createNetClient(new NetClientOptions()
                .setTcpNoDelay(true)
                .setConnectTimeout(CONNECT_TIMEOUT_MS));
        for (int i = 1; i <= router.connections(); i++) {
            connections.add(new ComponentConnection(vertx, client, router, i, this,
                    new Backoff(router.reconnectMinMs(), router.reconnectMaxMs()), metrics));
        }
        published = List.copyOf(connections);
        metrics.bindRouterConnections(this::connectionsIn);
        connections.forEach(ComponentConnection::start);
        heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, id -> heartbeat());
    }

    /** Closes every stream with {@code </stream:stream>} and waits briefly for the router. */
    @Override
    public Future<?> stop() {
        vertx.cancelTimer(heartbeatTimer);
        List<Future<Void>> closing = new ArrayList<>();
        for (ComponentConnection c : connections) {
            closing.add(c.stop());
        }
        return Future.join(closing).eventually(() -> client.close());
    }

    /**
     * Closes every router stream and keeps them closed until {@link #connectRouter}: the node stays
     * up without a router (maintenance, and tests of a node cut off from its router). Any thread.
     */
    public Future<Void> disconnectRouter() {
        Promise<Void> closed = Promise.promise();
        context.runOnContext(v -> Future.join(connections.stream().map(ComponentConnection::stop).toList())
                .onComplete(ar -> closed.tryComplete()));
        return closed.future();
    }

    /** Connects the router streams again after {@link #disconnectRouter}. Any thread. */
    public void connectRouter() {
        context.runOnContext(v -> connections.forEach(ComponentConnection::start));
    }

    @Override
    public void onStanza(ComponentConnection connection, Element stanza) {
        ingress.onStanza(connection, stanza);
    }

    private void heartbeat() {
        try {
            core.heartbeat();
        } catch (RuntimeException e) { // a bug must not stop later heartbeats
            log.error("heartbeat failed", e);
        }
    }

    /** This node's connections, in number order (empty before start); safe from any thread. */
    public List<ComponentConnection> connections() {
        return published;
    }

    /** Whether some router connection is authenticated (readiness); safe from any thread. */
    public boolean anyAuthenticated() {
        return connectionsIn(RouterState.AUTHENTICATED) > 0;
    }

    private long connectionsIn(RouterState state) {
        return published.stream().filter(c -> c.routerState() == state).count();
    }
}
