package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Await;
import org.palaver.testkit.Jabberd2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network partition: three node processes behind a real jabberd2, six users (two on each node's
 * router connection) talking every 250 ms into four rooms, and the node owning the most rooms cut
 * off from the other two ({@link Partition}: iptables drops its Hazelcast and event-bus traffic
 * both ways; its router connection stays) for a while, then healed. The policy under test
 * (docs/architecture.md, "Partitions: majority-only ownership"): the pair, a majority of the
 * ownership view, drops the single node after Hazelcast's failure detection and serves its rooms
 * from their copies; the single node, a minority, fences itself, serves nothing and holds what its
 * users send; after the heal it is merged back, learns it was dropped, discards its stale rooms,
 * passes on what it held, and rejoins.
 *
 * <p>During the split the pair's users go on talking to each other; the single node's users see
 * the pair's messages but none of their own. Afterwards: every room served once, every occupant
 * present, every history what the occupants saw, and every message delivered exactly once to
 * every occupant, but for those sent during the failure detection itself (from the split until
 * both sides have acted), which are the documented loss window: counted and logged.
 */
class ClusterPartitionIT {
    private static final Logger log = LoggerFactory.getLogger(ClusterPartitionIT.class);
    private static final String SECRET = "partition";
    private static final int ROOMS = 4;
    private static final int HISTORY = 20;
    /** How long both sides talk after each has acted on the split (the fault's length, not a wait). */
    private static final Duration SPLIT_TALK = Duration.ofSeconds(6);
    private static final Duration RECOVERY = Duration.ofSeconds(120);
    /** Around the failure detection, messages in flight into the partition may be lost (the window). */
    private static final Duration MARGIN = Duration.ofMillis(500);
    private static Jabberd2 jabberd2;

    @BeforeAll
    static void router() throws Exception {
        String why = Partition.unavailable();
        assumeTrue(why == null, () -> "ClusterPartitionIT needs root and iptables to split loopback traffic: " + why);
        SmackClient.logThroughSlf4j();
        jabberd2 = Jabberd2.start(SECRET);
    }

    @AfterAll
    static void stopRouter() throws Exception {
        if (jabberd2 != null) {
            jabberd2.close();
        }
    }

