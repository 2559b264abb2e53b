package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.testkit.Expect.recipients;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HA;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.T0;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.NS_MUC;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.harness;
import static org.palaver.testkit.Scenes.joinLegacy;
import static org.palaver.testkit.Scenes.joinMuc;
import static org.palaver.testkit.Scenes.joinNewStyle;
import static org.palaver.testkit.Scenes.mucUser;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.presence;
import static org.palaver.testkit.Scenes.removePush;
import static org.palaver.testkit.Scenes.unavailable;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * XEP-0045 moderation and configuration (issue 9): exact stanzas for kick, ban, the ban list,
 * voice, roles, the owner's form, destroy; legacy occupants see the spec's leave plus a notice.
 * Dave (MUC) created {@code own@S} and owns it; Carol (plain gc-1.0), Bob (new-style) and Alice
 * (MUC) are in it.
 */
class MucModerationTest {
    static final String OWN = "own@" + S;
    static final String ADMIN = "http://jabber.org/protocol/muc#admin";
    static final String OWNER = "http://jabber.org/protocol/muc#owner";
    static final String NONE = "affiliation='none' role='participant'";

    static Harness room() {
        Harness h = harness();
        joinMuc(h, OWN, D, "dave");
        joinLegacy(h, OWN, C, "carol");
        joinNewStyle(h, OWN, B, "bob", null);
        joinMuc(h, OWN, A, "alice");
        return h;
    }

    static String admin(String from, String id, String items) {
        return "<iq type='set' id='" + id + "' to='" + OWN + "' from='" + from + "'><query xmlns='" + ADMIN + "'>"
                + items + "</query></iq>";
    }

    static String result(String to, String id) {
        return "<iq type='result' id='" + id + "' to='" + to + "' from='" + OWN + "'/>";
    }

    @Test
    void kick() {
        Harness h = room();
        recipients(h.in(admin(D, "k1", "<item nick='alice' role='none'><reason>spam</reason></item>")))
                .to(A, "<presence type='unavailable' to='" + A + "' from='" + OWN + "/alice'><x xmlns='"
                        + Scenes.NS_MUC_USER + "'><item affiliation='none' role='none'><reason>spam</reason></item>"
                        + "<status code='307'/><status code='110'/></x></presence>")
                .to(B, removePush(B, OWN, HA), notice(B, OWN, "alice has been kicked: spam"))
                .to(C, unavailable(C, OWN + "/alice"), notice(C, OWN, "alice has been kicked: spam"))
                .to(D, "<presence type='unavailable' to='" + D + "' from='" + OWN + "/alice'><x xmlns='"
                        + Scenes.NS_MUC_USER + "'><item affiliation='none' role='none' jid='" + A + "'><reason>spam</reason></item>"
                        + "<status code='307'/></x></presence>", result(D, "k1"))
                .andNothingElse();
        assertEquals(1, h.service().count(RoomEvent.KICKED));
        // out: a message is refused; a rejoin is allowed (a kick is no ban)
        assertOut(h.in("<message type='groupchat' to='" + OWN + "' from='" + A + "'><body>x</body></message>"),
                "<message type='error' to='" + A + "' from='" + OWN + "'><body>x</body>" + err(403) + "</message>");
        assertTrue(Harness.to(h.in(join(A, "alice")), A).size() > 1);
    }

    @Test
    void aLegacyOccupantIsKickedWithTheSpecsLeaveAndANotice() {
        Harness h = room();
        recipients(h.in(admin(D, "k2", "<item nick='carol' role='none'/>")))
                .to(C, unavailable(C, OWN + "/carol"), notice(C, OWN, "carol has been kicked"))
                .to(B, removePush(B, OWN, Harness.HC), notice(B, OWN, "carol has been kicked"))
                .to(A, "<presence type='unavailable' to='" + A + "' from='" + OWN + "/carol'>"
                        + mucUser("affiliation='none' role='none'", 307) + "</presence>")
                .to(D, "<presence type='unavailable' to='" + D + "' from='" + OWN + "/carol'>"
                        + mucUser("affiliation='none' role='none' jid='" + C + "'", 307) + "</presence>", result(D, "k2"))
                .andNothingElse();
    }

