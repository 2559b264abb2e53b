package org.palaver.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.SimpleIQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.iqlast.LastActivityManager;
import org.jivesoftware.smackx.iqversion.VersionManager;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.palaver.core.ServiceSettings;
import org.palaver.metrics.NodeMetrics;
import org.palaver.testkit.Await;
import org.palaver.testkit.Jabberd2;
import org.palaver.testkit.TestMetrics;
import org.palaver.xml.XmlLimits;

/**
 * A real XMPP client (Smack) logged in through jabberd2's c2s talks to the node through the
 * router: the service-level answers of spec §4 / §13.1 as a client really gets them.
 */
class ClientIT {
    private static final String SECRET = "client-it";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Jabberd2 jabberd2;
    private Vertx vertx;
    private final NodeMetrics metrics = TestMetrics.fresh();
    private XMPPTCPConnection alice;
    private DomainBareJid service;

    @BeforeEach
    void setUp() throws Exception {
        jabberd2 = Jabberd2.start(SECRET);
        vertx = Vertx.vertx();
        RouterSettings router = new RouterSettings("127.0.0.1", jabberd2.routerPort(), "conference.localhost", SECRET,
                1, 200, 1600, 1 << 20, XmlLimits.defaults());
        vertx.deployVerticle(new ConferenceNode(router, ServiceSettings.defaults("conference.localhost"), metrics))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        jabberd2.awaitRouterLog("[conference.localhost] online", 1, WAIT);
        service = JidCreate.domainBareFrom("conference.localhost");

        alice = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(Jabberd2.DOMAIN)
                .setHost("127.0.0.1")
                .setPort(jabberd2.c2sPort())
                .setUsernameAndPassword("alice", "alice")
                .setResource("it")
                .setSecurityMode(SecurityMode.disabled)
                .addEnabledSaslMechanism("PLAIN")
                .setSendPresence(false)
                .build());
        alice.setReplyTimeout(10_000);
        alice.connect().login();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (alice != null) {
            alice.disconnect();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        jabberd2.close();
        metrics.close();
    }

    @Test
    void discoInfoNamesAConferenceService() throws Exception {
        DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(service);
        assertTrue(info.hasIdentity("conference", "text"), info.toXML().toString());
        assertTrue(info.containsFeature("jabber:iq:conference"), info.toXML().toString());
    }

    @Test
    void versionAndLastActivity() throws Exception {
        Version version = VersionManager.getInstanceFor(alice).getVersion(service);
        assertEquals("palaver", version.getName());
        assertEquals("0.1", version.getVersion());
        assertTrue(version.getOs() != null && !version.getOs().isBlank());
        long idle = LastActivityManager.getInstanceFor(alice).getLastActivity(service).getIdleTime();
        assertTrue(idle >= 0 && idle < 600, "uptime in seconds: " + idle);
    }

    @Test
    void unsupportedServiceQueryGetsFeatureNotImplemented() throws Exception {
        IQ register = new SimpleIQ("query", "jabber:iq:register") {
        };
        register.setTo(service);
        register.setType(IQ.Type.get);
        XMPPErrorException e = assertThrows(XMPPErrorException.class,
                () -> alice.sendIqRequestAndWaitForResponse(register));
        assertEquals(StanzaError.Condition.feature_not_implemented, e.getStanzaError().getCondition(), e.toString());
    }

    @Test
    void theSessionManagerListsTheServiceAfterItsProbe() throws Exception {
        ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(alice);
        DomainBareJid server = JidCreate.domainBareFrom(Jabberd2.DOMAIN);
        Await.until(WAIT, () -> {
            try {
                return disco.discoverItems(server).getItems().stream()
                        .anyMatch(i -> i.getEntityID().equals(service));
            } catch (Exception e) {
                return false;
            }
        }, "localhost's disco#items lists conference.localhost (the sm's disco#info probe was answered)");
    }
}
