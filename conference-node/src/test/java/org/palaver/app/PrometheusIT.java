package org.palaver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.palaver.app.config.NodeConfig;
import org.palaver.metrics.NodeMetrics;
import org.palaver.testkit.Await;
import org.palaver.testkit.Jabberd2;
import org.palaver.testkit.OpsClient;

/**
 * A real Prometheus (Debian's {@code prometheus} package, as CI installs it) scrapes a node under
 * client traffic through jabberd2; queries over its HTTP API match the traffic sent exactly:
 * participants, messages in, fan-out copies out, one latency sample per stanza (not per copy),
 * error stanzas by condition. {@code promtool check metrics} finds nothing to complain about in the
 * node's scrape.
 */
class PrometheusIT {
    private static final String SECRET = "prometheus-it";
    private static final String NODE = "prom-it";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ROOM = "prom@" + TestConfigs.DOMAIN;
    private static final List<String> USERS = List.of("alice", "bob", "carol");
    private static final int MESSAGES = 25;
    private static final int ERRORS = 4;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<XMPPTCPConnection> clients = new ArrayList<>();
    private Jabberd2 jabberd2;
    private RunningNode node;
    private Process prometheus;
    private int prometheusPort;
    private Path dir;

    private static Path binary(String name) {
        Path path = Path.of("/usr/bin", name);
        assertTrue(Files.isExecutable(path), path + " is missing: install Debian's prometheus package "
                + "(scripts/test.sh does, as root)");
        return path;
    }

    @BeforeEach
    void setUp() throws Exception {
        jabberd2 = Jabberd2.start(SECRET);
        dir = jabberd2.dir().resolve("prometheus");
        Files.createDirectories(dir);
        NodeConfig config = TestConfigs.node(jabberd2.routerPort(), SECRET, OpsClient.freePort());
        node = RunningNode.start(config, NODE).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        jabberd2.awaitRouterLog("[" + TestConfigs.DOMAIN + "] online", 1, WAIT);

        prometheusPort = OpsClient.freePort();
        Path yml = dir.resolve("prometheus.yml");
        Files.writeString(yml, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: palaver
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(node.opsPort()));
        prometheus = new ProcessBuilder(binary("prometheus").toString(),
                "--config.file=" + yml, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        Await.until(WAIT, () -> status("/-/ready") == 200, () -> "prometheus ready; log: " + log());
        Await.until(WAIT, () -> query("up{job=\"palaver\"}") == 1, () -> "target up; log: " + log());
    }

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(XMPPTCPConnection::disconnect);
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(15, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (node != null) {
            node.stop().await(10, TimeUnit.SECONDS);
        }
        jabberd2.close();
    }

    @Test
    void queriesMatchTheTrafficSent() throws Exception {
        for (String user : USERS) {
            XMPPTCPConnection c = login(user);
            c.sendStanza(c.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available)
                    .to(JidCreate.entityFullFrom(ROOM + "/" + user)).build());
        }
        awaitQuery("palaver_participants{palaver_node=\"" + NODE + "\"}", USERS.size());

        // baselines: the node's own values once the joins are done, and Prometheus has caught up
        String messagesIn = "palaver_stanzas_in_total{kind=\"message\",palaver_node=\"" + NODE + "\"}";
        String copiesOut = "palaver_copies_out_total{palaver_node=\"" + NODE + "\"}";
        String latencyCount = "palaver_stanza_latency_seconds_count{palaver_node=\"" + NODE + "\"}";
        OpsClient ops = new OpsClient(node.opsPort());
        double messages0 = ops.sample(messagesIn);
        double copies0 = ops.sample(copiesOut);
        double latency0 = ops.sample(latencyCount);
        awaitQuery(copiesOut, copies0);
        awaitQuery(latencyCount, latency0);

        XMPPTCPConnection alice = clients.get(0);
        for (int i = 0; i < MESSAGES; i++) {
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().ofType(Message.Type.groupchat)
                    .to(JidCreate.entityBareFrom(ROOM)).setBody("message " + i).build());
        }
        awaitQuery(messagesIn, messages0 + MESSAGES);
        awaitQuery(copiesOut, copies0 + MESSAGES * USERS.size());
        awaitQuery(latencyCount, latency0 + MESSAGES); // once per stanza, not per copy

        String condition = null;
        for (int i = 0; i < ERRORS; i++) {
            condition = errorFromService(alice);
        }
        awaitQuery("palaver_error_stanzas_out_total{condition=\"" + condition + "\",palaver_node=\"" + NODE + "\"}",
                ERRORS);

