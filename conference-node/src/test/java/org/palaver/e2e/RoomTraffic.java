package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.presenceFrom;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.palaver.testkit.Await;
import org.palaver.xml.Element;

/**
 * Users in rooms of a cluster behind a real jabberd2, everyone in every room, each saying
 * "nick #n" every 250 ms into the rooms in turn while a fault happens; then the checks of the
 * gray-failure tests: who got which message how often, whether every occupant is still there,
 * whether a newcomer's history is what the occupants saw.
 */
final class RoomTraffic implements AutoCloseable {
    static final long PERIOD_MS = 250;
    private final int c2sPort;
    private final List<String> rooms;
    private final List<String> nicks;
    private final List<SmackClient> clients = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<CompletableFuture<Map<String, Integer>>> senders = new ArrayList<>();
    private List<Map<String, Integer>> sent;
    /** When each message ("room|nick #n") was sent, nano time. */
    private final Map<String, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();

    /** Logs {@code nicks} in and joins each to every room; waits until everyone sees everyone. */
    /** {@code count} room JIDs of the test service: {@code prefix1@...} to {@code prefixN@...}. */
    static List<String> rooms(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add(prefix + i + "@" + ClusterStack.SERVICE);
        }
        return names;
    }

    RoomTraffic(int c2sPort, List<String> rooms, List<String> nicks) throws Exception {
        this.c2sPort = c2sPort;
        this.rooms = List.copyOf(rooms);
        this.nicks = List.copyOf(nicks);
        for (String nick : nicks) {
            SmackClient c = SmackClient.login(c2sPort, nick, "gray");
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
    }

    List<SmackClient> clients() {
        return List.copyOf(clients);
    }

    /** Everyone starts talking; returns once {@code before} messages have arrived at the first client. */
    void start(int before) {
        for (int i = 0; i < clients.size(); i++) {
            SmackClient c = clients.get(i);
            String nick = nicks.get(i);
            senders.add(CompletableFuture.supplyAsync(() -> talk(c, nick)));
        }
        Await.until(Duration.ofSeconds(60), () -> clients.get(0).received(traffic()).size() >= before,
                "traffic flowing");
    }

    /** Everyone stops; then each says "end NICK" in every room and everyone waits for every end. */
    void stop() throws Exception {
        stop.set(true);
        sent = new ArrayList<>();
        for (CompletableFuture<Map<String, Integer>> f : senders) {
            sent.add(f.join());
        }
        for (String room : rooms) {
            ClusterRoutingIT.awaitEveryEnd(clients, nicks, room);
        }
    }

    private Map<String, Integer> talk(SmackClient c, String nick) {
        Map<String, Integer> counts = new HashMap<>();
        try {
            for (int n = 1; !stop.get(); n++) {
                String room = rooms.get(n % rooms.size());
                int count = counts.merge(room, 1, Integer::sum);
                sentAt.put(room + "|" + nick + " #" + count, System.nanoTime());
                c.say(room, nick + " #" + count);
                Thread.sleep(PERIOD_MS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(nick + " could not send", e);
        }
        return counts;
    }

    /** Messages sent in all. */
    int sent() {
        return sent.stream().mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).sum();
    }

    /**
     * Every occupant got every message of every sender in every room exactly once (waits for late
     * ones), except messages sent within {@code window} of {@code faultAt} (nano time), whose loss
     * is the fault's window; returns those lost, for the log.
     */
    List<String> assertEveryMessageOnceEverywhere(Duration wait, long faultAt, Duration window) {
        List<String> lost = new ArrayList<>();
        for (String room : rooms) {
            Map<String, Integer> expected = expected(room);
            for (SmackClient c : clients) {
                Await.until(wait, () -> missingOutside(c, room, expected, faultAt, window).isEmpty(),
                        () -> c.jid() + " in " + room + " misses " + missingOutside(c, room, expected, faultAt, window)
                                + " (sent more than " + window.toMillis() + " ms from the fault)");
                String problem = problem(c, room, expected, false);
                assertTrue(problem == null, problem);
                Map<String, List<Integer>> got = numbers(c, room);
                expected.forEach((nick, n) -> {
                    for (int i = 1; i <= n; i++) {
                        if (!got.getOrDefault(nick, List.of()).contains(i)) {
                            lost.add(c.jid().getLocalpart() + " <- " + room + "|" + nick + " #" + i);
                        }
                    }
                });
            }
        }
        return lost;
    }

    private List<String> missingOutside(SmackClient c, String room, Map<String, Integer> expected, long faultAt,
                                        Duration window) {
        Map<String, List<Integer>> got = numbers(c, room);
        List<String> missing = new ArrayList<>();
        expected.forEach((nick, n) -> {
            for (int i = 1; i <= n; i++) {
                Long at = sentAt.get(room + "|" + nick + " #" + i);
                if (!got.getOrDefault(nick, List.of()).contains(i)
                        && (at == null || Math.abs(at - faultAt) > window.toNanos())) {
                    missing.add(nick + " #" + i);
                }
            }
        });
        return missing;
    }

    /**
     * No occupant got any message twice; returns how many (message, occupant) deliveries are
     * missing, for tests of faults that may lose what was in a dead node's socket.
     */
    int assertNoDuplicatesCountMissing() {
        int missing = 0;
        for (String room : rooms) {
            Map<String, Integer> expected = expected(room);
            for (SmackClient c : clients) {
                String problem = problem(c, room, expected, false);
                assertTrue(problem == null, problem);
                Map<String, List<Integer>> got = numbers(c, room);
                for (Map.Entry<String, Integer> e : expected.entrySet()) {
                    missing += e.getValue() - got.getOrDefault(e.getKey(), List.of()).size();
                }
            }
        }
        return missing;
    }

    private Map<String, Integer> expected(String room) {
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < nicks.size(); i++) {
            expected.put(nicks.get(i), sent.get(i).getOrDefault(room, 0));
        }
        return expected;
    }

    /**
     * A newcomer joining every room sees every occupant, and a history equal to the last messages
     * the first occupant saw there (the room keeps {@code history}, the ends among them); nobody
     * saw anyone leave.
     */
    void assertRoomsIntact(int history) throws Exception {
        SmackClient late = SmackClient.login(c2sPort, "u16", "late");
        clients.add(late);
        for (String room : rooms) {
            late.presence(room + "/late");
            late.await(presenceFrom(room + "/late"), "its own presence in " + room);
            for (String nick : nicks) {
                late.await(presenceFrom(room + "/" + nick), nick + "'s presence in " + room);
            }
            late.await(e -> e.name().equals("message") && e.attr("from") != null && e.attr("from").startsWith(room)
                    && "late has become available".equals(e.childText("body")), "its join notice in " + room
                    + ", the last of the entry (after the history)");
            List<String> seen = bodies(clients.get(0), room, false);
            List<String> replayed = bodies(late, room, true);
            // the room's last messages include everyone's "end NICK", which is not traffic
            int expected = Math.min(seen.size(), history - nicks.size());
            assertTrue(replayed.size() >= expected, "the history of " + room + " has " + replayed.size()
                    + " traffic messages, at least " + expected + " expected: " + replayed);
            assertEquals(seen.subList(seen.size() - replayed.size(), seen.size()), replayed,
                    "the history of " + room + " is what its occupants saw");
        }
        for (SmackClient c : clients) {
            assertTrue(c.received(e -> e.name().equals("presence") && "unavailable".equals(e.attr("type"))).isEmpty(),
                    c.jid() + " saw nobody leave");
        }
    }

    /** Traffic messages from any of {@code senders} that {@code c} has received so far, in every room. */
    static long receivedFrom(SmackClient c, java.util.Collection<String> senders) {
        return c.received(traffic()).stream()
                .filter(e -> senders.contains(e.childText("body").substring(0, e.childText("body").indexOf(" #"))))
                .count();
    }

    static Predicate<Element> traffic() {
        return e -> e.name().equals("message") && e.childText("body") != null
                && e.childText("body").matches("\\S+ #\\d+");
    }

    /** The traffic bodies {@code c} received from {@code room}, in order: live ones, or the history replayed to it. */
    private static List<String> bodies(SmackClient c, String room, boolean history) {
        return c.received(traffic().and(e -> e.attr("from") != null && e.attr("from").startsWith(room + "/"))
                        .and(e -> history == e.elements().stream()
                                .anyMatch(x -> x.name().equals("x") || x.name().equals("delay"))))
                .stream().map(e -> e.childText("body")).toList();
    }

    private static Map<String, List<Integer>> numbers(SmackClient c, String room) {
        Map<String, List<Integer>> got = new HashMap<>();
        for (String body : bodies(c, room, false)) {
            String[] parts = body.split(" #");
            got.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        return got;
    }

    /** null when {@code c} got no message twice (and, if {@code complete}, every one), else what is wrong. */
    private static String problem(SmackClient c, String room, Map<String, Integer> expected, boolean complete) {
        Map<String, List<Integer>> got = numbers(c, room);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            List<Integer> numbers = got.getOrDefault(e.getKey(), List.of());
            long distinct = numbers.stream().distinct().count();
            if (distinct < numbers.size()) {
                return c.jid() + " in " + room + " got messages of " + e.getKey() + " twice: " + numbers;
            }
            if (complete && distinct < e.getValue()) {
                List<Integer> missing = new ArrayList<>();
                for (int i = 1; i <= e.getValue(); i++) {
                    if (!numbers.contains(i)) {
                        missing.add(i);
                    }
                }
                return c.jid() + " in " + room + " got " + distinct + " of " + e.getValue() + " messages of "
                        + e.getKey() + "; missing " + missing;
            }
        }
        return null;
    }

    @Override
    public void close() {
        stop.set(true);
        clients.forEach(SmackClient::close);
    }
}
