package org.palaver.ops;

import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.palaver.component.ConferenceNode;
import org.palaver.core.ServiceSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code java -jar conference-node.jar --config conference.xml [--router host:port] [--secret s]
 * [--domain d]}: starts one node against an existing router. SIGTERM or Ctrl-C closes every stream
 * with {@code </stream:stream>}, waits briefly for the router, and exits 0. A bad configuration
 * prints one {@code config error: ...} line per problem and exits 2.
 */
public final class Launcher {
    static final int EXIT_USAGE = 2;
    static final int EXIT_START_FAILED = 1;
    /** Upper bound for the graceful stop (streams close in parallel, each within 2 s). */
    static final long STOP_TIMEOUT_MS = 5_000;

    private Launcher() {
    }

    public static void main(String[] args) {
        routeAllLoggingToSlf4j();
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("usage error: " + e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        if (commandLine.help()) {
            System.out.println(CommandLine.USAGE);
            return;
        }
        NodeConfig config;
        try {
            config = new ConfigLoader(System::getenv).load(commandLine.config(), commandLine.overrides());
        } catch (ConfigException e) {
            e.problems().forEach(System.err::println);
            System.exit(EXIT_USAGE);
            return;
        }
        run(config);
    }

    /** Vert.x, Hazelcast and java.util.logging all end up in Logback (logback.xml). */
    private static void routeAllLoggingToSlf4j() {
        System.setProperty("vertx.logger-delegate-factory-class-name",
                "io.vertx.core.logging.SLF4JLogDelegateFactory");
        System.setProperty("hazelcast.logging.type", "slf4j");
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    private static void run(NodeConfig config) {
        Logger log = LoggerFactory.getLogger(Launcher.class);
        ServiceSettings s = config.service();
        log.info("Palaver conference node {} starting: {} service {}, {} predefined room(s); router {}",
                Version.current(), s.publicService() ? "public" : "private", s.domain(), s.rooms().size(),
                config.router());
        if (!s.publicService() && !s.rooms().isEmpty()) {
            log.warn("predefined rooms are loaded only by a public service (spec §5.2); add <public/> to use them");
        }
        Vertx vertx = Vertx.vertx();
        try {
            vertx.deployVerticle(new ConferenceNode(config.router(), s)).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.error("node failed to start", e);
            vertx.close();
            System.exit(EXIT_START_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, log), "palaver-shutdown"));
    }

    /**
     * Runs in the shutdown hook: undeploying closes every stream. The JVM would report 143 after
     * SIGTERM; a requested stop is a normal end, so the hook halts with 0 once logs are flushed.
     */
    private static void stop(Vertx vertx, Logger log) {
        log.info("stopping: closing the router streams");
        int status = 0;
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            log.info("stopped");
        } catch (Exception e) {
            log.warn("stop did not finish within {} ms: {}", STOP_TIMEOUT_MS, e.toString());
            status = 1;
        }
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.stop();
        }
        Runtime.getRuntime().halt(status);
    }
}