        double p99 = query("histogram_quantile(0.99, sum by (le) (rate(palaver_stanza_latency_seconds_bucket[1m])))");
        assertTrue(p99 > 0 && p99 <= 5, "p99 latency from the histogram: " + p99);
        assertEquals(2, query("palaver_rooms{palaver_node=\"" + NODE + "\"}"), "lounge and prom");
    }

    @Test
    void promtoolFindsNothingToFixInAScrape() throws Exception {
        login("alice"); // some traffic, so that every lazily created series exists
        String scrape = new OpsClient(node.opsPort()).get("/metrics").body();
        Path file = dir.resolve("scrape.txt");
        Files.writeString(file, scrape);
        Process promtool = new ProcessBuilder(binary("promtool").toString(), "check", "metrics")
                .redirectInput(file.toFile()).redirectErrorStream(true).start();
        String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        assertEquals("", out.strip());
        assertEquals(0, promtool.exitValue());
    }

    @Test
    void everyDashboardQueryRunsAndNamesSeriesTheNodeExports() throws Exception {
        login("alice");
        var scraped = new OpsClient(node.opsPort()).scrape().keySet().stream()
                .map(series -> series.replaceFirst("\\{.*", "")).collect(java.util.stream.Collectors.toSet());
        Await.until(WAIT, () -> query("palaver_ready{palaver_node=\"" + NODE + "\"}") == 1, "scraped while ready");
        JsonObject dashboard = new JsonObject(Files.readString(Jabberd2.projectRoot().resolve("monitoring/grafana-dashboard.json")));
        String readme = Files.readString(Jabberd2.projectRoot().resolve("README.md"));
        int queries = 0;
        for (Object p : dashboard.getJsonArray("panels")) {
            JsonArray targets = ((JsonObject) p).getJsonArray("targets");
            for (Object t : targets == null ? new JsonArray() : targets) {
                String expr = ((JsonObject) t).getString("expr");
                String promql = expr.replace("$__rate_interval", "1m").replace("$__range", "5m")
                        .replace("$palaver_node", ".*").replace("$job", ".*");
                HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
                assertEquals(200, response.statusCode(), expr + ": " + response.body());
                var names = java.util.regex.Pattern.compile("\\b(palaver|jvm|process)_[a-z_]+").matcher(expr);
                while (names.find()) {
                    String name = names.group();
                    if (name.equals(NodeMetrics.NODE_LABEL)) {
                        continue; // the label, not a series
                    }
                    // exported by this node now, or documented (cluster meters; counters created on first event)
                    String family = name.replaceFirst("_(bucket|sum|count|max)$", "");
                    assertTrue(scraped.contains(name) || readme.contains("`" + name + "`")
                                    || readme.contains("`" + family + "`") || readme.contains("`" + family + "{"),
                            ((JsonObject) p).getString("title") + ": " + name + " is neither exported nor documented");
                }
                queries++;
            }
        }
        assertTrue(queries > 20, queries + " queries");
    }

    /** An iq the service does not implement, to the service: the condition of the error it answers. */
    private static String errorFromService(XMPPTCPConnection c) throws Exception {
        try {
            ServiceDiscoveryManager.getInstanceFor(c).discoverItems(JidCreate.from(TestConfigs.DOMAIN), "no-such-node");
        } catch (XMPPErrorException e) {
            StanzaError.Condition condition = e.getStanzaError().getCondition();
            return condition.toString();
        } catch (SmackException e) {
            throw new AssertionError("no answer from the service", e);
        }
        throw new AssertionError("the service answered a disco#items query on an unknown node without an error");
    }

    private XMPPTCPConnection login(String user) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(Jabberd2.DOMAIN)
                .setHost("127.0.0.1")
                .setPort(jabberd2.c2sPort())
                .setUsernameAndPassword(user, user)
                .setResource("prom")
                .setSecurityMode(SecurityMode.disabled)
                .addEnabledSaslMechanism("PLAIN")
                .setSendPresence(false)
                .build());
        c.setReplyTimeout(15_000);
        c.connect().login();
        clients.add(c);
        return c;
    }

    private void awaitQuery(String promql, double expected) {
        Await.until(WAIT, () -> query(promql) == expected,
                () -> promql + " == " + expected + " in Prometheus; it has " + query(promql));
    }

    /** The value of an instant query with one result; NaN when it has none (not scraped yet). */
    private double query(String promql) {
        String path = "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        HttpResponse<String> response = get(path);
        if (response == null || response.statusCode() != 200) {
            return Double.NaN;
        }
        JsonObject body = new JsonObject(response.body());
        JsonArray result = body.getJsonObject("data").getJsonArray("result");
        if (result.size() != 1) {
            return Double.NaN;
        }
        return Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1));
    }

    private int status(String path) {
        HttpResponse<String> response = get(path);
        return response == null ? -1 : response.statusCode();
    }

    private HttpResponse<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
