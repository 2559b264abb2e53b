package org.palaver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Await;
import org.palaver.testkit.Jabberd2;
import org.palaver.testkit.OpsClient;

/**
 * The runnable jar as an operator starts it: one command, the ops endpoint answers, SIGTERM stops it
 * cleanly with exit 0.
 */
class LauncherIT {
    private static final Path ROOT = Jabberd2.projectRoot();
    private static final Path JAR = ROOT.resolve("conference-node/target/conference-node.jar");
    private static final Path CONFIG = ROOT.resolve("cluster-config/conference.xml");

    private static Process launch(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** The shipped configuration with the ops endpoint moved from 9090 to {@code httpPort}. */
    private static Path shippedConfigWithHttpPort(Path dir, int httpPort) throws IOException {
        String xml = Files.readString(CONFIG, StandardCharsets.UTF_8);
        assertTrue(xml.contains("<port>9090</port>"), "the shipped configuration serves on 9090");
        Path copy = dir.resolve("conference.xml");
        Files.writeString(copy, xml.replace("<port>9090</port>", "<port>" + httpPort + "</port>"));
        return copy;
    }

    @Test
    void startsAgainstTheRouterAndStopsCleanlyOnSigterm() throws Exception {
        try (Jabberd2 jabberd2 = Jabberd2.start("launcher-secret")) {
            Path output = jabberd2.dir().resolve("node.out");
            int httpPort = OpsClient.freePort();
            Process node = launch(output, "--config", shippedConfigWithHttpPort(jabberd2.dir(), httpPort).toString(),
                    "--router", "127.0.0.1:" + jabberd2.routerPort(), "--secret", "launcher-secret");
            try {
                jabberd2.awaitRouterLog("[conference.localhost] online", 1, Duration.ofSeconds(30));
                OpsClient ops = new OpsClient(httpPort);
                Await.until(Duration.ofSeconds(10), () -> ops.status("/health/ready") == 200, "ready");
                assertTrue(ops.scrape().keySet().stream().anyMatch(s -> s.startsWith("palaver_router_connections{palaver_node=")),
                        "node metrics tagged with the node name");
                assertEquals(1.0, ops.scrape().entrySet().stream().filter(e -> e.getKey().startsWith("palaver_build_info{")
                        && e.getKey().contains("version=\"" + Version.current() + "\"")).mapToDouble(e -> e.getValue())
                        .sum(), "palaver_build_info{version} of the jar");
                node.destroy(); // SIGTERM
                assertTrue(node.waitFor(15, TimeUnit.SECONDS), "exited after SIGTERM");
                String log = Files.readString(output, StandardCharsets.UTF_8);
                assertEquals(0, node.exitValue(), log);
                assertTrue(log.contains("authenticated to 127.0.0.1:" + jabberd2.routerPort()
                        + " as conference.localhost (connection 1/1)"), log);
                assertTrue(log.contains("closing the stream to 127.0.0.1:" + jabberd2.routerPort()), log);
                assertTrue(log.contains("o.p.app.Launcher - stopped"), log);
                assertTrue(log.contains("(version " + Version.current() + ") starting"), "version in the start-up line: " + log);
                jabberd2.awaitRouterLog("[conference.localhost] offline", 1, Duration.ofSeconds(5));
            } finally {
                node.destroyForcibly();
            }
        }
    }

    @Test
    void badConfigurationExitsWithTheReason() throws Exception {
        Path output = Files.createTempFile(ROOT.resolve("conference-node/target"), "launcher", ".out");
        Process node = launch(output, "--config", CONFIG.toString(), "--router", "127.0.0.1:0");
        assertTrue(node.waitFor(30, TimeUnit.SECONDS));
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(2, node.exitValue(), out);
        assertEquals("config error: <router><port> must be 1..65535, got 0", out.strip());
    }

    @Test
    void versionPrintsTheProjectVersion() throws Exception {
        Path output = Files.createTempFile(ROOT.resolve("conference-node/target"), "launcher", ".out");
        Process node = launch(output, "--version");
        assertTrue(node.waitFor(30, TimeUnit.SECONDS));
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), out);
        assertTrue(Version.current().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), Version.current());
        assertEquals("palaver conference-node " + Version.current(), out.strip());
    }

    @Test
    void unknownOptionPrintsUsage() throws Exception {
        Path output = Files.createTempFile(ROOT.resolve("conference-node/target"), "launcher", ".out");
        Process node = launch(output, "--bogus", "x");
        assertTrue(node.waitFor(30, TimeUnit.SECONDS));
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(2, node.exitValue(), out);
        assertTrue(out.startsWith("usage error: unknown option '--bogus'\nusage: java -jar conference-node.jar"), out);
    }
}
