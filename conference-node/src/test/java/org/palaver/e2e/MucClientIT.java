package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.affiliationRole;
import static org.palaver.e2e.Received.groupchat;
import static org.palaver.e2e.Received.groupchatBody;
import static org.palaver.e2e.Received.indexOf;
import static org.palaver.e2e.Received.mucItem;
import static org.palaver.e2e.Received.presenceFrom;
import static org.palaver.e2e.Received.statusCodes;
import static org.palaver.e2e.Received.unavailableFrom;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.ParticipantStatusListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.parts.Resourcepart;
import org.palaver.testkit.Await;
import org.palaver.xml.Element;

/**
 * A modern XEP-0045 client (Smack's {@link MultiUserChat}) through jabberd2's c2s and router
 * (spec §13.2): Dave joins, chats, changes nick and leaves; Alice (also Smack MUC, the room's
 * creator) and Carol (plain gc-1.0) watch, and Smack's own MUC state (occupants, participant
 * events, subject, join and leave completion) follows every step.
 */
class MucClientIT {
    private static final String ROOM = "muc@" + ConferenceStack.SERVICE;
    @RegisterExtension
    static final ConferenceStack stack = new ConferenceStack();

    private SmackClient alice;
    private MultiUserChat aliceMuc;
    private final List<String> aliceSaw = new CopyOnWriteArrayList<>();
    private final List<Message> aliceMessages = new CopyOnWriteArrayList<>();
    private SmackClient carol;
    private SmackClient dave;
    private MultiUserChat daveMuc;

    private static String occupant(String nick) {
        return ROOM + "/" + nick;
    }

    @Test
    void joinChatChangeNickAndLeave() throws Exception {
        aliceCreatesTheRoomWithATopicAndCarolJoins();
        daveJoins();
        daveAndAliceChat();
        daveBecomesDavid();
        davidLeavesThenAlice();
    }

    /**
     * A nick in use: the 409 comes back as an error presence from the requested occupant JID with
     * the join's id, which is what Smack's join() waits for, and it raises the condition.
     */
    @Test
    void joiningWithANickInUseIsAConflict() throws Exception {
        String room = "taken@" + ConferenceStack.SERVICE;
        SmackClient bob = stack.login("bob", "taken");
        bob.presence(room + "/bob");
        bob.await(presenceFrom(room + "/bob"), "its own join presence");
        MultiUserChat daveMuc = stack.login("dave", "taken").muc(room);
        XMPPErrorException e = assertThrows(XMPPErrorException.class, () -> daveMuc.join(Resourcepart.from("bob")));
        assertEquals(StanzaError.Condition.conflict, e.getStanzaError().getCondition(), e.toString());
        assertFalse(daveMuc.isJoined());
        daveMuc.join(Resourcepart.from("dave")); // the room still lets dave in under a free nick
        bob.await(presenceFrom(room + "/dave"), "dave's arrival");
    }

    private void aliceCreatesTheRoomWithATopicAndCarolJoins() throws Exception {
        alice = stack.login("alice", "muc");
        aliceMuc = alice.muc(ROOM);
        aliceMuc.join(Resourcepart.from("alice")); // creates the room: alice is its owner
        aliceMuc.changeSubject("Spring cleaning"); // returns once the subject change is echoed
        aliceMuc.addParticipantStatusListener(new ParticipantStatusListener() {
            @Override
            public void joined(EntityFullJid participant) {
                aliceSaw.add("joined " + participant);
            }

            @Override
            public void nicknameChanged(EntityFullJid participant, Resourcepart newNickname) {
                aliceSaw.add("nick " + participant + " -> " + newNickname);
            }

            @Override
            public void left(EntityFullJid participant) {
                aliceSaw.add("left " + participant);
            }
        });
        aliceMuc.addMessageListener(aliceMessages::add);

        carol = stack.login("carol", "gc");
        carol.presence(occupant("carol"));
        carol.await(presenceFrom(occupant("carol")), "its own gc-1.0 join presence");
    }

