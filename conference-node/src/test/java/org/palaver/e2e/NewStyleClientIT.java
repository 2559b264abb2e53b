package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.affiliationRole;
import static org.palaver.e2e.Received.anyPresenceFrom;
import static org.palaver.e2e.Received.browseUsers;
import static org.palaver.e2e.Received.groupchat;
import static org.palaver.e2e.Received.presenceFrom;
import static org.palaver.e2e.Received.push;
import static org.palaver.e2e.Received.unavailableFrom;
import static org.palaver.e2e.Received.userPush;
import static org.palaver.e2e.SmackClient.BROWSE;
import static org.palaver.e2e.SmackClient.CONFERENCE;

import java.util.List;
import java.util.Set;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.parts.Resourcepart;
import org.palaver.xml.Element;

/**
 * The original protocol end to end (spec §6, §7, §9.5): Alice enters with presence to the bare
 * room, a {@code jabber:iq:conference} set and a {@code jabber:iq:browse} get, in the same room as
 * Carol (gc-1.0) and Dave (Smack MUC). Alice knows everyone by hash id, they know her by nick.
 * Alice, like any modern client, answers the browse pushes with errors, and stays in (DEV-17).
 */
class NewStyleClientIT {
    private static final String ROOM = "ns@" + ConferenceStack.SERVICE;
    @RegisterExtension
    static final ConferenceStack stack = new ConferenceStack();

    private static String occupant(String nick) {
        return ROOM + "/" + nick;
    }

    /** The occupant's hash id JID, computed by the test from the full JID its server bound (spec §1.4). */
    private static String hashJid(SmackClient c) {
        return ROOM + "/" + c.hash();
    }

    @Test
    void newStyleEntryAmongLegacyAndMucClients() throws Exception {
        SmackClient carol = stack.login("carol", "gc");
        carol.presence(occupant("carol"));
        carol.await(presenceFrom(occupant("carol")), "its own join presence");
        SmackClient dave = stack.login("dave", "muc");
        MultiUserChat daveMuc = dave.muc(ROOM);
        daveMuc.join(Resourcepart.from("dave"));
        carol.say(ROOM, "before alice");
        carol.await(groupchat(occupant("carol"), "before alice"), "its message echoed");

        SmackClient alice = stack.login("alice", "new");
        alice.presence(ROOM);
        Element requirements = alice.iq(IQ.Type.get, ROOM, "query", CONFERENCE, "").child("query", CONFERENCE);
        assertEquals("", requirements.childText("nick"), "an empty <nick/>: pick one " + requirements);
        assertNull(requirements.child("secret"), "no secret asked: " + requirements);

        Element result = alice.iq(IQ.Type.set, ROOM, "query", CONFERENCE, "<nick>alice</nick>");
        assertEquals("result", result.attr("type"), result.toString());
        Element identity = result.child("query", CONFERENCE);
        assertEquals("alice", identity.childText("nick"));
        assertEquals(hashJid(alice), identity.childText("id"), "id = room / SHA-1 hex of the full JID " + alice.jid());

        Element initial = alice.await(push("conference"), "the initial browse push");
        assertEquals(ROOM, initial.attr("from"));
        assertNotNull(initial.attr("id"), "pushes carry an id (DEV-11)");
        assertEquals(Set.of(hashJid(carol) + " carol", hashJid(dave) + " dave"), Set.copyOf(browseUsers(initial)));
        Element carolsPresence = alice.await(presenceFrom(hashJid(carol)), "carol's presence by hash id (DEV-5)");
        alice.await(presenceFrom(hashJid(dave)), "dave's presence by hash id (DEV-5)");
        Element self = alice.await(userPush(hashJid(alice)), "the push announcing itself");
        assertEquals("alice", self.child("user", BROWSE).attr("name"));
        Element history = alice.await(groupchat(hashJid(carol), "before alice"), "history by hash id");
        assertTrue(alice.received().indexOf(carolsPresence) < alice.received().indexOf(history), "presences, then history");

        assertEquals(List.of(hashJid(carol) + " carol", hashJid(dave) + " dave", hashJid(alice) + " alice"),
                browseUsers(alice.iq(IQ.Type.get, ROOM, "query", BROWSE, "")));
        Element carolsCard = alice.iq(IQ.Type.get, hashJid(carol), "query", BROWSE, "").child("user", BROWSE);
        assertEquals("carol", carolsCard.attr("name"));
        assertEquals(carol.jid().toString(), carolsCard.child("user").attr("jid"), "the real JID behind the hash id");

        Element aliceSeenByCarol = carol.await(presenceFrom(occupant("alice")), "alice's arrival by nick");
        assertTrue(aliceSeenByCarol.elements().isEmpty(), aliceSeenByCarol.toString());
        assertEquals("none/participant", affiliationRole(dave.await(presenceFrom(occupant("alice")), "alice's arrival")));

        // Everyone's traffic, each recipient addressed in its own style.
        carol.say(ROOM, "from carol");
        daveMuc.sendMessage("from dave");
        alice.say(ROOM, "from alice");
        alice.await(groupchat(hashJid(carol), "from carol"), "carol's message by hash id");
        alice.await(groupchat(hashJid(dave), "from dave"), "dave's message by hash id");
        alice.await(groupchat(hashJid(alice), "from alice"), "its own message echoed by hash id");
        carol.await(groupchat(occupant("alice"), "from alice"), "alice's message by nick");
        dave.await(groupchat(occupant("alice"), "from alice"), "alice's message by nick");

        pushErrorsDoNotRemoveTheParticipant(alice, carol);
        theOthersLeave(alice, carol, dave, daveMuc);
    }

