package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.groupchat;
import static org.palaver.e2e.Received.presenceFrom;
import static org.palaver.e2e.Received.statusCodes;
import static org.palaver.e2e.Received.unavailableFrom;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.muc.Affiliate;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.RoomInfo;
import org.jivesoftware.smackx.muc.UserStatusListener;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jivesoftware.smackx.xdata.form.Form;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.palaver.testkit.Await;
import org.palaver.xml.Element;

/**
 * Issue 9 with Smack's {@link MultiUserChat} through jabberd2: Dave joins a room with a subject
 * and history (history first, the subject once), the owner's configuration form round trip, kick,
 * ban (Dave stays out, the ban list names him), destroy; Carol (plain gc-1.0) sees each removal
 * as a leave with a notice. And every field of the owner's form, set through Smack, read back and
 * seen at work (decisions 48, 51, 52, 53).
 */
class MucModerationIT {
    private static final String ROOM = "mod@" + ConferenceStack.SERVICE;
    @RegisterExtension
    static final ConferenceStack stack = new ConferenceStack();

    private static String occupant(String nick) {
        return ROOM + "/" + nick;
    }

    @Test
    void joinWithHistoryConfigureKickBanDestroy() throws Exception {
        SmackClient alice = stack.login("alice", "mod");
        MultiUserChat aliceMuc = alice.muc(ROOM);
        aliceMuc.join(Resourcepart.from("alice")); // creates the room: alice owns it
        aliceMuc.changeSubject("Moderation");
        aliceMuc.sendMessage("first");
        aliceMuc.sendMessage("second");
        alice.await(groupchat(occupant("alice"), "second"), "its own message echoed");

        SmackClient carol = stack.login("carol", "gc");
        carol.presence(occupant("carol"));
        carol.await(presenceFrom(occupant("carol")), "its own gc-1.0 join presence");

        // join with a history request: the newest message only, then the subject exactly once
        SmackClient dave = stack.login("dave", "mod");
        MultiUserChat daveMuc = dave.muc(ROOM);
        List<String> daveEvents = new CopyOnWriteArrayList<>();
        daveMuc.addUserStatusListener(new UserStatusListener() {
            @Override
            public void kicked(Jid actor, String reason) {
                daveEvents.add("kicked " + reason);
            }

            @Override
            public void banned(Jid actor, String reason) {
                daveEvents.add("banned " + reason);
            }
        });
        daveMuc.join(daveMuc.getEnterConfigurationBuilder(Resourcepart.from("dave")).requestMaxStanzasHistory(1).build());
        Element subject = dave.await(e -> e.name().equals("message") && ROOM.equals(e.attr("from"))
                && e.child("subject") != null, "the subject message that completes the join");
        assertEquals("Moderation", subject.childText("subject"));
        List<Element> messages = dave.received(e -> e.name().equals("message"));
        assertEquals(2, messages.size(), "one history message and the subject: " + messages);
        assertEquals("second", messages.get(0).childText("body"));
        assertTrue(messages.get(0).child("delay", "urn:xmpp:delay") != null, "a delay stamp");
        Await.until(ConferenceStack.WAIT, () -> "Moderation".equals(daveMuc.getSubject()),
                () -> "Smack took the subject: " + daveMuc.getSubject());

        // the configuration form round trip
        Form form = aliceMuc.getConfigurationForm();
        FillableForm answer = form.getFillableForm();
        answer.setAnswer("muc#roomconfig_roomname", "The Moderated Room");
        answer.setAnswer("muc#roomconfig_roomdesc", "where spam is kicked");
        answer.setAnswer("muc#roomconfig_changesubject", false);
        aliceMuc.sendConfigurationForm(answer);
        Form again = aliceMuc.getConfigurationForm();
        assertEquals("The Moderated Room", again.getField("muc#roomconfig_roomname").getFirstValue());
        assertEquals("where spam is kicked", again.getField("muc#roomconfig_roomdesc").getFirstValue());
        assertTrue(java.util.Set.of("0", "false").contains(again.getField("muc#roomconfig_changesubject").getFirstValue()),
                again.getField("muc#roomconfig_changesubject").getFirstValue());
        dave.topic(ROOM, "mine"); // Smack's changeSubject() waits for an echo and misses the error
        Element noSubject = dave.await(e -> e.name().equals("message") && "error".equals(e.attr("type"))
                && e.child("subject") != null, "the refused subject change");
        assertTrue(noSubject.child("error").child("forbidden") != null, noSubject.toString());

        // kick
        aliceMuc.kickParticipant(Resourcepart.from("dave"), "too loud");
        Element kicked = dave.await(unavailableFrom(occupant("dave")), "its removal");
        assertEquals(java.util.Set.of("307", "110"), statusCodes(kicked));
        Await.until(ConferenceStack.WAIT, () -> daveEvents.contains("kicked too loud"), () -> "Smack saw " + daveEvents);
        assertFalse(daveMuc.isJoined());
        Element seenByCarol = carol.await(unavailableFrom(occupant("dave")), "dave leaving");
        assertNull(seenByCarol.child("x", Received.MUC_USER));
        carol.await(groupchat(ROOM, "dave has been kicked: too loud"), "the kick notice");

        // ban: dave rejoins, is banned, stays out, and is on the ban list
        daveMuc.join(Resourcepart.from("dave"));
        Jid daveBare = JidCreate.bareFrom(dave.jid());
        aliceMuc.banUser(daveBare, "spam");
        Await.until(ConferenceStack.WAIT, () -> daveEvents.contains("banned spam"), () -> "Smack saw " + daveEvents);
        carol.await(groupchat(ROOM, "dave has been banned: spam"), "the ban notice");
        List<Affiliate> outcasts = aliceMuc.getOutcasts();
        assertEquals(1, outcasts.size());
        assertEquals(daveBare, outcasts.get(0).getJid());
        XMPPErrorException refused = assertThrows(XMPPErrorException.class, () -> daveMuc.join(Resourcepart.from("dave")));
        assertEquals(StanzaError.Condition.forbidden, refused.getStanzaError().getCondition());

        // destroy, with a reason and an alternate venue
        aliceMuc.destroy("closing", JidCreate.entityBareFrom("elsewhere@" + ConferenceStack.SERVICE));
        carol.await(unavailableFrom(occupant("carol")), "its removal");
        carol.await(groupchat(ROOM, "The room has been destroyed: closing (now at elsewhere@"
                + ConferenceStack.SERVICE + ")"), "the destroy notice");
        Element aliceGone = alice.await(e -> unavailableFrom(occupant("alice")).test(e)
                && e.child("x", Received.MUC_USER) != null
                && e.child("x", Received.MUC_USER).child("destroy") != null, "its removal with <destroy/>");
        assertEquals("elsewhere@" + ConferenceStack.SERVICE,
                aliceGone.child("x", Received.MUC_USER).child("destroy").attr("jid"));
    }

