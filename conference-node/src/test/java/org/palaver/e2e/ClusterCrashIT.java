package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Crashes of real node processes (SIGKILL) under traffic, with {@code <backups>2</backups>}: two of
 * three nodes killed at once lose no room, occupant or history, and no message is delivered twice.
 * What the killed nodes had accepted from the router (or been forwarded) but not yet passed on is
 * the remaining loss window: it is counted and logged, not hidden. The survivor notices both crashes
 * within a few seconds, before Hazelcast's heartbeat timeout (its connections close and the ports
 * refuse: {@code CrashWatch}); the time is logged and loosely bounded.
 */
class ClusterCrashIT {
    private static final Logger log = LoggerFactory.getLogger(ClusterCrashIT.class);
    private static final String SECRET = "gray-crash";
    private static final int ROOMS = 4;
    private static final int HISTORY = 20;
    private static final Duration RECOVERY = Duration.ofSeconds(90);
    /**
     * A crashed process is noticed within 3 s (its connections close, its port refuses); the
     * bound asserted here is looser, for a loaded 2-core CI machine (scrapes every 100 ms included),
     * but below the heartbeat timeout ({@link NodeProcesses#DETECTION_SECONDS}), which the
     * crash watch is there to beat.
     */
    private static final Duration CRASH_NOTICED = Duration.ofMillis(4_500);
    /**
     * A message a killed owner was writing out at the instant of the SIGKILL reached the occupants
     * whose copies had left its socket, and its backups (which got the change before the write):
     * the history keeps it though some occupants never saw it. Only messages sent this close to
     * the kill may differ so.
     */
    private static final Duration AT_THE_KILL = Duration.ofMillis(500);

    @RegisterExtension
    static final RouterPerClass ROUTER = new RouterPerClass(SECRET);

    @Test
    void twoOfThreeNodesKilledAtOnceLoseNoRoomWithTwoBackups() throws Exception {
        try (NodeProcesses cluster = new NodeProcesses(ROUTER.jabberd2(), SECRET, 3, 2)) {
            List<NodeProcesses.Node> nodes = cluster.startSettled(RECOVERY, "a", "b", "c");
            List<String> names = RoomTraffic.rooms("crash", ROOMS);
            try (RoomTraffic traffic = new RoomTraffic(ROUTER.jabberd2().c2sPort(), names,
                    ClusterRoutingIT.usersOnConnections(2, 3))) {
                double rooms = nodes.stream().mapToDouble(n -> n.metric("palaver_rooms")).sum();
                assertTrue(rooms >= ROOMS, "the rooms exist");
                // every room has two backups besides itself: the survivor holds a backup of every room it does not own
                Await.until(RECOVERY, () -> nodes.stream().mapToDouble(n -> n.metric("palaver_cluster_backup_rooms"))
                        .sum() == 2 * rooms, "two backups of every room");
                NodeProcesses.Node survivor = nodes.stream()
                        .min(Comparator.comparingDouble(n -> n.metric("palaver_rooms"))).orElseThrow();
                double ownedBefore = survivor.metric("palaver_rooms");
                traffic.start(20);

                long killedAt = System.nanoTime();
                for (NodeProcesses.Node n : nodes) {
                    if (n != survivor) {
                        n.process().destroyForcibly(); // SIGKILL, both at once
                    }
                }
                Await.until(RECOVERY, () -> survivor.metric("palaver_cluster_members") == 1,
                        () -> "the survivor never noticed the crashes:\n" + survivor.logText());
                long detectedMs = (System.nanoTime() - killedAt) / 1_000_000;
                Await.until(RECOVERY, () -> survivor.metric("palaver_rooms") == rooms
                                && survivor.metric("palaver_cluster_members") == 1 && survivor.ready(),
                        () -> "the survivor never served every room:\n" + survivor.logText());
                long servedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
                Thread.sleep(2 * RoomTraffic.PERIOD_MS * ROOMS); // everyone talks on a little after the takeover
                traffic.stop();

                int missing = traffic.assertNoDuplicatesCountMissing();
                log.info("two of three nodes killed: both noticed by the survivor {} ms later (crash watch: {}),"
                        + " every room served {} ms later; {} of {} deliveries (message x occupant) missing: the loss"
                        + " window", detectedMs, survivor.metric("palaver_cluster_crashes_detected_total"),
                        servedAfterMs, missing, traffic.sent() * (traffic.clients().size()));
                assertTrue(survivor.metric("palaver_cluster_crashes_detected_total") >= 1,
                        "the closed connections and refused ports reported the crash before the heartbeat timeout");
                assertTrue(detectedMs < CRASH_NOTICED.toMillis(), () -> "crashes noticed in " + detectedMs + " ms, more than "
                        + CRASH_NOTICED.toMillis() + " ms (Hazelcast's heartbeat timeout here: "
                        + NodeProcesses.DETECTION_SECONDS + " s):\n" + survivor.logText());
                traffic.assertRoomsIntact(HISTORY, (nick, at) -> Math.abs(at - killedAt) <= AT_THE_KILL.toNanos());
                assertEquals(0.0, survivor.metric("palaver_cluster_fenced_now"));
                assertEquals(rooms - ownedBefore, survivor.metric("palaver_cluster_takeovers_total"),
                        "every room the survivor did not own was promoted from its backup");
            }
        }
    }
}
