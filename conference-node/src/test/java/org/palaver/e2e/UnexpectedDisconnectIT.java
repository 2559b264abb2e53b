package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.palaver.e2e.Received.affiliationRole;
import static org.palaver.e2e.Received.anyPresenceFrom;
import static org.palaver.e2e.Received.browseUsers;
import static org.palaver.e2e.Received.groupchat;
import static org.palaver.e2e.Received.presenceFrom;
import static org.palaver.e2e.Received.unavailableFrom;
import static org.palaver.e2e.Received.userPush;
import static org.palaver.e2e.SmackClient.BROWSE;

import java.util.List;
import java.util.function.Predicate;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.parts.Resourcepart;
import org.palaver.xml.Element;

/**
 * Unexpected unavailability (spec §10.2, §2.4): Bob's TCP connection is dropped without a closing
 * stream or unavailable presence; jabberd2's sm ends the session and sends unavailable presence to
 * every room JID Bob had sent directed presence to, and the room removes him. Watching: Alice
 * (new-style, rejecting pushes like a modern client), Carol (gc-1.0) and Dave (Smack MUC).
 */
class UnexpectedDisconnectIT {
    @RegisterExtension
    static final ConferenceStack stack = new ConferenceStack();

    private String room;
    private SmackClient alice;
    private SmackClient carol;
    private SmackClient dave;

    private String occupant(String nick) {
        return room + "/" + nick;
    }

    private String hashJid(SmackClient c) {
        return room + "/" + c.hash();
    }

    /** Carol (creator), Dave and Alice enter {@code node}; each test uses its own room and resources. */
    private void observersIn(String node) throws Exception {
        room = node + "@" + ConferenceStack.SERVICE;
        carol = stack.login("carol", node);
        carol.presence(occupant("carol"));
        carol.await(presenceFrom(occupant("carol")), "its own join presence");
        dave = stack.login("dave", node);
        dave.muc(room).join(Resourcepart.from("dave"));
        alice = stack.login("alice", node);
        alice.presence(room);
        assertEquals("result", alice.iq(IQ.Type.set, room, "query", SmackClient.CONFERENCE, "<nick>alice</nick>").attr("type"));
    }

    @Test
    void newStyleParticipantIsRemoved() throws Exception {
        observersIn("crash-new");
        SmackClient bob = stack.login("bob", "crash-new");
        bob.presence(room);
        assertEquals("result", bob.iq(IQ.Type.set, room, "query", SmackClient.CONFERENCE, "<nick>bob</nick>").attr("type"));
        killAndAssertRemoved(bob, "bob");
    }

    @Test
    void gc10ParticipantIsRemoved() throws Exception {
        observersIn("crash-gc");
        SmackClient bob = stack.login("bob", "crash-gc");
        bob.presence(occupant("bob"));
        bob.await(presenceFrom(occupant("bob")), "its own join presence");
        killAndAssertRemoved(bob, "bob");
    }

    /**
     * After a nick change the sm holds directed presence to both occupant JIDs and sends
     * unavailable to each: the first removes Bob, the second comes from a stranger and is ignored,
     * so the room announces exactly one departure.
     */
    @Test
    void mucParticipantIsRemovedOnceAfterANickChange() throws Exception {
        observersIn("crash-muc");
        SmackClient bob = stack.login("bob", "crash-muc");
        bob.muc(room).join(Resourcepart.from("bob"));
        bob.presence(occupant("robert"));
        bob.await(presenceFrom(occupant("robert")), "its new self-presence");
        carol.await(presenceFrom(occupant("robert")), "bob's new nick");
        killAndAssertRemoved(bob, "robert");
        assertEquals(List.of("available", "unavailable", "available", "unavailable"),
                carol.received(anyPresenceFrom(occupant("bob")).or(anyPresenceFrom(occupant("robert")))).stream()
                        .map(e -> e.attr("type") == null ? "available" : e.attr("type")).toList(),
                "bob arrived, renamed (gone + back), left once");
    }

    private void killAndAssertRemoved(SmackClient bob, String nick) throws Exception {
        String bobHash = hashJid(bob);
        alice.await(userPush(bobHash), "bob's arrival push");
        carol.await(presenceFrom(occupant(nick)), "bob's arrival");
        bob.kill();

        carol.await(unavailableFrom(occupant(nick)), "bob's departure");
        carol.await(groupchat(room, nick + " has left"), "the leave notice");
        assertEquals("none/none", affiliationRole(dave.await(unavailableFrom(occupant(nick)), "bob's departure")));
        Predicate<Element> removal = userPush(bobHash).and(e -> "remove".equals(e.child("user", BROWSE).attr("type")));
        alice.await(removal, "bob's remove push");
        alice.awaitPushesAnswered(); // with errors, the last one being bob's removal
        assertEquals(List.of(hashJid(carol) + " carol", hashJid(dave) + " dave", hashJid(alice) + " alice"),
                browseUsers(alice.iq(IQ.Type.get, room, "query", BROWSE, "")), "bob is gone, alice is still in");

        // Anything still on its way from the removal reaches each observer before this message.
        alice.say(room, "after bob");
        for (SmackClient observer : List.of(alice, carol, dave)) {
            observer.await(Received.groupchatBody("after bob"), "the message after bob's removal");
        }
        assertEquals(1, carol.received(unavailableFrom(occupant(nick))).size(), "one departure");
        assertEquals(1, dave.received(unavailableFrom(occupant(nick))).size(), "one departure");
        assertEquals(1, alice.received(removal).size(), "one remove push");
        assertEquals(0, carol.received(anyPresenceFrom(occupant("alice"))).stream()
                .filter(e -> "unavailable".equals(e.attr("type"))).count(), "alice was never removed");
    }
}