    @Test
    void theConfigurationFormSetsEveryField() throws Exception {
        String room = "every@" + ConferenceStack.SERVICE;
        SmackClient erin = stack.login("bob", "owner");
        MultiUserChat owned = erin.muc(room);
        owned.join(Resourcepart.from("erin"));
        FillableForm answer = owned.getConfigurationForm().getFillableForm();
        answer.setAnswer("muc#roomconfig_roomname", "Every Field");
        answer.setAnswer("muc#roomconfig_roomdesc", "all of them");
        answer.setAnswer("muc#roomconfig_changesubject", false);
        answer.setAnswer("muc#roomconfig_maxusers", "3");
        answer.setAnswer("muc#roomconfig_publicroom", false);
        answer.setAnswer("muc#roomconfig_moderatedroom", true);
        answer.setAnswer("muc#roomconfig_membersonly", true);
        answer.setAnswer("muc#roomconfig_passwordprotectedroom", true);
        answer.setAnswer("muc#roomconfig_roomsecret", "s3cret");
        answer.setAnswer("muc#roomconfig_whois", "anyone");
        owned.sendConfigurationForm(answer);

        Form again = owned.getConfigurationForm();
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("roomname", "Every Field");
        expected.put("roomdesc", "all of them");
        expected.put("changesubject", "0");
        expected.put("maxusers", "3");
        expected.put("publicroom", "0");
        expected.put("moderatedroom", "1");
        expected.put("membersonly", "1");
        expected.put("passwordprotectedroom", "1");
        expected.put("roomsecret", "s3cret");
        expected.put("whois", "anyone");
        for (java.util.Map.Entry<String, String> e : expected.entrySet()) {
            String value = again.getField("muc#roomconfig_" + e.getKey()).getFirstValue();
            assertEquals(e.getValue(), value.equals("true") ? "1" : value.equals("false") ? "0" : value, e.getKey());
        }

        // at work: room info, not listed, members only with a password, real JIDs for everyone
        SmackClient frank = stack.login("carol", "member");
        RoomInfo info = frank.mucs().getRoomInfo(JidCreate.entityBareFrom(room));
        assertEquals("Every Field", info.getName());
        assertTrue(info.isMembersOnly() && info.isModerated() && info.isPasswordProtected() && info.isNonanonymous(),
                "room info features");
        assertFalse(frank.mucs().getRoomsHostedBy(JidCreate.domainBareFrom(ConferenceStack.SERVICE))
                .containsKey(JidCreate.entityBareFrom(room)), "a hidden room is not listed");
        MultiUserChat frankMuc = frank.muc(room);
        XMPPErrorException notAMember = assertThrows(XMPPErrorException.class, () -> frankMuc.join(
                frankMuc.getEnterConfigurationBuilder(Resourcepart.from("frank")).withPassword("s3cret").build()));
        assertEquals(StanzaError.Condition.registration_required, notAMember.getStanzaError().getCondition());
        owned.grantMembership(JidCreate.bareFrom(frank.jid()));
        frankMuc.join(frankMuc.getEnterConfigurationBuilder(Resourcepart.from("frank")).withPassword("s3cret").build());
        Element self = frank.await(e -> presenceFrom(room + "/frank").test(e) && statusCodes(e).contains("110"),
                "its own presence");
        assertEquals(java.util.Set.of("100", "110"), statusCodes(self), "non-anonymous: status 100");
        assertEquals(erin.jid(), frankMuc.getOccupant(JidCreate.entityFullFrom(room + "/erin")).getJid(),
                "everybody sees real JIDs");
    }
}
