package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.presenceFrom;

import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.palaver.testkit.Await;
import org.palaver.xml.Element;

/**
 * Planned moves through the real router: a node joining while rooms are busy (scale-out) and a
 * node stopping gracefully (scale-in, rolling restart). Rooms whose owner changes keep every
 * participant, the topic and the history; no message is lost or duplicated and each sender's
 * order holds, for every recipient.
 */
class ClusterHandoffIT {
    @RegisterExtension
    static final ClusterStack stack = new ClusterStack();
    private static final int ROOMS = 8;
    private static final String BACKUP_ROOMS = "palaver.cluster.backup.rooms";

    @Test
    void scaleOutWhileRoomsAreBusy() throws Exception {
        ClusterStack.Member first = stack.startNode();
        List<String> rooms = new ArrayList<>();
        for (int i = 1; i <= ROOMS; i++) {
            rooms.add("busy" + i + "@" + ClusterStack.SERVICE);
        }
        List<String> nicks = ClusterRoutingIT.usersOnConnections(2, 2); // spread once the second node binds
        List<SmackClient> clients = joinAll(nicks, rooms, "busy");
        for (String room : rooms) {
            clients.get(0).topic(room, "topic of " + room);
        }

        ClusterStack.Member second = nodeJoinsWhileEveryoneWrites(clients, nicks, rooms);
        assertEquals(owned(second, rooms), second.counter("palaver.cluster.handoffs", "in"),
                "every room the new node owns arrived with its state (none was created anew)");
        awaitOneCopyEach(rooms.size()); // moved rooms backed up by their new owner, the others' backups moved

        // the state moved with the rooms: a newcomer sees every participant and the topic
        SmackClient late = stack.login("u16", "late");
        for (String room : rooms) {
            late.presence(room + "/late");
            late.await(presenceFrom(room + "/late"), "its join presence in " + room);
            for (String nick : nicks) {
                late.await(presenceFrom(room + "/" + nick), nick + "'s presence in " + room);
            }
            late.await(e -> e.name().equals("message") && room.equals(e.attr("from"))
                    && ("topic of " + room).equals(e.childText("subject")), "the topic of " + room);
        }
    }

    @Test
    void gracefulStopHandsRoomsToTheSurvivor() throws Exception {
        ClusterStack.Member first = stack.startNode();
        ClusterStack.Member second = stack.startNode();
        String room = stack.roomOwnedBy(second, "moving");
        List<String> nicks = ClusterRoutingIT.usersOnConnections(2, 2);
        List<SmackClient> clients = joinAll(nicks, List.of(room), "moving");
        List<String> said = topicAndOneMessageEach(clients, nicks, room, "before the move");

        stack.stopNode(second);
        assertEquals(1.0, first.rooms(), "the room lives on the survivor");
        assertEquals(1.0, first.counter("palaver.cluster.handoffs", "in"));

        SmackClient late = assertNewcomerFindsTheRoom(room, nicks, said, "before the move");

        // and the room works on: everyone (some now on the survivor's connection) gets everything once
        for (int i = 0; i < clients.size(); i++) {
            clients.get(i).say(room, nicks.get(i) + " #2");
        }
        List<SmackClient> everyone = new ArrayList<>(clients);
        everyone.add(late);
        for (SmackClient c : everyone) {
            for (String nick : nicks) {
                c.await(Received.groupchat(room + "/" + nick, nick + " #2"), nick + "'s message after the move");
            }
        }
        ClusterRoutingIT.awaitEveryEnd(clients, nicks, room);
        for (SmackClient c : clients) {
            Map<String, Integer> expected = new HashMap<>();
            nicks.forEach(n -> expected.put(n, 2));
            assertEveryMessageOnceInOrder(c, room, expected);
        }
    }

