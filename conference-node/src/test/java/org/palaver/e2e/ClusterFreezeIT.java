package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.presenceFrom;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Await;
import org.palaver.testkit.Jabberd2;
import org.palaver.xml.Element;

/**
 * Gray failures of a real cluster: three node processes (the runnable jar) behind a real jabberd2,
 * users talking every 250 ms into every room while one node is frozen with SIGSTOP for longer than
 * Hazelcast's failure detection and then resumed. Afterwards every room is served exactly once
 * (the copy of the newer epoch), every occupant is present, every room's history is what its
 * occupants saw, and every message was delivered exactly once to every occupant: those the
 * survivors accepted, and those the router had queued to the frozen node, which the node passes on
 * to the rooms' owners once it has learnt that it was dropped.
 */
class ClusterFreezeIT {
    private static final String SECRET = "gray-freeze";
    private static final String SERVICE = ClusterStack.SERVICE;
    private static final int ROOMS = 4;
    /** Predefined rooms of the shipped public configuration (lounge, help). */
    private static final int PREDEFINED = 2;
    private static final int HISTORY = 20;
    private static final Duration FREEZE = Duration.ofSeconds(14);
    private static final Duration RECOVERY = Duration.ofSeconds(90);
    private static Jabberd2 jabberd2;

    @BeforeAll
    static void router() throws Exception {
        SmackClient.logThroughSlf4j();
        jabberd2 = Jabberd2.start(SECRET);
    }

    @AfterAll
    static void stopRouter() throws Exception {
        jabberd2.close();
    }

