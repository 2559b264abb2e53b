package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.groupchat;
import static org.palaver.e2e.Received.presenceFrom;
import static org.palaver.e2e.Received.unavailableFrom;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A room owner cut off from the router: the router re-hashes every user to the other node, which
 * forwards their stanzas to the owner and writes the owner's output, relayed back to it, on its
 * own connection. Everyone keeps hearing everyone exactly once, joins and leaves work, and once
 * the owner's connection is back its output goes out directly again.
 */
class ClusterOutputRelayIT {
    @RegisterExtension
    static final ClusterStack stack = new ClusterStack();
    private static final String RELAYED = "palaver.cluster.output.relayed";

    @Test
    void aRoomOwnerWithoutRouterConnectionIsServedThroughAnotherNode() throws Exception {
        ClusterStack.Member owner = stack.startNode(); // binds first: the router's connection 0
        ClusterStack.Member other = stack.startNode();
        String room = stack.roomOwnedBy(owner, "cutoff");
        List<String> picked = ClusterRoutingIT.usersOnConnections(2, 2);
        List<String> nicks = List.of(picked.get(0), picked.get(2)); // one on each node's connection
        List<SmackClient> clients = new ArrayList<>();
        for (String nick : nicks) {
            clients.add(join(nick, room));
        }
        everyoneHearsEveryoneOnce(clients, nicks, room, "before");

        stack.cutRouter(owner);
        everyoneHearsEveryoneOnce(clients, nicks, room, "cut off");
        String joiner = picked.get(1);
        SmackClient late = join(joiner, room);
        for (SmackClient c : clients) {
            c.await(presenceFrom(room + "/" + joiner), "the join of " + joiner);
        }
        late.unavailable(room + "/" + joiner);
        for (SmackClient c : clients) {
            c.await(unavailableFrom(room + "/" + joiner), "the leave of " + joiner);
        }
        double relayed = owner.counter(RELAYED, "out");
        assertTrue(relayed > 0, "the owner relayed its output");
        assertEquals(relayed, other.counter(RELAYED, "in"), "the other node wrote every relayed copy");
        assertEquals(0, other.rooms(), "the room stayed with its owner");

        stack.reconnectRouter(owner);
        everyoneHearsEveryoneOnce(clients, nicks, room, "back");
        assertEquals(relayed, owner.counter(RELAYED, "out"), "with its connection back the owner writes itself");
    }

    private static SmackClient join(String nick, String room) throws Exception {
        SmackClient c = stack.login(nick, "relay");
        c.presence(room + "/" + nick);
        c.await(presenceFrom(room + "/" + nick), "the join presence of " + nick);
        return c;
    }

    /**
     * Each user says "PHASE from NICK" then "PHASE done NICK"; once everyone has every "done" (a
     * sender's messages keep their order), each "from" must have arrived exactly once, from the room
     * nick of its sender.
     */
    private static void everyoneHearsEveryoneOnce(List<SmackClient> clients, List<String> nicks, String room,
                                                  String phase) throws Exception {
        for (int i = 0; i < clients.size(); i++) {
            clients.get(i).say(room, phase + " from " + nicks.get(i));
            clients.get(i).say(room, phase + " done " + nicks.get(i));
        }
        for (SmackClient c : clients) {
            for (String nick : nicks) {
                c.await(groupchat(room + "/" + nick, phase + " done " + nick), phase + ": the end of " + nick);
            }
        }
        for (SmackClient c : clients) {
            for (String nick : nicks) {
                assertEquals(1, c.received(groupchat(room + "/" + nick, phase + " from " + nick)).size(),
                        phase + ": " + c.jid() + " got the message of " + nick);
            }
        }
    }
}