    /**
     * A rolling restart of one of three nodes: the stopped node's rooms go to the two survivors,
     * then a replacement joins while everyone writes and takes rooms from both survivors at once
     * (one barrier, two previous owners). Traffic pauses only while the router connection of the
     * stopping node closes: jabberd2 drops what it had already written to a closing connection
     * (docs/protocol.md §2.3), which no component can recover.
     */
    @Test
    void rollingRestartOfOneOfThreeNodes() throws Exception {
        stack.startNode();
        stack.startNode();
        ClusterStack.Member third = stack.startNode();
        List<String> rooms = new ArrayList<>();
        for (ClusterStack.Member m : stack.members()) { // two rooms on each node
            rooms.add(stack.roomOwnedBy(m, "rolling-a"));
            rooms.add(stack.roomOwnedBy(m, "rolling-b"));
        }
        List<String> nicks = ClusterRoutingIT.usersOnConnections(1, 3);
        List<SmackClient> clients = joinAll(nicks, rooms, "rolling");
        assertEquals(2.0, third.rooms());

        stack.stopNode(third);
        List<ClusterStack.Member> survivors = stack.members();
        assertOwnersHoldTheirRooms(rooms);
        assertEquals(2.0, survivors.get(0).counter("palaver.cluster.handoffs", "in")
                + survivors.get(1).counter("palaver.cluster.handoffs", "in"), "the stopped node's rooms moved");

        ClusterStack.Member replacement = nodeJoinsWhileEveryoneWrites(clients, nicks, rooms);
        assertEquals(owned(replacement, rooms), replacement.counter("palaver.cluster.handoffs", "in"),
                "every room the replacement owns arrived with its state");
        awaitOneCopyEach(rooms.size());
    }

    /**
     * One of three nodes crashes. Its rooms' backups are on both survivors (each the runner-up for
     * one of them): each survivor serves the room it backed up, and gives it a backup of its own on
     * the other survivor.
     */
    @Test
    void crashOfOneOfThreeNodesSplitsItsRoomsOverTheirCopies() throws Exception {
        ClusterStack.Member first = stack.startNode();
        ClusterStack.Member second = stack.startNode();
        ClusterStack.Member third = stack.startNode();
        List<String> rooms = List.of(stack.roomBackedUpBy(third, first, "split-a"),
                stack.roomBackedUpBy(third, second, "split-b"));
        List<String> nicks = ClusterRoutingIT.usersOnConnections(1, 3);
        List<SmackClient> clients = joinAll(nicks, rooms, "split");
        for (String room : rooms) {
            clients.get(0).say(room, nicks.get(0) + " #1");
            for (SmackClient c : clients) {
                c.await(Received.groupchat(room + "/" + nicks.get(0), nicks.get(0) + " #1"), "the message before");
            }
        }
        Await.until(ClusterStack.WAIT, () -> first.gauge(BACKUP_ROOMS) == 1.0 && second.gauge(BACKUP_ROOMS) == 1.0,
                () -> "backups: " + first.gauge(BACKUP_ROOMS) + ", " + second.gauge(BACKUP_ROOMS));
        awaitCopiesCurrent(clients, first, second);

        stack.crashNode(third);
        assertOwnersHoldTheirRooms(rooms);
        assertEquals(1.0, first.registry().find("palaver.cluster.takeovers").counter().count());
        assertEquals(1.0, second.registry().find("palaver.cluster.takeovers").counter().count());
        Await.until(ClusterStack.WAIT, () -> first.gauge(BACKUP_ROOMS) == 1.0 && second.gauge(BACKUP_ROOMS) == 1.0,
                () -> "each promoted room was never backed up on the other survivor: backups "
                        + first.gauge(BACKUP_ROOMS) + ", " + second.gauge(BACKUP_ROOMS));
        for (String room : rooms) {
            clients.get(1).say(room, nicks.get(1) + " #2");
            for (SmackClient c : clients) {
                c.await(Received.groupchat(room + "/" + nicks.get(1), nicks.get(1) + " #2"), "the message after");
            }
        }
        assertNobodyRemoved(clients);
    }

    /**
     * Returns once each of {@code backups} has applied every change its rooms' owners made so far.
     * The last changes' deltas leave the owner after their output, so the clients having seen the
     * output proves nothing about the backups. Instead every client asks each backup node something
     * (a get to a missing room that node owns) and waits for the answer: {@code clients} cover every
     * router connection, so one of them enters at each owner, whose node forwards the question to
     * the backup behind those deltas on the same ordered channel (docs/architecture.md, "Why nothing
     * is lost, duplicated or reordered"). When the backup answers, it has applied them.
     */
    private static void awaitCopiesCurrent(List<SmackClient> clients, ClusterStack.Member... backups) throws Exception {
        for (ClusterStack.Member backup : backups) {
            String probe = stack.roomOwnedBy(backup, "probe");
            for (SmackClient c : clients) {
                Element answer = c.iq(IQ.Type.get, probe, "query", SmackClient.CONFERENCE, "");
                assertEquals("error", answer.attr("type"), probe + " does not exist: " + answer);
            }
        }
    }

