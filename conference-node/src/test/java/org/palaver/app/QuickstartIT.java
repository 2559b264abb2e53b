package org.palaver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.palaver.testkit.Await;
import org.palaver.testkit.Jabberd2;
import org.palaver.testkit.OpsClient;

/**
 * {@code scripts/quickstart.sh} as a new user runs it, on free ports given by environment: a stock
 * client library (Smack, configured like current desktop clients: STARTTLS required, the generated
 * certificate trusted, SCRAM-SHA-1 only) logs in and chats in a predefined room; a port in use
 * stops the script before it reports "running", with a readable message and exit status 1.
 */
class QuickstartIT {
    private static final Path ROOT = Jabberd2.projectRoot();
    private static final Duration START = Duration.ofSeconds(120);

    private final List<Process> scripts = new ArrayList<>();
    private final List<XMPPTCPConnection> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        clients.forEach(XMPPTCPConnection::disconnect);
        for (Process p : scripts) {
            p.destroy(); // SIGTERM: the script stops the node and jabberd2
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private Process quickstart(Path runDir, Path output, int c2s, int router, int http) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("scripts/quickstart.sh").toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = pb.environment();
        env.put("PALAVER_RUN_DIR", runDir.toString());
        env.put("JD2_C2S_PORT", Integer.toString(c2s));
        env.put("JD2_ROUTER_PORT", Integer.toString(router));
        env.put("PALAVER_HTTP_PORT", Integer.toString(http));
        Process p = pb.start();
        scripts.add(p);
        return p;
    }

    private static Path runDir(String name) throws IOException {
        Path dir = ROOT.resolve("conference-node/target/quickstart-it").resolve(name);
        Files.createDirectories(dir);
        return dir;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aStockClientLogsInOverStartTlsWithScramAndChatsInARoom() throws Exception {
        Path dir = runDir("stock-client");
        Path output = dir.resolve("quickstart.out");
        int c2s = OpsClient.freePort();
        int router = OpsClient.freePort();
        int http = OpsClient.freePort();
        Process script = quickstart(dir, output, c2s, router, http);
        Await.until(START, () -> read(output).contains("Palaver is running.") || !script.isAlive(),
                () -> "quickstart did not report running: " + read(output));
        assertTrue(script.isAlive(), read(output));
        String banner = read(output);
        assertTrue(banner.contains("port " + c2s + ", account alice@localhost"), banner);
        assertTrue(banner.contains("http://127.0.0.1:" + http + "/metrics"), banner);
        assertEquals(200, new OpsClient(http).status("/health/ready"), "ready when reported running");

        XMPPTCPConnection alice = login(c2s, "alice", dir.resolve("jabberd2/etc/c2s.crt"));
        assertTrue(alice.isSecureConnection(), "STARTTLS negotiated");
        assertEquals("SCRAM-SHA-1", alice.getUsedSaslMechansism());

        MultiUserChat lounge = MultiUserChatManager.getInstanceFor(alice)
                .getMultiUserChat(JidCreate.entityBareFrom("lounge@conference.localhost"));
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        lounge.addMessageListener(received::add);
        lounge.join(Resourcepart.from("alice"));
        lounge.sendMessage("hello over STARTTLS and SCRAM-SHA-1");
        Message echo = received.poll(15, TimeUnit.SECONDS);
        while (echo != null && echo.getBody() == null) { // a subject or notice before the echo
            echo = received.poll(15, TimeUnit.SECONDS);
        }
        assertTrue(echo != null, "the room echoed the message");
        assertEquals("hello over STARTTLS and SCRAM-SHA-1", echo.getBody());
        assertEquals("lounge@conference.localhost/alice", echo.getFrom().toString());
        String c2sLog = read(dir.resolve("jabberd2/log/c2s.log"));
        assertTrue(c2sLog.contains("SCRAM-SHA-1 authentication succeeded: alice@localhost"), c2sLog);
    }

    @Test
    void aPortInUseStopsTheQuickStartBeforeItSaysRunning() throws Exception {
        Path dir = runDir("port-in-use");
        Path output = dir.resolve("quickstart.out");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process script = quickstart(dir, output, OpsClient.freePort(), OpsClient.freePort(), taken.getLocalPort());
            assertTrue(script.waitFor(60, TimeUnit.SECONDS), "quickstart gave up: " + read(output));
            String out = read(output);
            assertEquals(1, script.exitValue(), out);
            assertTrue(out.contains("quickstart: port " + taken.getLocalPort()
                    + " (the node's metrics and health endpoints) is already in use; choose another one, e.g. PALAVER_HTTP_PORT="),
                    out);
            assertFalse(out.contains("running"), out);
        }
    }

    private XMPPTCPConnection login(int c2s, String user, Path certificate) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(Jabberd2.DOMAIN)
                .setHost("127.0.0.1")
                .setPort(c2s)
                .setUsernameAndPassword(user, user)
                .setResource("quickstart")
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(trusting(certificate))
                .addEnabledSaslMechanism("SCRAM-SHA-1")
                .build());
        c.setReplyTimeout(15_000);
        clients.add(c);
        c.connect().login();
        return c;
    }

    /** Trusts exactly the certificate the quick start generated (the host name is still checked). */
    private static X509TrustManager trusting(Path certificate) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            store.setCertificateEntry("quickstart", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }
}
