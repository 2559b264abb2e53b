package org.palaver.e2e;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.palaver.cluster.ClusterNode;
import org.palaver.cluster.ClusterSettings;
import org.palaver.cluster.HazelcastConfigs;
import org.palaver.cluster.OwnershipView;
import org.palaver.component.RouterSettings;
import org.palaver.core.ServiceSettings;
import org.palaver.metrics.NodeMetrics;
import org.palaver.testkit.Await;
import org.palaver.testkit.Jabberd2;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlLimits;

/**
 * A real jabberd2 and a cluster of real conference nodes in this JVM: clustered Vert.x with the
 * Hazelcast cluster manager, members joined over TCP/IP on 127.0.0.1 (multicast off), each with
 * its own router connection for {@value ConferenceStack#SERVICE}. Nodes are started by the tests
 * ({@link #startNode}) and stopped after each test; jabberd2 lives for the class.
 */
final class ClusterStack implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    static final String SERVICE = ConferenceStack.SERVICE;
    static final Duration WAIT = ConferenceStack.WAIT;
    private static final String SECRET = "cluster-secret";

    /** One running node and its meters. */
    record Member(ClusterNode node, NodeMetrics metrics, PrometheusMeterRegistry registry) {
        double counter(String name, String direction) {
            Counter c = registry.find(name).tag("direction", direction).counter();
            return c == null ? 0 : c.count();
        }

        double rooms() {
            return gauge("palaver.rooms");
        }

        double gauge(String name) {
            return registry.find(name).gauge().value();
        }
    }

    private final List<SmackClient> clients = new ArrayList<>();
    private final List<Member> members = new ArrayList<>();
    private Jabberd2 jabberd2;
    private String clusterName;
    private int basePort;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        SmackClient.logThroughSlf4j();
        jabberd2 = Jabberd2.start(SECRET);
    }

    /**
     * Starts one more node and waits until it is ready (its router connection authenticated, it
     * owns rooms under a settled view) and every node routes by the same view.
     */
    Member startNode() throws Exception {
        return startNode(ClusterSettings.DEFAULT_BACKUPS);
    }

    /** {@link #startNode()} with {@code backups} backups per room (0: no crash takeover). */
    Member startNode(int backups) throws Exception {
        if (members.isEmpty()) { // a fresh cluster per test: nothing carries over between tests
            clusterName = "palaver-it-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
            basePort = ThreadLocalRandom.current().nextInt(20_000, 59_000);
        }
        PrometheusMeterRegistry registry = NodeMetrics.newRegistry("n" + (members.size() + 1));
        NodeMetrics metrics = new NodeMetrics(registry);
        RouterSettings router = new RouterSettings("127.0.0.1", jabberd2.routerPort(), SERVICE, SECRET,
                1, 200, 1600, 1 << 20, XmlLimits.defaults());
        ClusterSettings settings = new ClusterSettings(Path.of("test"), hazelcast(), "127.0.0.1", 0, 5_000, backups);
        Future<ClusterNode> starting = ClusterNode.start(settings, router, ServiceSettings.defaults(SERVICE), metrics,
                registry);
        ClusterNode node;
        try {
            node = starting.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // a node that starts after all would connect to the router and take a share of later tests' users
            starting.onSuccess(late -> late.vertx().close());
            throw e;
        }
        Member m = new Member(node, metrics, registry);
        members.add(m);
        awaitSettled();
        return m;
    }

    /** Every node ready and routing by the same view, which has all of them. */
    void awaitSettled() {
        Await.until(WAIT, () -> {
            long epoch = members.get(0).node().view().epoch();
            return members.stream().allMatch(m -> m.node().ready() && m.node().view().epoch() == epoch
                    && m.node().view().members().size() == members.size());
        }, () -> "cluster never settled: " + members.stream().map(m -> m.node().id() + " ready=" + m.node().ready()
                + " view=" + m.node().view()).toList());
    }

    /** Stops a node gracefully (hand-off, close streams, leave) and waits for the others to settle. */
    void stopNode(Member m) throws Exception {
        m.node().stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        m.metrics().close();
        members.remove(m);
        if (!members.isEmpty()) {
            awaitSettled();
        }
    }

    /**
     * Ends a node without its graceful stop (no handoff): its Vert.x and Hazelcast member close,
     * its router stream drops; the survivors see the member leave. Waits for them to settle.
     */
    void crashNode(Member m) throws Exception {
        members.remove(m);
        try {
            m.node().vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            m.metrics().close();
        }
        awaitSettled();
    }

    /** Closes the node's router streams and keeps them closed until {@link #reconnectRouter}. */
    void cutRouter(Member m) throws Exception {
        m.node().disconnectRouter().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Await.until(WAIT, () -> !m.node().routerUp(), "the router streams of " + m.node().id() + " closed");
    }

    /** Connects the node's router streams again after {@link #cutRouter}; waits until one is authenticated. */
    void reconnectRouter(Member m) {
        m.node().connectRouter();
        Await.until(WAIT, () -> m.node().routerUp(), "the router stream of " + m.node().id() + " up again");
    }

    List<Member> members() {
        return List.copyOf(members);
    }

    /** The node owning {@code roomJid} under the current view. */
    Member owner(String roomJid) {
        OwnershipView view = members.get(0).node().view();
        String id = view.owner(Jid.parse(roomJid).roomKey());
        return members.stream().filter(m -> m.node().id().equals(id)).findFirst().orElseThrow();
    }

    /** The first room name {@code prefix}N (N = 1, 2, ...) owned by {@code m}. */
    String roomOwnedBy(Member m, String prefix) {
        for (int i = 1; ; i++) {
            String room = prefix + i + "@" + SERVICE;
            if (owner(room) == m) {
                return room;
            }
        }
    }

    /** The first room name {@code prefix}N owned by {@code owner} with its backup on {@code backup}. */
    String roomBackedUpBy(Member owner, Member backup, String prefix) {
        OwnershipView view = members.get(0).node().view();
        for (int i = 1; ; i++) {
            String room = prefix + i + "@" + SERVICE;
            Jid key = Jid.parse(room).roomKey();
            if (owner.node().id().equals(view.owner(key)) && backup.node().id().equals(view.backup(key))) {
                return room;
            }
        }
    }

    SmackClient login(String user, String resource) throws Exception {
        SmackClient client = SmackClient.login(jabberd2.c2sPort(), user, resource);
        clients.add(client);
        return client;
    }

    /** A Hazelcast configuration for one member: loopback, TCP/IP, short timeouts, a cluster of its own. */
    private Config hazelcast() {
        Config c = new Config().setClusterName(clusterName);
        c.getNetworkConfig().setPort(basePort).setPortAutoIncrement(true).setPortCount(5);
        c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = c.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (int port = basePort; port < basePort + 5; port++) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + port);
        }
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.partition.count", "31");
        c.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
        return HazelcastConfigs.prepare(c);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        clients.forEach(SmackClient::close);
        clients.clear();
        for (Member m : List.copyOf(members)) {
            try {
                m.node().vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } finally {
                m.metrics().close();
            }
        }
        members.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            afterEach(context);
        } finally {
            jabberd2.close();
        }
    }
}