    static String join(String jid, String nick) {
        return "<presence to='" + OWN + "/" + nick + "' from='" + jid + "'><x xmlns='" + NS_MUC + "'/></presence>";
    }

    @Test
    void banUnbanAndTheBanList() {
        Harness h = room();
        recipients(h.in(admin(D, "b1", "<item jid='alice@example.org' affiliation='outcast'><reason>troll</reason></item>")))
                .to(A, "<presence type='unavailable' to='" + A + "' from='" + OWN + "/alice'><x xmlns='"
                        + Scenes.NS_MUC_USER + "'><item affiliation='outcast' role='none'><reason>troll</reason></item>"
                        + "<status code='301'/><status code='110'/></x></presence>")
                .to(B, removePush(B, OWN, HA), notice(B, OWN, "alice has been banned: troll"))
                .to(C, unavailable(C, OWN + "/alice"), notice(C, OWN, "alice has been banned: troll"))
                .to(D, "<presence type='unavailable' to='" + D + "' from='" + OWN + "/alice'><x xmlns='"
                        + Scenes.NS_MUC_USER + "'><item affiliation='outcast' role='none' jid='" + A + "'><reason>troll</reason></item>"
                        + "<status code='301'/></x></presence>", result(D, "b1"))
                .andNothingElse();
        assertEquals(1, h.service().count(RoomEvent.BANNED));
        // any resource of the bare JID stays out, by either protocol
        String join = join(Harness.A2, "ally");
        assertOut(h.in(join), "<presence type='error' to='" + Harness.A2 + "' from='" + OWN + "/ally'>"
                + "<x xmlns='" + NS_MUC + "'/>" + err(403) + "</presence>");
        String list = "<query xmlns='" + ADMIN + "'><item affiliation='outcast'/></query>";
        assertOut(h.in("<iq type='get' id='l1' to='" + OWN + "' from='" + D + "'>" + list + "</iq>"),
                "<iq type='result' id='l1' to='" + D + "' from='" + OWN + "'><query xmlns='" + ADMIN + "'>"
                        + "<item affiliation='outcast' jid='alice@example.org'><reason>troll</reason></item></query></iq>");
        assertOut(h.in("<iq type='get' id='l2' to='" + OWN + "' from='" + C + "'>" + list + "</iq>"),
                "<iq type='error' id='l2' to='" + C + "' from='" + OWN + "'>" + list + err(403) + "</iq>");
        assertOut(h.in(admin(D, "u1", "<item jid='alice@example.org' affiliation='none'/>")), result(D, "u1"));
        assertTrue(Harness.to(h.in(join), Harness.A2).size() > 1, "unbanned");
    }

    @Test
    void onlyModeratorsKickAndNobodyKicksTheOwner() {
        Harness h = room();
        String kick = "<item nick='carol' role='none'/>";
        assertOut(h.in(admin(A, "x1", kick)), "<iq type='error' id='x1' to='" + A + "' from='" + OWN + "'>"
                + "<query xmlns='" + ADMIN + "'>" + kick + "</query>" + err(403) + "</iq>");
        String ban = "<item jid='carol@example.net' affiliation='outcast'/>";
        assertOut(h.in(admin(A, "x2", ban)), "<iq type='error' id='x2' to='" + A + "' from='" + OWN + "'>"
                + "<query xmlns='" + ADMIN + "'>" + ban + "</query>" + err(403) + "</iq>");
        // Dave makes Alice a moderator; she still cannot kick the owner
        recipients(h.in(admin(D, "g1", "<item nick='alice' role='moderator'/>")))
                .to(A, presence(A, OWN + "/alice", mucUser("affiliation='none' role='moderator' jid='" + A + "'")))
                .to(D, presence(D, OWN + "/alice", mucUser("affiliation='none' role='moderator' jid='" + A + "'")),
                        result(D, "g1"))
                .to(C, presence(C, OWN + "/alice", ""))
                .to(B, presence(B, OWN + "/" + HA, ""))
                .andNothingElse();
        String kickDave = "<item nick='dave' role='none'/>";
        assertOut(h.in(admin(A, "x3", kickDave)), "<iq type='error' id='x3' to='" + A + "' from='" + OWN + "'>"
                + "<query xmlns='" + ADMIN + "'>" + kickDave + "</query>" + err(405) + "</iq>");
        assertEquals(4, h.service().participantCount());
    }

