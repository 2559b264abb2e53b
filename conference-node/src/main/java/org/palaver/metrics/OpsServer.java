package org.palaver.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's read-only operations endpoint: Prometheus metrics and Kubernetes-style probes.
 *
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format 0.0.4 of the registry.</li>
 *   <li>{@code GET /health/live}: 200 whenever the server's event loop runs this handler and every
 *       named liveness check is true, else 503 naming the failing ones.</li>
 *   <li>{@code GET /health/ready}: 200 if every named readiness check is true, else 503 naming the
 *       failing ones.</li>
 * </ul>
 * {@code HEAD} answers like {@code GET} without the body (some probes and uptime checkers use it).
 * Other paths get 404, other methods on these paths 405. Scraping runs on the event loop: it only
 * reads in-memory meters and takes well under a millisecond.
 */
public final class OpsServer {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    private static final String JSON = "application/json";
    /** The format {@link PrometheusMeterRegistry#scrape()} writes. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Vertx vertx;
    private final HttpServerOptions options;
    private final PrometheusMeterRegistry registry;
    private final Supplier<Map<String, Boolean>> readinessChecks;
    private final Supplier<Map<String, Boolean>> livenessChecks;
    private final Map<String, Handler<HttpServerRequest>> routes;
    private HttpServer server;

    /**
     * @param port            TCP port; 0 binds an ephemeral port (tests). Whether the endpoint is
     *                        enabled at all is the launcher's decision.
     * @param readinessChecks named checks, e.g. {@code router -> true}, read on every probe; must be
     *                        thread-safe and cheap. An empty map means ready.
     */
    public OpsServer(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
                     Supplier<Map<String, Boolean>> readinessChecks) {
        this(vertx, host, port, registry, readinessChecks, Map::of);
    }

    /**
     * @param livenessChecks named checks read on every liveness probe (thread-safe, cheap), e.g. a
     *                       clustered node's event loop running and the node not stuck fenced
     */
    public OpsServer(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
                     Supplier<Map<String, Boolean>> readinessChecks, Supplier<Map<String, Boolean>> livenessChecks) {
        this.livenessChecks = Objects.requireNonNull(livenessChecks, "livenessChecks");
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.options = new HttpServerOptions().setHost(Objects.requireNonNull(host, "host")).setPort(port);
        this.registry = Objects.requireNonNull(registry, "registry");
        this.readinessChecks = Objects.requireNonNull(readinessChecks, "readinessChecks");
        this.routes = Map.of(
                "/metrics", this::metrics,
                "/health/live", this::live,
                "/health/ready", this::ready);
    }

    /** Starts listening; completes with the actual port. */
    public synchronized Future<Integer> start() {
        if (server != null) {
            return Future.failedFuture(new IllegalStateException("ops server already started"));
        }
        server = vertx.createHttpServer(options).requestHandler(this::dispatch);
        return server.listen()
                .onSuccess(s -> LOG.info("Ops endpoint listening on {}:{}", options.getHost(), s.actualPort()))
                .onFailure(e -> LOG.error("Ops endpoint cannot listen on {}:{}: {}",
                        options.getHost(), options.getPort(), e.getMessage()))
                .map(HttpServer::actualPort);
    }

    /** Stops listening; a server never started closes at once. */
    public synchronized Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void dispatch(HttpServerRequest request) {
        Handler<HttpServerRequest> route = routes.get(request.path());
        if (route == null) {
            json(request, 404, new JsonObject().put("error", "not found: " + request.path()));
        } else if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
            json(request, 405, new JsonObject().put("error", "method not allowed: " + request.method()));
        } else {
            route.handle(request);
        }
    }

    private void metrics(HttpServerRequest request) {
        String body;
        try {
            body = registry.scrape();
        } catch (RuntimeException e) {
            LOG.error("Metrics scrape failed", e);
            json(request, 500, new JsonObject().put("error", "scrape failed: " + e));
            return;
        }
        end(request, 200, PROMETHEUS_TEXT, body);
    }

    private void live(HttpServerRequest request) {
        if (livenessChecks.get().isEmpty()) {
            json(request, 200, new JsonObject().put("status", "UP"));
        } else {
            checked(request, livenessChecks);
        }
    }

    private void ready(HttpServerRequest request) {
        checked(request, readinessChecks);
    }

    private void checked(HttpServerRequest request, Supplier<Map<String, Boolean>> named) {
        Map<String, Boolean> checks;
        try {
            // sorted, so probes and humans see a stable order
            checks = new TreeMap<>(named.get());
        } catch (RuntimeException e) {
            // message only: probes repeat every few seconds and would flood the log with traces
            LOG.warn("Readiness checks failed to evaluate: {}", e.toString());
            json(request, 503, new JsonObject().put("status", "DOWN").put("error", e.toString()));
            return;
        }
        JsonObject results = new JsonObject();
        JsonArray failing = new JsonArray();
        checks.forEach((name, ok) -> {
            boolean passed = Boolean.TRUE.equals(ok);
            results.put(name, passed);
            if (!passed) {
                failing.add(name);
            }
        });
        JsonObject body = new JsonObject()
                .put("status", failing.isEmpty() ? "UP" : "DOWN")
                .put("checks", results);
        if (!failing.isEmpty()) {
            body.put("failing", failing);
        }
        json(request, failing.isEmpty() ? 200 : 503, body);
    }

    private static void json(HttpServerRequest request, int status, JsonObject body) {
        end(request, status, JSON, body.encode());
    }

    /** The answer; to {@code HEAD} the same status and headers (with the body's length), no body. */
    private static void end(HttpServerRequest request, int status, String contentType, String body) {
        HttpServerResponse response = request.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        if (request.method() == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH,
                    Integer.toString(body.getBytes(StandardCharsets.UTF_8).length)).end();
        } else {
            response.end(body);
        }
    }
}
