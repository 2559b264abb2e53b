package org.palaver.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A network partition between node processes on one machine, made with iptables on loopback: every
 * packet between the minority node and the other nodes (Hazelcast's member protocol and the
 * Vert.x event bus) is dropped, silently as in a real partition (no resets, no refusals), while
 * every node keeps its router connection and its ops endpoint.
 *
 * <p>All nodes share 127.0.0.1, so the rules tell the minority's traffic apart by port and by
 * process: packets to or from the minority's listening ports (other than its ops port) are
 * dropped; and the minority runs with a group id of its own ({@link NodeProcesses#start(String, int)}),
 * so that the connections it opens to the others' listening ports are marked ({@code owner}
 * match, {@code CONNMARK}) and dropped in both directions. Everything lives in one chain named
 * after that group, hooked into {@code OUTPUT} on {@code lo} (loopback packets pass it once) and
 * removed by {@link #heal}. Needs root and iptables ({@link #unavailable}).
 */
final class Partition implements AutoCloseable {
    private final String chain;
    private final int gid;
    private final List<String> rules = new ArrayList<>();
    private final long minorityPid;
    private final Set<Integer> others;
    private boolean split;

    /**
     * @param minority    the node cut off; it was started with group {@code gid}
     * @param majority    the others
     * @param gid         the minority's group id
     */
    Partition(NodeProcesses.Node minority, List<NodeProcesses.Node> majority, int gid) throws IOException {
        this.gid = gid;
        this.chain = "PALAVER_SPLIT_" + gid;
        Set<Integer> own = peerPorts(minority);
        Set<Integer> others = new TreeSet<>();
        for (NodeProcesses.Node n : majority) {
            others.addAll(peerPorts(n));
        }
        if (own.size() < 2 || others.size() < 2 * majority.size()) {
            throw new IllegalStateException("expected a Hazelcast and an event-bus port per node: minority " + own
                    + ", majority " + others);
        }
        this.minorityPid = minority.pid();
        this.others = others;
        String mark = "0x" + Integer.toHexString(gid);
        rules.add("-p tcp -m multiport --dports " + ports(own) + " -j DROP");
        rules.add("-p tcp -m multiport --sports " + ports(own) + " -j DROP");
        rules.add("-p tcp -m owner --gid-owner " + gid + " -m multiport --dports " + ports(others)
                + " -j CONNMARK --set-mark " + mark);
        rules.add("-m connmark --mark " + mark + " -j DROP");
    }

    /** Why no partition can be made here (not root, no working iptables), or {@code null} when one can. */
    static String unavailable() {
        try {
            if (!"0".equals(run("id", "-u").trim())) {
                return "not root: iptables rules need root";
            }
            run("iptables", "-w", "-S", "OUTPUT");
            run("setpriv", "--version");
            return null;
        } catch (IOException | IllegalStateException e) {
            return "iptables or setpriv unusable: " + e.getMessage();
        }
    }

    /** Drops the minority's traffic with the others from now on. */
    void split() throws IOException {
        List<String> now = new ArrayList<>();
        // connections the minority opened before: the others' packets on them are dropped from the
        // start, not only once the minority has sent one (which marks the connection)
        for (int[] c : established(minorityPid)) {
            if (others.contains(c[1])) {
                now.add("-p tcp --sport " + c[1] + " --dport " + c[0] + " -j DROP");
            }
        }
        now.addAll(rules);
        run("iptables", "-w", "-N", chain);
        split = true;
        for (String rule : now) {
            run(Stream.concat(Stream.of("iptables", "-w", "-A", chain), Stream.of(rule.split(" "))).toArray(String[]::new));
        }
        run("iptables", "-w", "-I", "OUTPUT", "-o", "lo", "-j", chain);
    }

    /** Lets the traffic through again. */
    void heal() throws IOException {
        if (!split) {
            return;
        }
        split = false;
        run("iptables", "-w", "-D", "OUTPUT", "-o", "lo", "-j", chain);
        run("iptables", "-w", "-F", chain);
        run("iptables", "-w", "-X", chain);
    }

    int gid() {
        return gid;
    }

    @Override
    public void close() throws IOException {
        heal();
    }

    /** The TCP ports {@code n}'s process listens on, but its ops endpoint's: Hazelcast's and the event bus's. */
    static Set<Integer> peerPorts(NodeProcesses.Node n) throws IOException {
        Set<Integer> ports = listening(n.pid());
        ports.remove(n.ops().port());
        return ports;
    }

    /** The TCP ports process {@code pid} listens on. */
    static Set<Integer> listening(long pid) throws IOException {
        Set<Integer> ports = new TreeSet<>();
        for (String[] f : sockets(pid)) {
            if ("0A".equals(f[3])) {
                ports.add(port(f[1]));
            }
        }
        return ports;
    }

    /** The connections process {@code pid} has open: {local port, remote port} each. */
    static List<int[]> established(long pid) throws IOException {
        List<int[]> connections = new ArrayList<>();
        for (String[] f : sockets(pid)) {
            if ("01".equals(f[3])) {
                connections.add(new int[] {port(f[1]), port(f[2])});
            }
        }
        return connections;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }

    /** The kernel's TCP table rows of process {@code pid}'s sockets: its socket inodes matched against the tables. */
    private static List<String[]> sockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        List<String[]> rows = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (f.length > 9 && inodes.contains(f[9])) {
                    rows.add(f);
                }
            }
        }
        return rows;
    }

    private static String ports(Set<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        return out;
    }
}