    /** Every room has exactly one backup in the cluster. */
    private static void awaitOneCopyEach(int rooms) {
        Await.until(ClusterStack.WAIT, () -> backups() == rooms, () -> "backups: " + backups() + " for " + rooms + " rooms");
    }

    private static double backups() {
        return stack.members().stream().mapToDouble(m -> m.gauge(BACKUP_ROOMS)).sum();
    }

    private static void assertNobodyRemoved(List<SmackClient> clients) {
        for (SmackClient c : clients) {
            assertTrue(c.received(e -> e.childText("body") != null && e.childText("body").endsWith("has left")).isEmpty(),
                    c.jid() + " saw someone removed");
        }
    }

    /**
     * Crash takeover (invariant 3): a node ends without handing off (Vert.x and Hazelcast closed,
     * router stream dropped). The survivor, which held the backups of its rooms, serves them
     * on from the backups as soon as the view drops the dead node: same participants (nobody is
     * removed; a new message reaches everyone with the right {@code from}), topic and history for a
     * newcomer, the rooms still listed.
     */
    @Test
    void crashedNodesRoomsLiveOnOnTheSurvivor() throws Exception {
        ClusterStack.Member first = stack.startNode();
        ClusterStack.Member second = stack.startNode();
        String room = stack.roomOwnedBy(second, "crashing");
        String listed = stack.roomOwnedBy(second, "listed");
        List<String> nicks = ClusterRoutingIT.usersOnConnections(1, 2);
        List<SmackClient> clients = joinAll(nicks, List.of(room, listed), "crash");
        List<String> said = topicAndOneMessageEach(clients, nicks, room, "before the crash");
        Await.until(ClusterStack.WAIT, () -> first.gauge(BACKUP_ROOMS) == 2.0,
                () -> "the survivor never held backups of both rooms: " + first.gauge(BACKUP_ROOMS));
        awaitCopiesCurrent(clients, first);
        Await.until(ClusterStack.WAIT,
                () -> ClusterRoutingIT.listedRooms(ClusterRoutingIT.browseService(clients.get(0))).contains(listed),
                () -> listed + " was never listed");
        // the survivor's users' messages reached its backups as deltas without their bytes: the
        // survivor logged what it had forwarded, and the newcomer below finds them in the history
        assertTrue(second.registry().find("palaver.cluster.replication").tag("kind", "known_delta").counter().count() > 0,
                "no delta went to the ingress node without the stanza");

        long t0 = System.nanoTime();
        stack.crashNode(second);
        long settledMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(2.0, first.rooms(), "both rooms of the crashed node live on the survivor");
        Timer takeover = first.registry().find("palaver.cluster.takeover").timer();
        assertEquals(1, takeover.count());
        assertEquals(2.0, first.registry().find("palaver.cluster.takeovers").counter().count());
        double promotedMs = takeover.max(TimeUnit.MILLISECONDS);
        System.out.printf("crash takeover: rooms served from their backups %.0f ms after the survivor noticed the"
                + " crash; cluster settled %d ms after the crash began%n", promotedMs, settledMs);
        assertTrue(promotedMs < 5_000, "takeover took " + promotedMs + " ms");

        clients.get(0).say(room, nicks.get(0) + " #2");
        for (SmackClient c : clients) {
            c.await(Received.groupchat(room + "/" + nicks.get(0), nicks.get(0) + " #2"), "the message after the crash");
        }
        SmackClient late = assertNewcomerFindsTheRoom(room, nicks, said, "before the crash");
        assertNobodyRemoved(clients);
        Await.until(ClusterStack.WAIT,
                () -> ClusterRoutingIT.listedRooms(ClusterRoutingIT.browseService(late)).contains(listed),
                () -> "the survivor never listed " + listed);
    }

