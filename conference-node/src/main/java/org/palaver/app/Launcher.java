package org.palaver.app;

import ch.qos.logback.classic.LoggerContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.palaver.app.config.ConfigException;
import org.palaver.app.config.ConfigLoader;
import org.palaver.app.config.NodeConfig;
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
    /** Upper bound for deploying the node and the ops endpoint (the warm-up's time comes on top). */
    static final long START_TIMEOUT_MS = 30_000;
    /** JVM property overriding {@link #START_TIMEOUT_MS} (a heavily loaded host, e.g. a benchmark sharing two cores). */
    static final String START_TIMEOUT_PROPERTY = "palaver.start-timeout-ms";

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
        if (commandLine.version()) {
            System.out.println("palaver conference-node " + Version.current());
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
        String nodeName = nodeName();
        log.info("Palaver conference node {} (version {}) starting: {} service {}, {} predefined room(s); router {}; {}",
                nodeName, Version.current(), s.publicService() ? "public" : "private", s.domain(), s.rooms().size(),
                config.router(), config.httpPort() == 0 ? "ops endpoint off"
                        : "ops endpoint on " + config.httpHost() + ":" + config.httpPort());
        if (config.cluster() != null) {
            log.info("cluster mode: Hazelcast configuration {}, event bus port {}, handoff timeout {} ms, {} backup(s)",
                    config.cluster().hazelcastFile(), config.cluster().eventBusPort() == 0 ? "any"
                            : config.cluster().eventBusPort(), config.cluster().handoffTimeoutMs(),
                    config.cluster().backups());
        }
        if (!s.publicService() && !s.rooms().isEmpty()) {
            log.warn("predefined rooms are loaded only by a public service (spec §5.2); add <public/> to use them");
        }
        RunningNode node;
        try {
            node = RunningNode.start(config, nodeName).toCompletionStage().toCompletableFuture()
                    .get(startTimeoutMs() + config.warmupMs() + Warmup.GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.error("node failed to start", e);
            System.exit(EXIT_START_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(node, log), "palaver-shutdown"));
    }

    /**
     * The node's name in the log and the {@code palaver_node} label of every series: the host name, which is the pod name in Kubernetes
     * (a StatefulSet gives each node a stable one). {@code HOSTNAME} first, as it needs no lookup.
     */
    static String nodeName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * Runs in the shutdown hook: undeploying closes every stream. The JVM would report 143 after
     * SIGTERM; a requested stop is a normal end, so the hook halts with 0 once logs are flushed.
     */
    private static void stop(RunningNode node, Logger log) {
        log.info(node.cluster() == null ? "stopping: closing the router streams"
                : "stopping: handing rooms off, then closing the router streams and leaving the cluster");
        int status = 0;
        long timeout = node.stopTimeoutMs();
        try {
            node.stop().toCompletionStage().toCompletableFuture().get(timeout, TimeUnit.MILLISECONDS);
            log.info("stopped");
        } catch (Exception e) {
            log.warn("stop did not finish within {} ms: {}", timeout, e.toString());
            status = 1;
        }
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.stop();
        }
        Runtime.getRuntime().halt(status);
    }

    /** How long the node may take to start (joining the cluster, deploying, warm-up aside). */
    static long startTimeoutMs() {
        return Math.max(1, Long.getLong(START_TIMEOUT_PROPERTY, START_TIMEOUT_MS));
    }
}
