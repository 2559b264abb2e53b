package org.palaver.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real jabberd2 (router, sm, c2s) for integration tests, started with the project's own
 * {@code scripts/jabberd2.sh} on free loopback ports in a directory under {@code target/}, so parallel
 * runs do not clash and the logs stay for inspection after a failure.
 */
public final class Jabberd2 implements AutoCloseable {
    public static final String DOMAIN = "localhost";

    private final Path dir;
    private final int routerPort;
    private final int c2sPort;
    private final String secret;

    private Jabberd2(Path dir, int routerPort, int c2sPort, String secret) {
        this.dir = dir;
        this.routerPort = routerPort;
        this.c2sPort = c2sPort;
        this.secret = secret;
    }

    /** Starts router, sm and c2s with component secret {@code secret}; returns when all are ready. */
    public static Jabberd2 start(String secret) throws IOException, InterruptedException {
        Path base = projectRoot().resolve("conference-node/target/it-jabberd2");
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "run-");
        int[] ports = freePorts();
        Jabberd2 j = new Jabberd2(dir, ports[0], ports[1], secret);
        j.start();
        return j;
    }

    /** Starts again on the same directory and ports (after {@link #killRouter()} or a stop). */
    public void start() throws IOException, InterruptedException {
        script("start", dir.toString(), secret);
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("palaver.projectRoot", "..")).toAbsolutePath().normalize();
    }

    public int routerPort() {
        return routerPort;
    }

    public int c2sPort() {
        return c2sPort;
    }

    public Path dir() {
        return dir;
    }

    public String routerLog() throws IOException {
        Path log = dir.resolve("log/router.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** Lines of router.log containing {@code fragment}. */
    public List<String> routerLogLines(String fragment) throws IOException {
        return routerLog().lines().filter(l -> l.contains(fragment)).toList();
    }

    public void awaitRouterLog(String fragment, int times, Duration timeout) {
        Await.until(timeout, () -> {
            try {
                return routerLogLines(fragment).size() >= times;
            } catch (IOException e) {
                return false;
            }
        }, () -> "router.log never showed '" + fragment + "' " + times + " time(s) in " + dir);
    }

    /** SIGKILL to the router (sm and c2s exit on their own once it is gone), then cleans up. */
    public void killRouter() throws IOException, InterruptedException {
        String pid = Files.readString(dir.resolve("run/router.pid")).replaceAll("[^0-9]", "");
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().orTimeout(5, TimeUnit.SECONDS).join();
        });
        script("stop", dir.toString()); // sm and c2s, pid files
    }

    @Override
    public void close() throws IOException {
        try {
            script("stop", dir.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping jabberd2", e);
        }
    }

    /** Runs {@code scripts/jabberd2.sh ARGS} with this instance's ports; fails on a non-zero exit. */
    private void script(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = projectRoot().resolve("scripts/jabberd2.sh").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("JD2_ROUTER_PORT", Integer.toString(routerPort));
        pb.environment().put("JD2_C2S_PORT", Integer.toString(c2sPort));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jabberd2.sh " + String.join(" ", args) + " failed:\n" + output);
        }
    }

    /** Two distinct free loopback ports from 20000..59999, picked at random. */
    private static int[] freePorts() throws IOException {
        int[] ports = new int[2];
        int found = 0;
        while (found < 2) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            if ((found == 0 || ports[0] != candidate) && free(candidate)) {
                ports[found++] = candidate;
            }
        }
        return ports;
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return probe.isBound();
        } catch (IOException e) {
            return false;
        }
    }
}