    @Test
    void voiceInAModeratedRoom() {
        Harness h = room();
        submit(h, "<field var='muc#roomconfig_moderatedroom'><value>1</value></field>");
        String msg = "<message type='groupchat' to='" + OWN + "' from='" + A + "'><body>hi</body></message>";
        assertOut(h.in(msg), "<message type='error' to='" + A + "' from='" + OWN + "'><body>hi</body>" + err(403) + "</message>");
        h.given(admin(D, "v1", "<item nick='alice' role='participant'/>"));
        assertEquals(4, h.in(msg).size(), "voiced: broadcast to all four");
    }

    @Test
    void whoMayChangeTheSubject() {
        Harness h = room();
        submit(h, "<field var='muc#roomconfig_changesubject'><value>0</value></field>");
        String subject = "<message type='groupchat' to='" + OWN + "' from='" + A + "'><subject>mine</subject></message>";
        assertOut(h.in(subject), "<message type='error' to='" + A + "' from='" + OWN + "'><subject>mine</subject>"
                + err(403) + "</message>");
        assertEquals(4, h.in(subject.replace(A, D)).size(), "the owner (a moderator) may");
    }

    static void submit(Harness h, String fields) {
        List<Element> out = h.in("<iq type='set' id='c1' to='" + OWN + "' from='" + D + "'><query xmlns='" + OWNER + "'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
                + "http://jabber.org/protocol/muc#roomconfig</value></field>" + fields + "</x></query></iq>");
        assertEquals("result", Harness.to(out, D).get(Harness.to(out, D).size() - 1).attr("type"), out.toString());
    }

    @Test
    void theConfigurationFormRoundTrips() {
        Harness h = room();
        String get = "<iq type='get' id='f1' to='" + OWN + "' from='" + D + "'><query xmlns='" + OWNER + "'/></iq>";
        Element form = h.in(get).get(0).firstElement().child("x", "jabber:x:data");
        assertEquals("form", form.attr("type"));
        submit(h, "<field var='muc#roomconfig_roomname'><value>Den</value></field>"
                + "<field var='muc#roomconfig_roomdesc'><value>Our den</value></field>"
                + "<field var='muc#roomconfig_maxusers'><value>4</value></field>"
                + "<field var='muc#roomconfig_membersonly'><value>1</value></field>"
                + "<field var='muc#roomconfig_passwordprotectedroom'><value>1</value></field>"
                + "<field var='muc#roomconfig_roomsecret'><value>pw</value></field>"
                + "<field var='muc#roomconfig_whois'><value>anyone</value></field>");
        Element again = h.in(get).get(0).firstElement().child("x", "jabber:x:data");
        assertEquals("Den", value(again, "roomname"));
        assertEquals("Our den", value(again, "roomdesc"));
        assertEquals("4", value(again, "maxusers"));
        assertEquals("1", value(again, "membersonly"));
        assertEquals("pw", value(again, "roomsecret"));
        assertEquals("anyone", value(again, "whois"));
        // members-only: a stranger gets 407
        String erin = "<presence to='" + OWN + "/erin' from='" + Scenes.E + "'><x xmlns='" + NS_MUC
                + "'><password>pw</password></x></presence>";
        assertOut(h.in(erin), "<presence type='error' to='" + Scenes.E + "' from='" + OWN + "/erin'><x xmlns='" + NS_MUC
                + "'><password>pw</password></x><error code='407' type='auth'><registration-required xmlns='"
                + Scenes.NS_STANZAS + "'/></error></presence>");
        // a bad value changes nothing
        List<Element> bad = h.in("<iq type='set' id='c2' to='" + OWN + "' from='" + D + "'><query xmlns='" + OWNER + "'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_maxusers'><value>lots</value>"
                + "</field><field var='muc#roomconfig_roomname'><value>X</value></field></x></query></iq>");
        assertEquals("error", bad.get(0).attr("type"));
        assertEquals("Den", value(h.in(get).get(0).firstElement().child("x", "jabber:x:data"), "roomname"));
        // non-owners may not read it
        assertEquals("error", h.in(get.replace(D, A)).get(0).attr("type"));
    }