    @Test
    void aFrozenNodeIsFencedAndRejoinsWithoutASecondCopyOrALostStanza() throws Exception {
        List<SmackClient> clients = new ArrayList<>();
        try (NodeProcesses cluster = new NodeProcesses(jabberd2, SECRET, 3, 1)) {
            for (String name : List.of("a", "b", "c")) {
                cluster.start(name);
            }
            List<NodeProcesses.Node> nodes = cluster.nodes();
            cluster.awaitSettled(nodes, RECOVERY);

            List<String> rooms = new ArrayList<>();
            for (int i = 1; i <= ROOMS; i++) {
                rooms.add("frozen" + i + "@" + SERVICE);
            }
            List<String> nicks = ClusterRoutingIT.usersOnConnections(2, 3); // two users on each node's connection
            for (String nick : nicks) {
                SmackClient c = SmackClient.login(jabberd2.c2sPort(), nick, "freeze");
                clients.add(c);
                for (String room : rooms) {
                    c.presence(room + "/" + nick);
                    c.await(presenceFrom(room + "/" + nick), nick + "'s join of " + room);
                }
            }
            for (SmackClient c : clients) {
                for (String room : rooms) {
                    for (String nick : nicks) {
                        c.await(presenceFrom(room + "/" + nick), nick + " in " + room);
                    }
                }
            }
            // freeze the node owning the most rooms (each node holds its share plus the predefined ones)
            NodeProcesses.Node victim = nodes.stream()
                    .max(Comparator.comparingDouble(n -> n.metric("palaver_rooms"))).orElseThrow();
            double victimRooms = victim.metric("palaver_rooms");
            assertTrue(victimRooms >= 1, "some node owns rooms");

            AtomicBoolean stop = new AtomicBoolean();
            List<CompletableFuture<Map<String, Integer>>> senders = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                SmackClient c = clients.get(i);
                String nick = nicks.get(i);
                senders.add(CompletableFuture.supplyAsync(() -> talk(stop, c, nick, rooms)));
            }
            Await.until(Duration.ofSeconds(30), () -> clients.get(0).received(traffic()).size() >= 20,
                    "traffic flowing before the freeze");

            NodeProcesses.signal(victim, "STOP");
            long frozenAt = System.nanoTime();
            Await.until(Duration.ofSeconds(30), () -> nodes.stream().filter(n -> n != victim)
                            .allMatch(n -> n.metric("palaver_cluster_takeovers_total") > 0
                                    || n.metric("palaver_cluster_members") == 2),
                    "the survivors noticed the frozen node");
            long rest = FREEZE.toNanos() - (System.nanoTime() - frozenAt);
            if (rest > 0) {
                Thread.sleep(rest / 1_000_000); // the fault's length, not a wait for state
            }
            NodeProcesses.signal(victim, "CONT");

            Await.until(RECOVERY, () -> victim.metric("palaver_cluster_fenced_total") >= 1
                            && victim.metric("palaver_cluster_fenced_now") == 0,
                    () -> "the resumed node was never fenced, or never rejoined:\n" + victim.logText());
            cluster.awaitSettled(nodes, RECOVERY);
            Await.until(RECOVERY, () -> nodes.stream().allMatch(n -> n.metric("palaver_cluster_members") == 3),
                    "three members again");
            stop.set(true);
            List<Map<String, Integer>> sent = new ArrayList<>();
            for (CompletableFuture<Map<String, Integer>> f : senders) {
                sent.add(f.join());
            }

            assertEquals(victimRooms == 0 ? 0 : 1, Math.min(1, victim.metric("palaver_cluster_rooms_discarded_total")),
                    "the resumed node discarded its stale rooms");
            // every message reached every occupant exactly once (those queued to the frozen node too)
            for (String room : rooms) {
                ClusterRoutingIT.awaitEveryEnd(clients, nicks, room);
            }
            for (String room : rooms) {
                Map<String, Integer> expected = new HashMap<>();
                for (int i = 0; i < nicks.size(); i++) {
                    expected.put(nicks.get(i), sent.get(i).getOrDefault(room, 0));
                }
                for (SmackClient c : clients) {
                    Await.until(RECOVERY, () -> everyMessageOnce(c, room, expected) == null,
                            () -> everyMessageOnce(c, room, expected));
                }
            }
            // exactly one copy of every room, and that copy has every occupant and the history they saw
            Await.until(RECOVERY, () -> nodes.stream().mapToDouble(n -> n.metric("palaver_rooms")).sum()
                    == ROOMS + PREDEFINED, () -> "rooms per node: " + nodes.stream()
                    .map(n -> n.name() + "=" + n.metric("palaver_rooms")).toList());
            SmackClient late = SmackClient.login(jabberd2.c2sPort(), "u16", "late");
            clients.add(late);
            for (String room : rooms) {
                late.presence(room + "/late");
                late.await(presenceFrom(room + "/late"), "its own presence in " + room);
                for (String nick : nicks) {
                    late.await(presenceFrom(room + "/" + nick), nick + "'s presence in " + room);
                }
                List<String> seen = bodies(clients.get(0), room, false);
                List<String> history = bodies(late, room, true);
                assertEquals(seen.subList(Math.max(0, seen.size() - HISTORY), seen.size()), history,
                        "the history of " + room + " is what its occupants saw");
            }
            for (SmackClient c : clients) {
                assertTrue(c.received(e -> e.name().equals("presence") && "unavailable".equals(e.attr("type"))).isEmpty(),
                        c.jid() + " saw nobody leave");
            }
        } finally {
            clients.forEach(SmackClient::close);
        }
    }

    /** Sends "nick #n" every 250 ms, to the rooms in turn, until stopped; returns how many went to each room. */
    private static Map<String, Integer> talk(AtomicBoolean stop, SmackClient c, String nick, List<String> rooms) {
        Map<String, Integer> sent = new HashMap<>();
        try {
            for (int n = 1; !stop.get(); n++) {
                String room = rooms.get(n % rooms.size());
                int count = sent.merge(room, 1, Integer::sum);
                c.say(room, nick + " #" + count);
                Thread.sleep(250);
            }
        } catch (Exception e) {
            throw new IllegalStateException(nick + " could not send", e);
        }
        return sent;
    }

    private static Predicate<Element> traffic() {
        return e -> e.name().equals("message") && e.childText("body") != null && e.childText("body").matches("\\S+ #\\d+");
    }

    /** The traffic bodies {@code c} received from {@code room}, in order: live ones, or the history replayed to it. */
    private static List<String> bodies(SmackClient c, String room, boolean history) {
        return c.received(traffic().and(e -> e.attr("from") != null && e.attr("from").startsWith(room + "/"))
                        .and(e -> history == e.elements().stream()
                                .anyMatch(x -> x.name().equals("x") || x.name().equals("delay"))))
                .stream().map(e -> e.childText("body")).toList();
    }

    /** null when {@code c} got every sender's messages in {@code room} exactly once, else what is wrong. */
    private static String everyMessageOnce(SmackClient c, String room, Map<String, Integer> expected) {
        Map<String, List<Integer>> got = new HashMap<>();
        for (String body : bodies(c, room, false)) {
            String[] parts = body.split(" #");
            got.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            List<Integer> numbers = got.getOrDefault(e.getKey(), List.of());
            List<Integer> sorted = numbers.stream().sorted().toList();
            List<Integer> want = new ArrayList<>();
            for (int i = 1; i <= e.getValue(); i++) {
                want.add(i);
            }
            if (!sorted.equals(want)) {
                List<Integer> missing = new ArrayList<>(want);
                missing.removeAll(numbers);
                return c.jid() + " in " + room + " got " + numbers.size() + " of " + e.getValue() + " from " + e.getKey()
                        + "; missing " + missing + (numbers.size() > sorted.stream().distinct().count() ? ", duplicates" : "");
            }
        }
        return null;
    }
}
