package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.presenceFrom;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
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

    /** Returns once the first client has received {@code more} traffic messages more than now. */
    void awaitMore(int more) {
        int now = clients.get(0).received(traffic()).size();
        Await.until(Duration.ofSeconds(60), () -> clients.get(0).received(traffic()).size() >= now + more,
                "traffic flowing on");
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
        return assertEveryMessageOnceEverywhere(wait, (nick, at) -> Math.abs(at - faultAt) <= window.toNanos(),
                "sent more than " + window.toMillis() + " ms from the fault");
    }

    /**
     * Every occupant got every message of every sender in every room exactly once (waits for late
     * ones), except messages that {@code mayBeLost} (sender's nick, nano time sent) excuses, which
     * {@code rule} describes; returns those lost, for the log.
     */
    List<String> assertEveryMessageOnceEverywhere(Duration wait, BiPredicate<String, Long> mayBeLost, String rule) {
        List<String> lost = new ArrayList<>();
        for (String room : rooms) {
            Map<String, Integer> expected = expected(room);
            for (SmackClient c : clients) {
                Await.until(wait, () -> missingOutside(c, room, expected, mayBeLost).isEmpty(),
                        () -> c.jid() + " in " + room + " misses " + missingOutside(c, room, expected, mayBeLost)
                                + " (" + rule + ")");
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

    private List<String> missingOutside(SmackClient c, String room, Map<String, Integer> expected,
                                        BiPredicate<String, Long> mayBeLost) {
        Map<String, List<Integer>> got = numbers(c, room);
        List<String> missing = new ArrayList<>();
        expected.forEach((nick, n) -> {
            for (int i = 1; i <= n; i++) {
                Long at = sentAt.get(room + "|" + nick + " #" + i);
                if (!got.getOrDefault(nick, List.of()).contains(i)
                        && (at == null || !mayBeLost.test(nick, at))) {
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
     * the occupants saw there (the room keeps {@code history}, the ends among them); nobody saw
     * anyone leave.
     */
    void assertRoomsIntact(int history) throws Exception {
        assertRoomsIntact(history, (nick, at) -> false);
    }

    /**
     * As {@link #assertRoomsIntact(int)}, for a fault that may lose output: what each occupant saw
     * since the history's oldest entry is in the history, in the same order; an entry of the
     * history that an occupant did not see must be excused by {@code mayBeLost} (sender's nick,
     * nano time sent): an owner killed while writing a message's copies leaves that message in its
     * backup's history and with the occupants whose copies were out of its socket already.
     */
    void assertRoomsIntact(int history, BiPredicate<String, Long> mayBeLost) throws Exception {
        List<SmackClient> occupants = List.copyOf(clients);
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
            List<String> replayed = bodies(late, room, true);
            // the room's last messages include everyone's "end NICK", which is not traffic
            int expected = Math.min(bodies(occupants.get(0), room, false).size(), history - nicks.size());
            assertTrue(replayed.size() >= expected, "the history of " + room + " has " + replayed.size()
                    + " traffic messages, at least " + expected + " expected: " + replayed);
            for (SmackClient c : occupants) {
                String problem = historyProblem(room, bodies(c, room, false), replayed, mayBeLost);
                assertTrue(problem == null, () -> "the history of " + room + " is not what " + c.jid() + " saw: "
                        + problem);
            }
        }
        for (SmackClient c : clients) {
            assertTrue(c.received(e -> e.name().equals("presence") && "unavailable".equals(e.attr("type"))).isEmpty(),
                    c.jid() + " saw nobody leave");
        }
    }

    /**
     * Why {@code replayed} (a room's history) is not what an occupant {@code saw} there, or null:
     * from the history's oldest entry the occupant saw on, it saw exactly the history, in order,
     * but for entries {@code mayBeLost} excuses.
     */
    private String historyProblem(String room, List<String> saw, List<String> replayed,
                                  BiPredicate<String, Long> mayBeLost) {
        int from = 0;
        while (from < saw.size() && !replayed.contains(saw.get(from))) {
            from++;
        }
        List<String> since = saw.subList(from, saw.size());
        int i = 0;
        for (String entry : replayed) {
            if (i < since.size() && since.get(i).equals(entry)) {
                i++;
            } else {
                Long at = sentAt.get(room + "|" + entry);
                if (at == null || !mayBeLost.test(entry.substring(0, entry.indexOf(" #")), at)) {
                    return "the history " + replayed + " has " + entry + " where the occupant saw "
                            + (i < since.size() ? since.get(i) : "nothing more") + " (it saw " + saw + ")";
                }
            }
        }
        return i == since.size() ? null : "the occupant saw " + since.subList(i, since.size())
                + " after the history's last entry it saw, which the history " + replayed + " lacks (it saw " + saw + ")";
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
