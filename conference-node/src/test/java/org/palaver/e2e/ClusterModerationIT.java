package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.palaver.e2e.Received.presenceFrom;
import static org.palaver.e2e.Received.unavailableFrom;

import java.util.List;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.muc.Affiliate;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.palaver.testkit.Await;
import org.palaver.xml.Element;

/**
 * Moderation is room state in a cluster (issue 9): a kicked user is not back and a banned user
 * stays out after the room moves to another node by handoff, and after its owner crashes and the
 * backup takes over.
 */
class ClusterModerationIT {
    @RegisterExtension
    static final ClusterStack stack = new ClusterStack();

    @Test
    void afterAHandoff() throws Exception {
        ClusterStack.Member first = stack.startNode();
        ClusterStack.Member second = stack.startNode();
        String room = stack.roomOwnedBy(second, "modmove");
        Moderated m = kickAndBan(room, "move");
        stack.stopNode(second);
        assertEquals(1.0, first.rooms(), "the room lives on the survivor");
        m.assertStillApplied();
    }

    @Test
    void afterACrashTakeover() throws Exception {
        ClusterStack.Member first = stack.startNode();
        ClusterStack.Member second = stack.startNode();
        String room = stack.roomOwnedBy(second, "modcrash");
        Moderated m = kickAndBan(room, "crash");
        stack.crashNode(second);
        Await.until(ClusterStack.WAIT, () -> first.rooms() == 1.0, () -> "the survivor took the room over");
        m.assertStillApplied();
    }

    /** Alice creates the room; Bob and Dave join; Alice kicks Bob and bans Dave. */
    private Moderated kickAndBan(String room, String resource) throws Exception {
        SmackClient alice = stack.login("alice", resource);
        MultiUserChat aliceMuc = alice.muc(room);
        aliceMuc.join(Resourcepart.from("alice"));
        SmackClient bob = stack.login("bob", resource);
        bob.muc(room).join(Resourcepart.from("bob"));
        SmackClient dave = stack.login("dave", resource);
        MultiUserChat daveMuc = dave.muc(room);
        daveMuc.join(Resourcepart.from("dave"));
        aliceMuc.kickParticipant(Resourcepart.from("bob"), "kicked");
        Jid daveBare = JidCreate.bareFrom(dave.jid());
        aliceMuc.banUser(daveBare, "banned");
        alice.await(unavailableFrom(room + "/bob"), "bob kicked");
        alice.await(unavailableFrom(room + "/dave"), "dave banned");
        aliceMuc.sendMessage("after the removals"); // the owner's state is past both when this echoes
        alice.await(Received.groupchat(room + "/alice", "after the removals"), "its message echoed");
        return new Moderated(room, aliceMuc, daveMuc, daveBare, resource);
    }

    private record Moderated(String room, MultiUserChat aliceMuc, MultiUserChat daveMuc, Jid daveBare,
                             String resource) {
        void assertStillApplied() throws Exception {
            XMPPErrorException refused = org.junit.jupiter.api.Assertions.assertThrows(XMPPErrorException.class,
                    () -> daveMuc.join(Resourcepart.from("dave")));
            assertEquals(StanzaError.Condition.forbidden, refused.getStanzaError().getCondition(), "dave stays out");
            List<Affiliate> outcasts = aliceMuc.getOutcasts();
            assertEquals(1, outcasts.size());
            assertEquals(daveBare, outcasts.get(0).getJid());
            // a newcomer sees alice only: bob did not come back with the room
            SmackClient carol = stack.login("carol", resource);
            carol.presence(room + "/carol");
            carol.await(presenceFrom(room + "/carol"), "its own join presence");
            List<Element> occupants = carol.received(e -> e.name().equals("presence") && e.attr("type") == null);
            assertEquals(List.of(room + "/alice", room + "/carol"), occupants.stream().map(e -> e.attr("from")).toList());
        }
    }
}
