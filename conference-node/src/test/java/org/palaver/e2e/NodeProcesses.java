package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.palaver.testkit.Await;
import org.palaver.testkit.Jabberd2;
import org.palaver.testkit.OpsClient;

/**
 * A cluster of runnable jars, each node a separate process (the shipped cluster configuration with
 * its own ports, cluster name and shortened Hazelcast failure detection), against a test's
 * jabberd2. Faults are real signals: SIGSTOP/SIGCONT (a frozen process) and SIGKILL (a crash).
 * Every process is killed on {@link #close}.
 */
final class NodeProcesses implements AutoCloseable {
    private static final Path ROOT = Jabberd2.projectRoot();
    private static final Path JAR = ROOT.resolve("conference-node/target/conference-node.jar");
    private static final Path SHIPPED = ROOT.resolve("cluster-config");
    /** Hazelcast declares a silent member dead after this long (the shipped file: 10 s). */
    static final int DETECTION_SECONDS = 5;
    static final int START_ATTEMPTS = 3;

    /** One node process and its ops endpoint. */
    record Node(String name, Process process, OpsClient ops, Path log) {
        long pid() {
            return process.pid();
        }

        boolean ready() {
            return ops.status("/health/ready") == 200;
        }

        /** The sum of every series of {@code metric} (e.g. {@code palaver_rooms}); 0 when absent. */
        double metric(String metric) {
            double sum = 0;
            for (Map.Entry<String, Double> e : ops.scrape().entrySet()) {
                if (e.getKey().equals(metric) || e.getKey().startsWith(metric + "{")) {
                    sum += e.getValue();
                }
            }
            return sum;
        }

        /** The sum of the series of {@code metric} whose labels include {@code label} (e.g. {@code kind="held"}). */
        double metric(String metric, String label) {
            double sum = 0;
            for (Map.Entry<String, Double> e : ops.scrape().entrySet()) {
                if (e.getKey().startsWith(metric + "{") && e.getKey().contains(label)) {
                    sum += e.getValue();
                }
            }
            return sum;
        }

        String logText() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }

    private final Jabberd2 jabberd2;
    private final String secret;
    private final List<Node> nodes = new ArrayList<>();

    /**
     * @param secret the secret {@code jabberd2} was started with
     */
    NodeProcesses(Jabberd2 jabberd2, String secret, int maxNodes, int backups) throws IOException {
        this.jabberd2 = jabberd2;
        this.secret = secret;
        int base = ThreadLocalRandom.current().nextInt(20_000, 59_000);
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < maxNodes; i++) {
            members.append("          - 127.0.0.1:").append(base + i).append('\n');
        }
        String yaml = """
                hazelcast:
                  cluster-name: gray-processes-%d
                  network:
                    port:
                      port: %d
                      auto-increment: true
                      port-count: %d
                    join:
                      multicast:
                        enabled: false
                      tcp-ip:
                        enabled: true
                        member-list:
                %s    interfaces:
                      enabled: true
                      interfaces:
                        - 127.0.0.1
                  properties:
                    hazelcast.logging.type: slf4j
                    hazelcast.phone.home.enabled: false
                    hazelcast.max.no.heartbeat.seconds: %d
                    hazelcast.heartbeat.interval.seconds: 1
                    hazelcast.merge.first.run.delay.seconds: 5
                    hazelcast.merge.next.run.delay.seconds: 5
                    hazelcast.partition.count: 31
                    hazelcast.graceful.shutdown.max.wait: 10
                """.formatted(base, base, maxNodes, members, DETECTION_SECONDS);
        Files.writeString(jabberd2.dir().resolve("hazelcast.yaml"), yaml);
        String xml = Files.readString(SHIPPED.resolve("conference-cluster.xml"), StandardCharsets.UTF_8);
        assertTrue(xml.contains("<backups>1</backups>") && xml.contains("<duration-ms>1500</duration-ms>"), xml);
        Files.writeString(jabberd2.dir().resolve("node.xml.template"),
                xml.replace("<backups>1</backups>", "<backups>" + backups + "</backups>")
                        .replace("<duration-ms>1500</duration-ms>", "<duration-ms>0</duration-ms>"));
    }

    /**
     * Starts one more node process and waits until it is ready. A process that exits before (the
     * node gives up joining after its start timeout on an overloaded machine) is started again,
     * up to {@value #START_ATTEMPTS} times: its start is not what the tests are about.
     */
    Node start(String name) throws IOException {
        return start(name, 0);
    }

    /**
     * {@link #start(String)} with the process's group id set to {@code gid} (0: unchanged), so that
     * iptables can tell its connections from the other nodes' ({@link Partition}); it stays root.
     */
    Node start(String name, int gid) throws IOException {
        int http = OpsClient.freePort();
        String xml = Files.readString(jabberd2.dir().resolve("node.xml.template"), StandardCharsets.UTF_8)
                .replace("<port>9090</port>", "<port>" + http + "</port>");
        Path config = jabberd2.dir().resolve("node-" + name + ".xml");
        Files.writeString(config, xml);
        for (int attempt = 1; ; attempt++) {
            Path log = jabberd2.dir().resolve("node-" + name + (attempt == 1 ? "" : "-" + attempt) + ".out");
            List<String> command = new ArrayList<>();
            if (gid != 0) {
                command.addAll(List.of("setpriv", "--regid=" + gid, "--clear-groups", "--"));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", JAR.toString(),
                    "--config", config.toString(), "--router", "127.0.0.1:" + jabberd2.routerPort(), "--secret", secret));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Node node = new Node(name, p, new OpsClient(http), log);
            Await.until(Duration.ofSeconds(180), () -> node.ready() || !p.isAlive(),
                    () -> name + " never became ready:\n" + node.logText());
            if (node.ready()) {
                nodes.add(node);
                return node;
            }
            if (attempt == START_ATTEMPTS) {
                throw new AssertionError(name + " exited " + START_ATTEMPTS + " times before it was ready:\n"
                        + node.logText());
            }
        }
    }

    /** Starts a node of each name, waits until all of them route by one settled view, and returns them. */
    List<Node> startSettled(Duration timeout, String... names) throws IOException {
        return startSettled(timeout, 0, names);
    }

    /** {@link #startSettled(Duration, String...)}, the nodes' group ids {@code firstGid}, +1, ... (0: unchanged). */
    List<Node> startSettled(Duration timeout, int firstGid, String... names) throws IOException {
        for (int i = 0; i < names.length; i++) {
            start(names[i], firstGid == 0 ? 0 : firstGid + i);
        }
        List<Node> all = nodes();
        awaitSettled(all, timeout);
        return all;
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** Every listed node ready, all routing by the same epoch with {@code members} members. */
    void awaitSettled(List<Node> which, Duration timeout) {
        Await.until(timeout, () -> {
            double epoch = which.get(0).metric("palaver_cluster_ownership_epoch");
            return which.stream().allMatch(n -> n.ready() && n.metric("palaver_cluster_ownership_epoch") == epoch);
        }, () -> "the cluster never settled: " + which.stream().map(n -> n.name() + " ready=" + n.ready()
                + " epoch=" + n.metric("palaver_cluster_ownership_epoch")).toList());
    }

    static void signal(Node n, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(n.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + n.pid());
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.process().destroyForcibly();
        }
        for (Node n : nodes) {
            try {
                n.process().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