    /** Smack's join() returns once the self-presence (status 110) arrived; the subject follows. */
    private void daveJoins() throws Exception {
        dave = stack.login("dave", "muc");
        daveMuc = dave.muc(ROOM);
        daveMuc.join(Resourcepart.from("dave"));
        // join() returns on the self-presence; Smack fills its occupant map on another thread
        awaitOccupants(daveMuc, occupant("alice"), occupant("carol"), occupant("dave"));
        Element subject = dave.await(e -> e.name().equals("message") && ROOM.equals(e.attr("from"))
                && e.child("subject") != null, "the subject message that completes a MUC join");
        Await.until(ConferenceStack.WAIT, () -> "Spring cleaning".equals(daveMuc.getSubject()),
                () -> "Smack's MultiUserChat took the subject: " + daveMuc.getSubject());
        assertEquals("Spring cleaning", subject.childText("subject"));
        assertNull(subject.child("body"), "the join-completing subject has no body");

        List<Element> joined = dave.received();
        int ownerAt = indexOf(joined, presenceFrom(occupant("alice")));
        int carolAt = indexOf(joined, presenceFrom(occupant("carol")));
        int selfAt = indexOf(joined, presenceFrom(occupant("dave")));
        assertTrue(ownerAt >= 0 && carolAt >= 0 && selfAt > ownerAt && selfAt > carolAt
                        && joined.indexOf(subject) > selfAt, "occupants, then self-presence, then subject: " + joined);
        assertEquals("owner/moderator", affiliationRole(joined.get(ownerAt)));
        assertEquals("none/participant", affiliationRole(joined.get(carolAt)));
        assertEquals("none/participant", affiliationRole(joined.get(selfAt)));
        assertNull(mucItem(joined.get(selfAt)).attr("jid"), "semi-anonymous: no real JID");
        assertEquals(Set.of("110"), statusCodes(joined.get(selfAt)));
        assertEquals(Set.of(), statusCodes(joined.get(ownerAt)));

        Element seenByAlice = alice.await(presenceFrom(occupant("dave")), "dave's arrival");
        assertEquals("none/participant", affiliationRole(seenByAlice));
        assertEquals(Set.of(), statusCodes(seenByAlice), "110 only on one's own presence");
        assertEquals(dave.jid().toString(), mucItem(seenByAlice).attr("jid"),
                "the owner, a moderator, sees real JIDs in a semi-anonymous room (decision 53)");
        Element seenByCarol = carol.await(presenceFrom(occupant("dave")), "dave's arrival");
        assertNull(seenByCarol.child("x", Received.MUC_USER), "no muc#user for a gc-1.0 client");
        carol.await(groupchat(ROOM, "dave has become available"), "the join notice");
    }

    private void daveAndAliceChat() throws Exception {
        daveMuc.sendMessage("hello from dave");
        aliceMuc.sendMessage("welcome dave");
        dave.await(groupchat(occupant("dave"), "hello from dave"), "its own message echoed");
        dave.await(groupchat(occupant("alice"), "welcome dave"), "alice's message");
        carol.await(groupchat(occupant("dave"), "hello from dave"), "dave's message");
        Await.until(ConferenceStack.WAIT, () -> aliceMessages.stream()
                        .anyMatch(m -> "hello from dave".equals(m.getBody()) && m.getFrom().toString().equals(occupant("dave"))),
                () -> "alice's MultiUserChat got dave's message from " + occupant("dave") + ": " + aliceMessages);
        // the join notice would have come before these messages
        assertTrue(dave.received(groupchatBody("dave has become available")).isEmpty(), "no notices to MUC clients");
    }

