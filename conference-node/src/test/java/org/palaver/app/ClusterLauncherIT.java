package org.palaver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Await;
import org.palaver.testkit.Jabberd2;
import org.palaver.testkit.OpsClient;

/**
 * Two runnable jars started with the shipped cluster configuration (ports and cluster name moved
 * so that runs do not clash): they form one cluster, both become ready, and SIGTERM makes a node
 * hand off, close its stream, leave and exit 0 while the other stays ready.
 */
class ClusterLauncherIT {
    private static final Path ROOT = Jabberd2.projectRoot();
    private static final Path JAR = ROOT.resolve("conference-node/target/conference-node.jar");
    private static final Path SHIPPED = ROOT.resolve("cluster-config");

    @Test
    void twoNodesFormAClusterAndAStoppedOneLeavesCleanly() throws Exception {
        try (Jabberd2 jabberd2 = Jabberd2.start("cluster-launcher")) {
            int hazelcastPort = ThreadLocalRandom.current().nextInt(20_000, 59_000);
            writeHazelcast(jabberd2.dir(), hazelcastPort);
            int httpA = OpsClient.freePort();
            int httpB = OpsClient.freePort();
            Process a = launch(jabberd2, "a", httpA);
            Process b = null;
            try {
                OpsClient opsA = new OpsClient(httpA);
                Await.until(Duration.ofSeconds(60), () -> opsA.status("/health/ready") == 200, "the first node ready");
                b = launch(jabberd2, "b", httpB);
                OpsClient opsB = new OpsClient(httpB);
                Await.until(Duration.ofSeconds(60), () -> opsB.status("/health/ready") == 200, "the second node ready");
                Await.until(Duration.ofSeconds(10), () -> members(opsA) == 2.0, "two members seen by the first node");

                b.destroy(); // SIGTERM
                assertTrue(b.waitFor(30, TimeUnit.SECONDS), "exited after SIGTERM");
                String log = Files.readString(jabberd2.dir().resolve("node-b.out"), StandardCharsets.UTF_8);
                assertEquals(0, b.exitValue(), log);
                for (String line : List.of("joined the cluster as", "asked for ownership", "leaving the cluster",
                        "rooms handed off in", "closing the stream to", "o.p.app.Launcher - stopped")) {
                    assertTrue(log.contains(line), "'" + line + "' in\n" + log);
                }
                assertTrue(log.indexOf("rooms handed off in") < log.indexOf("closing the stream to"),
                        "rooms leave before the router stream closes");
                Await.until(Duration.ofSeconds(15), () -> members(opsA) == 1.0 && opsA.status("/health/ready") == 200,
                        "the first node alone and ready");
            } finally {
                a.destroyForcibly();
                if (b != null) {
                    b.destroyForcibly();
                }
            }
        }
    }

    private static double members(OpsClient ops) {
        return ops.scrape().entrySet().stream().filter(e -> e.getKey().startsWith("palaver_cluster_members{"))
                .map(Map.Entry::getValue).findFirst().orElse(Double.NaN);
    }

    /**
     * The shipped hazelcast.yaml with its own cluster name and member ports. Whole port numbers
     * only: a new port may begin with the digits of a shipped one (57031 after 5703).
     */
    private static void writeHazelcast(Path dir, int base) throws IOException {
        String yaml = Files.readString(SHIPPED.resolve("hazelcast.yaml"), StandardCharsets.UTF_8)
                .replace("cluster-name: palaver", "cluster-name: launcher-" + base)
                .replaceAll("port: 5701(?!\\d)", "port: " + base)
                .replaceAll("127\\.0\\.0\\.1:5701(?!\\d)", "127.0.0.1:" + base)
                .replaceAll("127\\.0\\.0\\.1:5702(?!\\d)", "127.0.0.1:" + (base + 1))
                .replaceAll("127\\.0\\.0\\.1:5703(?!\\d)", "127.0.0.1:" + (base + 2));
        Files.writeString(dir.resolve("hazelcast.yaml"), yaml);
    }

    /** The shipped conference-cluster.xml, ops endpoint on {@code httpPort}, no warm-up. */
    private static Process launch(Jabberd2 jabberd2, String name, int httpPort) throws IOException {
        String xml = Files.readString(SHIPPED.resolve("conference-cluster.xml"), StandardCharsets.UTF_8);
        assertTrue(xml.contains("<port>9090</port>") && xml.contains("<duration-ms>1500</duration-ms>"), xml);
        Path config = jabberd2.dir().resolve("node-" + name + ".xml");
        Files.writeString(config, xml.replace("<port>9090</port>", "<port>" + httpPort + "</port>")
                .replace("<duration-ms>1500</duration-ms>", "<duration-ms>0</duration-ms>"));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "--config", config.toString(), "--router", "127.0.0.1:" + jabberd2.routerPort(),
                "--secret", "cluster-launcher")
                .redirectErrorStream(true).redirectOutput(jabberd2.dir().resolve("node-" + name + ".out").toFile())
                .start();
    }
}
