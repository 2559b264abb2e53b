package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.palaver.testkit.Await;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frozen node: three node processes (the runnable jar) behind a real jabberd2, users talking
 * every 250 ms into every room while one node is stopped with SIGSTOP for longer than Hazelcast's
 * failure detection and then resumed. The survivors serve its rooms from their backups; the
 * resumed node fences itself before it acts, learns that it was dropped, discards its stale rooms,
 * passes on everything the router had queued to it meanwhile, and rejoins. Afterwards every room
 * is served exactly once, every occupant is present, every room's history is what its occupants
 * saw, and every message reached every occupant exactly once (but for what the node was handling
 * at the instant it froze, which is logged).
 */
class ClusterFreezeIT {
    private static final String SECRET = "gray-freeze";
    private static final int ROOMS = 4;
    private static final int HISTORY = 20;
    private static final Duration FREEZE = Duration.ofSeconds(14);
    private static final Duration RECOVERY = Duration.ofSeconds(120);
    /**
     * A stanza the frozen node was handling at the instant of the SIGSTOP (read, applied, or half
     * written) may be lost; everything sent earlier or later must arrive exactly once.
     */
    private static final Duration AT_THE_FREEZE = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(ClusterFreezeIT.class);

    @RegisterExtension
    static final RouterPerClass ROUTER = new RouterPerClass(SECRET);

    @Test
    void aFrozenNodeIsFencedAndRejoinsWithoutASecondCopyOrALostStanza() throws Exception {
        try (NodeProcesses cluster = new NodeProcesses(ROUTER.jabberd2(), SECRET, 3, 1)) {
            List<NodeProcesses.Node> nodes = cluster.startSettled(RECOVERY, "a", "b", "c");
            List<String> names = RoomTraffic.rooms("frozen", ROOMS);
            try (RoomTraffic traffic = new RoomTraffic(ROUTER.jabberd2().c2sPort(), names,
                    ClusterRoutingIT.usersOnConnections(2, 3))) { // two users on each node's router connection
                NodeProcesses.Node victim = nodes.stream()
                        .max(Comparator.comparingDouble(n -> n.metric("palaver_rooms"))).orElseThrow();
                assertTrue(victim.metric("palaver_rooms") >= 1, "the frozen node owns rooms");
                double rooms = nodes.stream().mapToDouble(n -> n.metric("palaver_rooms")).sum();
                traffic.start(20);

                NodeProcesses.signal(victim, "STOP");
                long frozenAt = System.nanoTime();
                Await.until(RECOVERY, () -> nodes.stream().filter(n -> n != victim)
                                .allMatch(n -> n.metric("palaver_cluster_members") == 2),
                        "the survivors dropped the frozen node");
                long rest = FREEZE.toNanos() - (System.nanoTime() - frozenAt);
                if (rest > 0) {
                    Thread.sleep(rest / 1_000_000); // the fault's length, not a wait for state
                }
                NodeProcesses.signal(victim, "CONT");

                Await.until(RECOVERY, () -> victim.metric("palaver_cluster_fenced_total") >= 1
                                && victim.metric("palaver_cluster_rooms_discarded_total") >= 1
                                && victim.metric("palaver_cluster_fenced_now") == 0,
                        () -> "the resumed node was not fenced, kept its rooms, or never rejoined:\n" + victim.logText());
                Await.until(RECOVERY, () -> nodes.stream().allMatch(n -> n.metric("palaver_cluster_members") == 3),
                        "three members again");
                cluster.awaitSettled(nodes, RECOVERY);
                traffic.stop();

                List<String> lost = traffic.assertEveryMessageOnceEverywhere(RECOVERY, frozenAt, AT_THE_FREEZE);
                log.info("frozen node: {} of {} deliveries lost, all sent within {} ms of the SIGSTOP: {}", lost.size(),
                        traffic.sent() * traffic.clients().size(), AT_THE_FREEZE.toMillis(), lost);
                Await.until(RECOVERY, () -> nodes.stream().mapToDouble(n -> n.metric("palaver_rooms")).sum()
                        == rooms, () -> "one copy of every room; rooms per node: " + nodes.stream()
                        .map(n -> n.name() + "=" + n.metric("palaver_rooms")).toList());
                traffic.assertRoomsIntact(HISTORY, (nick, at) -> Math.abs(at - frozenAt) <= AT_THE_FREEZE.toNanos());
            }
        }
    }
}