    /**
     * On the wire this is what Smack's changeNickname() sends: a plain presence to the new occupant
     * JID. That method itself cannot be used: Smack 4.4.8 holds the room's monitor while it waits,
     * and its reader thread blocks on the same monitor (userHasLeft()) when the self-presence with
     * status codes for the old nick arrives, so it always times out.
     */
    private void daveBecomesDavid() throws Exception {
        dave.presence(occupant("david"));
        Element ownGone = dave.await(unavailableFrom(occupant("dave")), "the unavailable half of its nick change");
        assertEquals(Set.of("303", "110"), statusCodes(ownGone));
        assertEquals("david", mucItem(ownGone).attr("nick"));
        Element ownBack = dave.await(presenceFrom(occupant("david")), "its new self-presence");
        assertEquals(Set.of("110"), statusCodes(ownBack));
        assertTrue(dave.received().indexOf(ownGone) < dave.received().indexOf(ownBack), "unavailable first");

        Element gone = alice.await(unavailableFrom(occupant("dave")), "dave's nick change");
        assertEquals(Set.of("303"), statusCodes(gone));
        assertEquals("david", mucItem(gone).attr("nick"));
        Element back = alice.await(presenceFrom(occupant("david")), "david's presence");
        assertTrue(alice.received().indexOf(gone) < alice.received().indexOf(back), "unavailable first");
        assertEquals("none/participant", affiliationRole(back));
        assertEquals(Set.of(), statusCodes(back));
        Await.until(ConferenceStack.WAIT, () -> aliceSaw.contains("nick " + occupant("dave") + " -> david"),
                () -> "alice's MultiUserChat saw the nick change: " + aliceSaw);
        awaitOccupants(aliceMuc, occupant("alice"), occupant("carol"), occupant("david"));

        carol.await(unavailableFrom(occupant("dave")), "dave's old nick leaving");
        assertNull(carol.await(presenceFrom(occupant("david")), "david arriving").child("x", Received.MUC_USER));
        carol.await(groupchat(ROOM, "dave is now known as david"), "the rename notice");

        dave.say(ROOM, "hello again");
        dave.await(groupchat(occupant("david"), "hello again"), "its message echoed from the new nick");
        alice.await(groupchat(occupant("david"), "hello again"), "a message from the new nick");
        carol.await(groupchat(occupant("david"), "hello again"), "a message from the new nick");
    }

    /** David leaves as a MUC client does (unavailable to its occupant JID); Alice with Smack's leave(). */
    private void davidLeavesThenAlice() throws Exception {
        dave.unavailable(occupant("david"));
        Element ownLeave = dave.await(unavailableFrom(occupant("david")), "its own leave");
        assertEquals(Set.of("110"), statusCodes(ownLeave));
        assertEquals("none/none", affiliationRole(ownLeave));
        Element left = alice.await(unavailableFrom(occupant("david")), "david leaving");
        assertEquals("none/none", affiliationRole(left));
        assertEquals(Set.of(), statusCodes(left));
        Await.until(ConferenceStack.WAIT, () -> aliceSaw.contains("left " + occupant("david")),
                () -> "alice's MultiUserChat saw david leave: " + aliceSaw);
        awaitOccupants(aliceMuc, occupant("alice"), occupant("carol"));
        // Smack reports the new nick's presence as a join too (its rule, with any service)
        assertEquals(List.of("joined " + occupant("carol"), "joined " + occupant("dave"),
                "nick " + occupant("dave") + " -> david", "joined " + occupant("david"), "left " + occupant("david")),
                aliceSaw);
        carol.await(unavailableFrom(occupant("david")), "david leaving");
        carol.await(groupchat(ROOM, "david has left"), "the leave notice");

        aliceMuc.leave(); // returns only on the unavailable self-presence with status 110
        assertFalse(aliceMuc.isJoined());
        assertNull(carol.await(unavailableFrom(occupant("alice")), "alice leaving").child("x", Received.MUC_USER));
    }

    /** Smack's occupant map is updated by its presence listener, asynchronously to our awaits. */
    private static void awaitOccupants(MultiUserChat muc, String... expected) {
        Set<String> want = Set.of(expected);
        Await.until(ConferenceStack.WAIT, () -> want.equals(jids(muc.getOccupants())),
                () -> "occupants " + want + " but Smack's MultiUserChat has " + jids(muc.getOccupants()));
    }

    private static Set<String> jids(List<EntityFullJid> occupants) {
        return Set.copyOf(occupants.stream().map(Object::toString).toList());
    }
}