    @Test
    void theMajorityServesOnTheMinorityIsFencedAndAfterTheHealOneCopyOfEachRoomRemains() throws Exception {
        int gid = ThreadLocalRandom.current().nextInt(40_000, 60_000);
        try (NodeProcesses cluster = new NodeProcesses(jabberd2, SECRET, 3, 1)) {
            List<NodeProcesses.Node> nodes = cluster.startSettled(RECOVERY, gid, "a", "b", "c");
            List<String> users = ClusterRoutingIT.usersOnConnections(2, 3); // connections in start order
            try (RoomTraffic traffic = new RoomTraffic(jabberd2.c2sPort(), RoomTraffic.rooms("split", ROOMS), users)) {
                NodeProcesses.Node minority = nodes.stream()
                        .max(Comparator.comparingDouble(n -> n.metric("palaver_rooms"))).orElseThrow();
                int m = nodes.indexOf(minority);
                List<NodeProcesses.Node> majority = nodes.stream().filter(n -> n != minority).toList();
                List<String> minorityUsers = users.subList(2 * m, 2 * m + 2);
                List<String> majorityUsers = new ArrayList<>(users);
                majorityUsers.removeAll(minorityUsers);
                SmackClient watcher = traffic.clients().get(users.indexOf(majorityUsers.get(0)));
                double rooms = nodes.stream().mapToDouble(n -> n.metric("palaver_rooms")).sum();
                double minorityRooms = minority.metric("palaver_rooms");
                assertTrue(minorityRooms >= 1, "the cut-off node owns rooms");
                traffic.start(20);

                try (Partition partition = new Partition(minority, majority, gid + m)) {
                    long splitAt = System.nanoTime();
                    partition.split();
                    // each side's reaction, timed independently: {dropped, fenced, served} in ms after the split
                    long[] at = {-1, -1, -1};
                    Await.until(RECOVERY, () -> {
                        long now = sinceMs(splitAt);
                        if (at[0] < 0 && majority.stream().allMatch(n -> n.metric("palaver_cluster_members") == 2)) {
                            at[0] = now;
                        }
                        if (at[1] < 0 && minority.metric("palaver_cluster_fenced_now") == 1) {
                            at[1] = now;
                        }
                        if (at[2] < 0 && majority.stream().mapToDouble(n -> n.metric("palaver_rooms")).sum() == rooms
                                && majority.stream().allMatch(NodeProcesses.Node::ready)) {
                            at[2] = now;
                        }
                        return at[0] >= 0 && at[1] >= 0 && at[2] >= 0;
                    }, () -> "the sides never both acted on the split (dropped/fenced/served at " + Arrays.toString(at)
                            + " ms): " + majority.stream().map(n -> n.name() + "=" + n.metric("palaver_rooms")).toList()
                            + "\n" + minority.logText());
                    long droppedMs = at[0];
                    long fencedMs = at[1];
                    long servedMs = at[2];
                    assertTrue(fencedMs < droppedMs, "the cut-off node stopped acting (" + fencedMs + " ms) before the"
                            + " pair dropped it and promoted its rooms (" + droppedMs + " ms): one writer per room throughout");
                    long actedMs = Math.max(fencedMs, servedMs);
                    long majorityBefore = RoomTraffic.receivedFrom(watcher, majorityUsers);
                    long minorityBefore = RoomTraffic.receivedFrom(watcher, minorityUsers);
                    Thread.sleep(SPLIT_TALK.toMillis()); // both sides talk through the split: the fault's length
                    long majorityDuring = RoomTraffic.receivedFrom(watcher, majorityUsers) - majorityBefore;
                    long minorityDuring = RoomTraffic.receivedFrom(watcher, minorityUsers) - minorityBefore;
                    double held = minority.metric("palaver_cluster_fenced_stanzas_total", "kind=\"held\"");
                    assertTrue(minority.metric("palaver_cluster_quorum_lost_total") >= 1, "it saw no majority");
                    assertEquals(0.0, minority.metric("palaver_cluster_takeovers_total"), "the cut-off node took no room");
                    assertTrue(majorityDuring > 0, "the pair's users talk to each other during the split");
                    assertEquals(0, minorityDuring, "nothing of the cut-off node's users is applied while it is fenced");
                    assertTrue(held > 0, "the cut-off node holds what its users send");

                    long healAt = System.nanoTime();
                    partition.heal();
                    Await.until(RECOVERY, () -> minority.metric("palaver_cluster_rooms_discarded_total") >= 1
                                    && minority.metric("palaver_cluster_fenced_now") == 0,
                            () -> "the cut-off node kept its rooms or never rejoined:\n" + minority.logText());
                    long rejoinedMs = sinceMs(healAt);
                    Await.until(RECOVERY, () -> nodes.stream().allMatch(n -> n.metric("palaver_cluster_members") == 3),
                            "three members again");
                    cluster.awaitSettled(nodes, RECOVERY);
                    long settledMs = sinceMs(healAt);
                    traffic.stop();

                    long windowEnd = splitAt + (actedMs + MARGIN.toMillis()) * 1_000_000;
                    long windowStart = splitAt - MARGIN.toNanos();
                    List<String> lost = traffic.assertEveryMessageOnceEverywhere(RECOVERY,
                            (windowStart + windowEnd) / 2, Duration.ofNanos((windowEnd - windowStart) / 2));
                    double passedOn = minority.metric("palaver_cluster_fenced_stanzas_total", "kind=\"passed_on\"");
                    log.info("partition 1|2: the pair dropped the cut-off node {} ms after the split and served its {}"
                                    + " room(s) from their copies {} ms after it; the cut-off node fenced itself {} ms after"
                                    + " it; during {} ms of split the pair's users got {} of each other's messages at one"
                                    + " user, the cut-off node's users {} (it held {} stanzas and messages); after the heal it"
                                    + " rejoined in {} ms (passed on {}), the cluster settled {} ms after the heal; {} of {}"
                                    + " deliveries lost, all sent within the window of {} ms from the split: {}",
                            droppedMs, minorityRooms, servedMs, fencedMs, SPLIT_TALK.toMillis(), majorityDuring,
                            minorityDuring, held, rejoinedMs, passedOn, settledMs, lost.size(),
                            traffic.sent() * traffic.clients().size(), actedMs + MARGIN.toMillis(), lost);
                    assertTrue(passedOn > 0, "what the cut-off node held went to the rooms' owners after the heal");
                    Await.until(RECOVERY, () -> nodes.stream().mapToDouble(n -> n.metric("palaver_rooms")).sum()
                            == rooms, () -> "one copy of every room; rooms per node: " + nodes.stream()
                            .map(n -> n.name() + "=" + n.metric("palaver_rooms")).toList());
                    traffic.assertRoomsIntact(HISTORY);
                    assertTrue(droppedMs < (NodeProcesses.DETECTION_SECONDS + 10) * 1000L, "a silent member is dropped"
                            + " after about the heartbeat timeout (" + NodeProcesses.DETECTION_SECONDS + " s): "
                            + droppedMs + " ms");
                }
            }
        }
    }

    private static long sinceMs(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
