package org.palaver.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.testkit.PrometheusText.value;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.LogCapture;
import org.palaver.testkit.PrometheusText;

/** A real Vert.x with its metrics in the node registry, a real ops server, real HTTP requests. */
class OpsServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final NodeMetrics metrics = new NodeMetrics(registry);
    private final AtomicBoolean routerUp = new AtomicBoolean(false);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private Vertx vertx;
    private OpsServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = VertxMetricsSetup.builder(new VertxOptions(), registry).build();
        server = new OpsServer(vertx, "127.0.0.1", 0, registry,
                () -> Map.of("router", routerUp.get(), "cluster", true));
        port = server.start().await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.close().await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        vertx.close().await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        metrics.close();
    }

    private HttpResponse<String> request(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return request("GET", path);
    }

    @Test
    void servesNodeAndJvmMetricsInPrometheusTextFormat() throws Exception {
        metrics.stanzaIn(StanzaKind.MESSAGE);
        metrics.stanzaIn(StanzaKind.MESSAGE);
        metrics.stanzaIn(StanzaKind.MESSAGE);
        metrics.bindRooms(() -> 4);

        HttpResponse<String> response = get("/metrics");

        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
                response.headers().firstValue("content-type").orElseThrow());
        Map<String, Double> samples = PrometheusText.parse(response.body());
        assertEquals(3, value(samples, "palaver_stanzas_in_total{kind=\"message\"}"));
        assertEquals(4, value(samples, "palaver_rooms"));
        assertTrue(value(samples, "jvm_threads_live_threads") > 0);
    }

    @Test
    void includesVertxMetricsOfTheInstanceBuiltWithTheRegistryButNotItsOwnHttpServer() throws Exception {
        get("/health/live");

        Map<String, Double> samples = PrometheusText.parse(get("/metrics").body());

        assertTrue(PrometheusText.hasPrefix(samples, "vertx_pool_in_use{"), "worker pool metrics");
        assertFalse(PrometheusText.hasPrefix(samples, "vertx_http_server_"), "scrapes and probes are not traffic");
    }

    @Test
    void theFirstScrapesRegisterNothingTwice() throws Exception {
        try (LogCapture log = new LogCapture(MeterRegistry.class)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, get("/metrics").statusCode());
                assertEquals(200, get("/health/live").statusCode());
            }
            assertEquals(List.of(), log.matching("already registered"));
        }
    }

    @Test
    void headAnswersLikeGetWithoutABody() throws Exception {
        String body = get("/metrics").body();
        HttpResponse<String> head = request("HEAD", "/metrics");
        assertEquals(200, head.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", head.headers().firstValue("content-type").orElseThrow());
        assertTrue(head.headers().firstValueAsLong("content-length").orElseThrow() > body.length() / 2,
                "the length of the body a GET gets");
        assertEquals("", head.body());
        assertEquals(200, request("HEAD", "/health/live").statusCode());
        assertEquals(503, request("HEAD", "/health/ready").statusCode());
        assertEquals(404, request("HEAD", "/admin").statusCode());
    }

    @Test
    void livenessAnswersUp() throws Exception {
        HttpResponse<String> response = get("/health/live");

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("UP", new JsonObject(response.body()).getString("status"));
    }

    @Test
    void readinessNamesTheFailingCheckUntilItPasses() throws Exception {
        HttpResponse<String> notReady = get("/health/ready");
        assertEquals(503, notReady.statusCode());
        JsonObject body = new JsonObject(notReady.body());
        assertEquals("DOWN", body.getString("status"));
        assertEquals(new JsonArray().add("router"), body.getJsonArray("failing"));
        assertEquals(false, body.getJsonObject("checks").getBoolean("router"));
        assertEquals(true, body.getJsonObject("checks").getBoolean("cluster"));

        routerUp.set(true);

        HttpResponse<String> ready = get("/health/ready");
        assertEquals(200, ready.statusCode());
        JsonObject readyBody = new JsonObject(ready.body());
        assertEquals("UP", readyBody.getString("status"));
        assertEquals(true, readyBody.getJsonObject("checks").getBoolean("router"));
        assertTrue(!readyBody.containsKey("failing"));
    }

    @Test
    void livenessNamesTheFailingCheck() throws Exception {
        AtomicBoolean loopRuns = new AtomicBoolean(true);
        OpsServer clustered = new OpsServer(vertx, "127.0.0.1", 0, registry, Map::of,
                () -> Map.of("event-loop", loopRuns.get(), "fence", true));
        int clusteredPort = clustered.start().await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        try {
            URI live = URI.create("http://127.0.0.1:" + clusteredPort + "/health/live");
            HttpResponse<String> up = http.send(HttpRequest.newBuilder(live).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, up.statusCode());
            assertEquals("UP", new JsonObject(up.body()).getString("status"));

            loopRuns.set(false); // the node's event loop stopped proving it runs
            HttpResponse<String> down = http.send(HttpRequest.newBuilder(live).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, down.statusCode());
            assertEquals(new JsonArray().add("event-loop"), new JsonObject(down.body()).getJsonArray("failing"));
        } finally {
            clustered.close().await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void readinessChecksThatThrowMeanNotReady() throws Exception {
        OpsServer broken = new OpsServer(vertx, "127.0.0.1", 0, registry, () -> {
            throw new IllegalStateException("ownership table unavailable");
        });
        int brokenPort = broken.start().await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + brokenPort + "/health/ready")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, response.statusCode());
            assertTrue(new JsonObject(response.body()).getString("error").contains("ownership table unavailable"));
        } finally {
            broken.close().await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        assertEquals(404, get("/admin").statusCode());
        assertEquals(404, get("/metrics/extra").statusCode());
    }

    @Test
    void otherMethodsAreNotAllowed() throws Exception {
        HttpResponse<String> post = request("POST", "/metrics");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("allow").orElseThrow());
        assertEquals(405, request("DELETE", "/health/ready").statusCode());
    }
}