    /**
     * With {@code <backups>0</backups>} (v1): a node that ends without handing off loses its rooms.
     * The survivors must notice, take its keys without waiting for it, and serve the room anew from
     * the next join.
     */
    @Test
    void withoutBackupsCrashedNodesRoomsStartAfreshOnTheSurvivor() throws Exception {
        ClusterStack.Member first = stack.startNode(0);
        ClusterStack.Member second = stack.startNode(0);
        String room = stack.roomOwnedBy(second, "crashing");
        List<String> nicks = ClusterRoutingIT.usersOnConnections(1, 2);
        String forgotten = stack.roomOwnedBy(second, "forgotten");
        List<SmackClient> clients = joinAll(nicks, List.of(room, forgotten), "crash");
        clients.get(0).say(room, "before the crash");
        clients.get(1).await(Received.groupchatBody("before the crash"), "the message before the crash");

        Await.until(ClusterStack.WAIT,
                () -> ClusterRoutingIT.listedRooms(ClusterRoutingIT.browseService(clients.get(0))).contains(forgotten),
                () -> forgotten + " was never listed");

        stack.crashNode(second);
        assertEquals(0.0, first.rooms(), "the room went down with its owner");
        SmackClient late = stack.login("u16", "crash");
        late.presence(room + "/late");
        late.await(presenceFrom(room + "/late"), "its join presence: the room is created anew");
        assertEquals(1.0, first.rooms());
        late.say(room, "after the crash");
        late.await(Received.groupchat(room + "/late", "after the crash"), "its own message");
        assertTrue(late.received(Received.groupchatBody("before the crash")).isEmpty(), "no history survived");
        Await.until(ClusterStack.WAIT,
                () -> !ClusterRoutingIT.listedRooms(ClusterRoutingIT.browseService(late)).contains(forgotten),
                () -> "the crashed node's listing of " + forgotten + " was never dropped");
    }