    static String value(Element form, String var) {
        for (Element f : form.elements()) {
            if (("muc#roomconfig_" + var).equals(f.attr("var"))) {
                return f.childText("value");
            }
        }
        return null;
    }

    @Test
    void destroy() {
        Harness h = room();
        String destroy = "<iq type='set' id='d1' to='" + OWN + "' from='" + D + "'><query xmlns='" + OWNER + "'>"
                + "<destroy jid='new@" + S + "'><reason>moved</reason></destroy></query></iq>";
        String mucGone = "<x xmlns='" + Scenes.NS_MUC_USER + "'><item affiliation='none' role='none'/>"
                + "<status code='110'/><destroy jid='new@" + S + "'><reason>moved</reason></destroy></x>";
        String text = "The room has been destroyed: moved (now at new@" + S + ")";
        recipients(h.in(destroy))
                .to(D, "<presence type='unavailable' to='" + D + "' from='" + OWN + "/dave'>" + mucGone + "</presence>",
                        result(D, "d1"))
                .to(A, "<presence type='unavailable' to='" + A + "' from='" + OWN + "/alice'>" + mucGone + "</presence>")
                .to(C, unavailable(C, OWN + "/carol"), notice(C, OWN, text))
                .to(B, removePush(B, OWN, Harness.HB), notice(B, OWN, text))
                .andNothingElse();
        assertEquals(0, h.service().participantCount());
        assertEquals(false, h.service().holds(Jid.parse(OWN)));
        String get = "<iq type='get' id='g' to='" + OWN + "' from='" + D + "'><query xmlns='jabber:iq:conference'/></iq>";
        assertOut(h.in(get), "<iq type='error' id='g' to='" + D + "' from='" + OWN + "'>"
                + "<query xmlns='jabber:iq:conference'/>" + err(404) + "</iq>");
    }

    @Test
    void predefinedRoomsAreNotDestroyed() {
        Harness h = harness();
        joinMuc(h, Harness.R, D, "dave");
        // nobody owns a predefined room (§5.2): forbidden before anything else
        assertEquals("error", h.in("<iq type='set' id='d' to='" + Harness.R + "' from='" + D + "'><query xmlns='"
                + OWNER + "'><destroy/></query></iq>").get(0).attr("type"));
        assertEquals(1, h.service().participantCount());
    }

    @Test
    void moderationIsRoomStateAndMovesWithTheRoom() {
        Harness h = room();
        h.given(admin(D, "b", "<item jid='alice@example.org' affiliation='outcast'><reason>troll</reason></item>"));
        h.given(admin(D, "g", "<item nick='bob' role='moderator'/>"));
        submit(h, "<field var='muc#roomconfig_moderatedroom'><value>1</value></field>"
                + "<field var='muc#roomconfig_roomdesc'><value>d</value></field>");
        byte[] bytes = h.service().exportRoom(Jid.parse(OWN)).bytes();
        Harness moved = new Harness(new ConferenceService(Scenes.settings(), T0), h.now());
        moved.service().importRoom(RoomState.decode(bytes), h.now());
        assertEquals("error", moved.in(join(Harness.A2, "ally")).get(0).attr("type"), "still banned");
        String list = "<iq type='get' id='l' to='" + OWN + "' from='" + B + "'><query xmlns='" + ADMIN
                + "'><item role='moderator'/></query></iq>";
        assertEquals(2, moved.in(list).get(0).firstElement().elements().size(), "dave and bob are moderators");
        String talk = "<message type='groupchat' to='" + OWN + "' from='" + C + "'><body>hi</body></message>";
        assertEquals("error", moved.in(talk).get(0).attr("type"), "still moderated: Carol has no voice");
    }
}