    /**
     * DEV-17: Alice's client answered both pushes with {@code feature-not-implemented}. Once those
     * answers are on the wire, anything she sends next reaches the room after them: she is still
     * listed, still gets and sends messages, and Carol saw no departure.
     */
    private static void pushErrorsDoNotRemoveTheParticipant(SmackClient alice, SmackClient carol) throws Exception {
        alice.awaitPushesAnswered();
        assertEquals(2, alice.rejectedPushes().size(), "the initial list and her own arrival");
        assertTrue(browseUsers(alice.iq(IQ.Type.get, ROOM, "query", BROWSE, "")).contains(hashJid(alice) + " alice"));
        alice.say(ROOM, "still here");
        carol.await(groupchat(occupant("alice"), "still here"), "alice's later message");
        assertEquals(1, carol.received(anyPresenceFrom(occupant("alice"))).size(), "only alice's arrival: "
                + carol.received(anyPresenceFrom(occupant("alice"))));
    }

    /** Dave leaves with Smack's leave(): Alice gets a remove push; then Alice leaves with unavailable to the bare room. */
    private static void theOthersLeave(SmackClient alice, SmackClient carol, SmackClient dave, MultiUserChat daveMuc)
            throws Exception {
        daveMuc.leave();
        Element removed = alice.await(userPush(hashJid(dave)).and(e -> "remove".equals(e.child("user", BROWSE).attr("type"))),
                "dave's remove push");
        assertNull(removed.child("user", BROWSE).attr("name"), "a remove push has no name");
        carol.await(unavailableFrom(occupant("dave")), "dave leaving");
        assertEquals(List.of(hashJid(carol) + " carol", hashJid(alice) + " alice"),
                browseUsers(alice.iq(IQ.Type.get, ROOM, "query", BROWSE, "")));

        alice.unavailable(ROOM);
        alice.await(userPush(hashJid(alice)).and(e -> "remove".equals(e.child("user", BROWSE).attr("type"))),
                "its own remove push");
        carol.await(unavailableFrom(occupant("alice")), "alice leaving");
        carol.await(groupchat(ROOM, "alice has left"), "the leave notice");
    }
}