    /** One client sets the topic, then each says "nick #1" in turn, everyone receiving it; returns what was said. */
    private static List<String> topicAndOneMessageEach(List<SmackClient> clients, List<String> nicks, String room,
                                                       String topic) throws Exception {
        clients.get(1).topic(room, topic);
        List<String> said = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            String body = nicks.get(i) + " #1";
            clients.get(i).say(room, body);
            said.add(body);
            for (SmackClient c : clients) { // one at a time: the history order is then known
                c.await(Received.groupchatBody(body), body);
            }
        }
        return said;
    }

    /** A newcomer joining {@code room} sees every participant, the exact history and the topic; returns it. */
    private static SmackClient assertNewcomerFindsTheRoom(String room, List<String> nicks, List<String> said,
                                                          String topic) throws Exception {
        SmackClient late = stack.login("u16", "late");
        late.presence(room + "/late");
        late.await(Received.groupchatBody("late has become available"), "its join notice, last of the entry");
        for (String nick : nicks) {
            late.await(presenceFrom(room + "/" + nick), nick + "'s presence");
        }
        List<String> history = late.received(e -> e.name().equals("message") && e.childText("body") != null
                && e.elements().stream().anyMatch(x -> x.name().equals("x") || x.name().equals("delay")))
                .stream().map(e -> e.childText("body")).filter(b -> b.matches("\\S+ #1")).toList();
        assertEquals(said, history, "the history is the room's");
        assertTrue(late.received(e -> topic.equals(e.childText("subject"))).size() > 0, "the topic is the room's");
        return late;
    }

    /** How many of {@code rooms} {@code m} owns under the current view. */
    private static double owned(ClusterStack.Member m, List<String> rooms) {
        return rooms.stream().filter(r -> stack.owner(r) == m).count();
    }

    /**
     * A node joins (and takes over some rooms) while every client writes continuously into every
     * room; then every client got every message exactly once, in each sender's order, and each room
     * is held by its owner. Returns the new node.
     */
    private static ClusterStack.Member nodeJoinsWhileEveryoneWrites(List<SmackClient> clients, List<String> nicks,
                                                                    List<String> rooms) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Map<String, Integer>>> senders = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            SmackClient c = clients.get(i);
            String nick = nicks.get(i);
            senders.add(CompletableFuture.supplyAsync(() -> sendUntil(stop, c, nick, rooms)));
        }
        awaitTraffic(clients, nicks, rooms, 3); // every room busy before the node joins
        ClusterStack.Member joined = stack.startNode(); // returns once the cluster has settled
        awaitTraffic(clients, nicks, rooms, 3); // and still busy after its rooms moved
        stop.set(true);
        List<Map<String, Integer>> sent = new ArrayList<>();
        for (CompletableFuture<Map<String, Integer>> f : senders) {
            sent.add(f.join());
        }
        for (String room : rooms) {
            ClusterRoutingIT.awaitEveryEnd(clients, nicks, room);
        }
        for (SmackClient c : clients) {
            for (String room : rooms) {
                Map<String, Integer> expected = new HashMap<>();
                for (int i = 0; i < nicks.size(); i++) {
                    expected.put(nicks.get(i), sent.get(i).get(room));
                }
                assertEveryMessageOnceInOrder(c, room, expected);
            }
        }
        assertOwnersHoldTheirRooms(rooms);
        return joined;
    }

    /**
     * Waits until every client has received, in every room, {@code more} further messages from every
     * sender than the first client had when called.
     */
    private static void awaitTraffic(List<SmackClient> clients, List<String> nicks, List<String> rooms, int more) {
        for (String room : rooms) {
            for (String nick : nicks) {
                String next = nick + " #" + (highest(clients.get(0), room, nick) + more);
                for (SmackClient c : clients) {
                    c.await(Received.groupchat(room + "/" + nick, next), "'" + next + "' in " + room);
                }
            }
        }
    }

    /** The number of the latest "nick #n" that {@code c} received in {@code room} (0: none yet). */
    private static int highest(SmackClient c, String room, String nick) {
        int max = 0;
        for (Element m : c.received(e -> e.name().equals("message") && (room + "/" + nick).equals(e.attr("from")))) {
            String body = m.childText("body");
            if (body != null && body.matches(Pattern.quote(nick) + " #\\d+")) {
                max = Math.max(max, Integer.parseInt(body.substring(nick.length() + 2)));
            }
        }
        return max;
    }

    /** Each room exists once, on its owner: every node holds exactly the rooms the view gives it. */
    private static void assertOwnersHoldTheirRooms(List<String> rooms) {
        for (ClusterStack.Member m : stack.members()) {
            assertEquals(owned(m, rooms), m.rooms(), m.node().id() + " holds the rooms it owns, no others");
        }
    }

    private static List<SmackClient> joinAll(List<String> nicks, List<String> rooms, String resource) throws Exception {
        List<SmackClient> clients = new ArrayList<>();
        for (String nick : nicks) {
            SmackClient c = stack.login(nick, resource);
            for (String room : rooms) {
                c.presence(room + "/" + nick);
                c.await(presenceFrom(room + "/" + nick), "its join presence in " + room);
            }
            clients.add(c);
        }
        return clients;
    }

    /**
     * Sends "nick #n" to the rooms in turn until told to stop; returns how many went to each room.
     * Each round waits for its own last message to come back before the next one starts, so a slow
     * machine slows the senders down instead of piling up a backlog.
     */
    private static Map<String, Integer> sendUntil(AtomicBoolean stop, SmackClient c, String nick, List<String> rooms) {
        Map<String, Integer> sent = new HashMap<>();
        String last = rooms.get(rooms.size() - 1);
        try {
            while (!stop.get()) {
                for (String room : rooms) {
                    int n = sent.merge(room, 1, Integer::sum);
                    c.say(room, nick + " #" + n);
                }
                c.await(Received.groupchat(last + "/" + nick, nick + " #" + sent.get(last)), "its own round back");
                Thread.sleep(20); // at most about 50 rounds a second: a send rate, not a wait for anything
            }
        } catch (Exception e) {
            throw new IllegalStateException(nick + " could not send", e);
        }
        return sent;
    }

    /** {@code expected}: sender nick -> how many it sent; each exactly once, in order, from room/nick. */
    private static void assertEveryMessageOnceInOrder(SmackClient c, String room, Map<String, Integer> expected) {
        Predicate<Element> traffic = e -> e.name().equals("message") && room.equals(bare(e.attr("from")))
                && e.childText("body") != null && e.childText("body").matches("\\S+ #\\d+")
                && e.elements().stream().noneMatch(x -> x.name().equals("x") || x.name().equals("delay"));
        Map<String, List<Integer>> got = new HashMap<>();
        for (Element m : c.received(traffic)) {
            String[] parts = m.childText("body").split(" #");
            assertEquals(room + "/" + parts[0], m.attr("from"), m.toString());
            got.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        expected.forEach((nick, count) -> {
            List<Integer> inOrder = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                inOrder.add(i);
            }
            assertEquals(inOrder, got.getOrDefault(nick, List.of()), c.jid() + " in " + room + " from " + nick);
        });
    }

    private static String bare(String jid) {
        int slash = jid == null ? -1 : jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }
}
