package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.groupchatBody;
import static org.palaver.e2e.Received.presenceFrom;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.Test;
import org.palaver.cluster.ClusterProtocol;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.palaver.testkit.Await;
import org.palaver.testkit.RouterHash;
import org.palaver.xml.Element;

/**
 * Two clustered nodes behind the real router (which spreads users over the nodes' connections by
 * sender): users on different nodes share one room, each receives every message exactly once,
 * with the right {@code from}, each sender's in order; the service's browse on any node lists the
 * rooms of every node.
 */
class ClusterRoutingIT {
    @RegisterExtension
    static final ClusterStack stack = new ClusterStack();
    private static final int PER_SENDER = 15;

    @Test
    void usersOnDifferentNodesShareARoom() throws Exception {
        ClusterStack.Member first = stack.startNode();
        ClusterStack.Member second = stack.startNode();
        String room = stack.roomOwnedBy(second, "shared");
        // two users the router hands to each node's connection (bind order: first, second)
        List<String> users = usersOnConnections(2, 2);
        List<SmackClient> clients = new ArrayList<>();
        for (String u : users) {
            SmackClient c = stack.login(u, "cluster");
            c.presence(room + "/" + u);
            c.await(presenceFrom(room + "/" + u), "its own join presence");
            clients.add(c);
        }
        List<CompletableFuture<Void>> sending = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            SmackClient c = clients.get(i);
            String nick = users.get(i);
            sending.add(CompletableFuture.runAsync(() -> sendAll(c, room, nick, PER_SENDER)));
        }
        CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).join();
        awaitEveryEnd(clients, users, room);
        for (SmackClient c : clients) {
            assertExactlyOnceInOrder(c, room, users, PER_SENDER);
        }
        assertTrue(first.counter("palaver.cluster.forwarded", "out") > 0, "the first node forwarded to the owner");
        assertTrue(second.counter("palaver.cluster.forwarded", "in") > 0, "the owner received forwarded stanzas");
        assertEquals(0, first.rooms(), "the room exists once, on its owner");
        assertEquals(ClusterProtocol.CURRENT, first.node().protocol().spoken(),
                "two members of this build speak its protocol (each read the other's member attribute)");
    }

    @Test
    void serviceBrowseListsTheRoomsOfEveryNode() throws Exception {
        ClusterStack.Member first = stack.startNode();
        ClusterStack.Member second = stack.startNode();
        String onFirst = stack.roomOwnedBy(first, "listed");
        String onSecond = stack.roomOwnedBy(second, "listed");
        SmackClient a = stack.login(usersOnConnections(1, 2).get(0), "browse");
        for (String room : List.of(onFirst, onSecond)) {
            a.presence(room + "/a");
            a.await(presenceFrom(room + "/a"), "its join presence in " + room);
        }
        SmackClient b = stack.login(usersOnConnections(2, 2).get(1), "browse"); // on the other node
        Await.until(ClusterStack.WAIT, () -> {
            List<String> listed = listedRooms(browseService(b));
            return listed.contains(onFirst) && listed.contains(onSecond);
        }, () -> "browse never listed both rooms");
    }

    /**
     * Each sender says "end NICK" and everyone waits for every end: a sender's messages keep their
     * order on every path, so after its end nothing of its earlier ones (nor a duplicate) can follow.
     */
    static void awaitEveryEnd(List<SmackClient> clients, List<String> nicks, String room) throws Exception {
        for (int i = 0; i < clients.size(); i++) {
            clients.get(i).say(room, "end " + nicks.get(i));
        }
        for (SmackClient c : clients) {
            for (String nick : nicks) {
                c.await(groupchatBody("end " + nick), "the end of " + nick);
            }
        }
    }

    static Element browseService(SmackClient c) {
        try {
            return c.iq(IQ.Type.get, ClusterStack.SERVICE, "query", SmackClient.BROWSE, "");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> listedRooms(Element browse) {
        Element top = browse.childNs(SmackClient.BROWSE);
        List<String> rooms = new ArrayList<>();
        for (Element c : top.elements()) {
            if (c.attr("jid") != null) {
                rooms.add(c.attr("jid"));
            }
        }
        return rooms;
    }

    /** {@code perConnection} users for each of {@code connections} router connections, in connection order. */
    static List<String> usersOnConnections(int perConnection, int connections) {
        List<String> picked = new ArrayList<>();
        for (int conn = 0; conn < connections; conn++) {
            int found = 0;
            for (int i = 1; found < perConnection; i++) { // jabberd2.sh creates u01..u16
                String user = String.format("u%02d", i);
                if (RouterHash.index(user + "@localhost", connections) == conn && !picked.contains(user)) {
                    picked.add(user);
                    found++;
                }
            }
        }
        return picked;
    }

    static void sendAll(SmackClient c, String room, String nick, int count) {
        try {
            for (int i = 1; i <= count; i++) {
                c.say(room, nick + " #" + i);
            }
        } catch (Exception e) {
            throw new IllegalStateException(nick + " could not send", e);
        }
    }

    /** Every "nick #n" message of every sender exactly once, from room/nick, in the order sent. */
    static void assertExactlyOnceInOrder(SmackClient c, String room, List<String> senders, int perSender) {
        Predicate<Element> traffic = e -> e.name().equals("message") && e.childText("body") != null
                && e.childText("body").matches("\\S+ #\\d+");
        List<Element> got = c.received(traffic);
        Map<String, List<Integer>> sequence = new HashMap<>();
        for (Element m : got) {
            String[] parts = m.childText("body").split(" #");
            assertEquals(room + "/" + parts[0], m.attr("from"), m.toString());
            sequence.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= perSender; i++) {
            expected.add(i);
        }
        for (String s : senders) {
            assertEquals(expected, sequence.get(s), c.jid() + " got " + s + "'s messages");
        }
        assertEquals(senders.size() * perSender, got.size(), c.jid() + " got " + got.size() + " messages");
    }
}
