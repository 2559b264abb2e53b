package org.palaver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.palaver.app.config.NodeConfig;
import org.palaver.testkit.Await;
import org.palaver.testkit.Jabberd2;
import org.palaver.testkit.OpsClient;

/**
 * The ops endpoint of a node started as the launcher starts it, against a real jabberd2: real HTTP
 * scrapes show the router connection, client traffic and room membership; readiness follows the
 * router connection.
 */
class MetricsIT {
    private static final String SECRET = "metrics-it";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NODE = "palaver_node=\"it-node\"";
    private static final String AUTHENTICATED = "palaver_router_connections{" + NODE + ",state=\"authenticated\"}";
    private static final String IQS_IN = "palaver_stanzas_in_total{kind=\"iq\"," + NODE + "}";

    private Jabberd2 jabberd2;
    private RunningNode node;
    private OpsClient ops;

    @BeforeEach
    void setUp() throws Exception {
        jabberd2 = Jabberd2.start(SECRET);
        NodeConfig config = TestConfigs.node(jabberd2.routerPort(), SECRET, OpsClient.freePort());
        node = RunningNode.start(config, "it-node").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ops = new OpsClient(node.opsPort());
        jabberd2.awaitRouterLog("[" + TestConfigs.DOMAIN + "] online", 1, WAIT);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (node != null) {
            node.stop().await(10, TimeUnit.SECONDS);
        }
        jabberd2.close();
    }

    private XMPPTCPConnection login(String user) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(Jabberd2.DOMAIN)
                .setHost("127.0.0.1")
                .setPort(jabberd2.c2sPort())
                .setUsernameAndPassword(user, user)
                .setResource("it")
                .setSecurityMode(SecurityMode.disabled)
                .addEnabledSaslMechanism("PLAIN")
                .setSendPresence(false)
                .build());
        c.setReplyTimeout(10_000);
        c.connect().login();
        return c;
    }

    private void awaitSample(String series, double expected) {
        Await.until(WAIT, () -> ops.sample(series) == expected,
                () -> series + " = " + expected + "; scrape: " + ops.scrape());
    }

    @Test
    void scrapesShowTheRouterConnectionAndClientTraffic() throws Exception {
        awaitSample(AUTHENTICATED, 1);
        double iqsBefore = ops.sample(IQS_IN);

        XMPPTCPConnection alice = login("alice");
        try {
            DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(alice)
                    .discoverInfo(JidCreate.domainBareFrom(TestConfigs.DOMAIN));
            assertTrue(info.hasIdentity("conference", "text"), info.toXML().toString());
            Map<String, Double> after = ops.scrape();
            assertTrue(after.get(IQS_IN) >= iqsBefore + 1, "iqs in: " + iqsBefore + " -> " + after.get(IQS_IN));
            assertTrue(after.get("palaver_stanzas_out_total{" + NODE + "}") >= 1, after.toString());
            assertTrue(after.get("palaver_bytes_in_total{" + NODE + "}") > 0, after.toString());
            assertTrue(after.get("palaver_bytes_out_total{" + NODE + "}") > 0, after.toString());
            assertEquals(1, after.get("palaver_rooms{" + NODE + "}"), "the predefined room");

            // gc-1.0 entry and exit: presence to room/nick, then unavailable presence
            var lounge = JidCreate.entityFullFrom("lounge@" + TestConfigs.DOMAIN + "/alice");
            alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza()
                    .ofType(Presence.Type.available).to(lounge).build());
            awaitSample("palaver_participants{" + NODE + "}", 1);
            alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza()
                    .ofType(Presence.Type.unavailable).to(lounge).build());
            awaitSample("palaver_participants{" + NODE + "}", 0);
            awaitSample("palaver_participants_removed_total{" + NODE + ",reason=\"leave\"}", 1);
            assertTrue(ops.sample("palaver_copies_out_total{" + NODE + "}") >= 2,
                    "own presence in and out were broadcasts: " + ops.scrape());
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void readinessFollowsTheRouterConnection() throws Exception {
        Await.until(WAIT, () -> ops.status("/health/ready") == 200, "ready once authenticated");
        assertEquals(200, ops.status("/health/live"));
        assertEquals(1, ops.sample("palaver_ready{" + NODE + "}"));

        jabberd2.killRouter();
        Await.until(WAIT, () -> ops.status("/health/ready") == 503, "not ready without the router");
        assertEquals(0, ops.sample("palaver_ready{" + NODE + "}"));
        assertEquals(200, ops.status("/health/live"), "alive all the same");
        assertEquals(0, ops.sample(AUTHENTICATED));
        Await.until(WAIT, () -> ops.sample("palaver_router_reconnects_total{" + NODE + "}") >= 1, "reconnects counted");

        jabberd2.start();
        Await.until(WAIT, () -> ops.status("/health/ready") == 200, "ready again after reconnecting");
        awaitSample(AUTHENTICATED, 1);
    }
}
