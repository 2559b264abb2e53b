package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.core.MucModerationTest.OWN;
import static org.palaver.core.MucModerationTest.admin;
import static org.palaver.core.MucModerationTest.join;
import static org.palaver.core.MucModerationTest.result;
import static org.palaver.core.MucModerationTest.room;
import static org.palaver.testkit.Expect.recipients;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HA;
import static org.palaver.testkit.Harness.HB;
import static org.palaver.testkit.Harness.HC;
import static org.palaver.testkit.Harness.HD;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.T0;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.HELP;
import static org.palaver.testkit.Scenes.HELP_NAME;
import static org.palaver.testkit.Scenes.LOUNGE;
import static org.palaver.testkit.Scenes.NS_MUC_USER;
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
 * The owner's form beyond moderation (issue 9), with exact stanzas: hidden rooms (scenario 90,
 * decision 51), members-only removing non-members (scenarios 91 and 92, decision 52), who sees real
 * JIDs (scenarios 93 and 94, decision 53). The room is {@link MucModerationTest#room()}: Dave (MUC)
 * owns {@code own@S}; Carol (plain gc-1.0), Bob (new-style) and Alice (MUC) are in it.
 */
class MucRoomConfigTest {
    private static final String OWNER = MucModerationTest.OWNER;
    private static final String ITEMS = "http://jabber.org/protocol/disco#items";

    private static String form(String fields) {
        return "<iq type='set' id='c1' to='" + OWN + "' from='" + D + "'><query xmlns='" + OWNER + "'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
                + "http://jabber.org/protocol/muc#roomconfig</value></field>" + fields + "</x></query></iq>";
    }

    private static String field(String var, String value) {
        return "<field var='muc#roomconfig_" + var + "'><value>" + value + "</value></field>";
    }

    private static String configChanged(String to, int code) {
        return "<message type='groupchat' to='" + to + "' from='" + OWN + "'><x xmlns='" + NS_MUC_USER + "'>"
                + "<status code='" + code + "'/></x></message>";
    }

    private static String item(String affiliationRole, String jid) {
        return affiliationRole + " jid='" + jid + "'";
    }

    // ---- scenario 90: hidden rooms -----------------------------------------------------------

    private static String discoItems(String from) {
        return "<iq type='get' id='i1' to='" + S + "' from='" + from + "'><query xmlns='" + ITEMS + "'/></iq>";
    }

    private static String browse(String from) {
        return "<iq type='get' id='b1' to='" + S + "' from='" + from + "'><query xmlns='jabber:iq:browse'/></iq>";
    }

    private static final String PREDEFINED_ITEMS = "<item jid='lounge@" + S + "' name='" + LOUNGE + "'/>"
            + "<item jid='" + HELP + "' name='" + HELP_NAME + "'/>";
    private static final String PREDEFINED_BROWSE = "<conference type='public' jid='lounge@" + S + "' name='" + LOUNGE
            + " (0)'/><conference type='public' jid='" + HELP + "' name='" + HELP_NAME + " (0)'/>";

    @Test
    void s90_aHiddenRoomIsListedToNobodyUntilItIsPublicAgain() {
        Harness h = room();
        assertOut(h.in(discoItems(Scenes.E)), "<iq type='result' id='i1' to='" + Scenes.E + "' from='" + S + "'>"
                + "<query xmlns='" + ITEMS + "'>" + PREDEFINED_ITEMS + "<item jid='" + OWN + "' name='own'/></query></iq>");
        recipients(h.in(form(field("publicroom", "0"))))
                .to(D, presence(D, OWN + "/dave", mucUser(item("affiliation='owner' role='moderator'", D))),
                        presence(D, OWN + "/carol", mucUser(item(Scenes.PARTICIPANT, C))),
                        presence(D, OWN + "/bob", mucUser(item(Scenes.PARTICIPANT, B))),
                        presence(D, OWN + "/alice", mucUser(item(Scenes.PARTICIPANT, A))),
                        configChanged(D, 104), result(D, "c1"))
                .to(C, presence(C, OWN + "/dave", ""), presence(C, OWN + "/carol", ""), presence(C, OWN + "/bob", ""),
                        presence(C, OWN + "/alice", ""))
                .to(B, presence(B, OWN + "/" + HD, ""), presence(B, OWN + "/" + HC, ""), presence(B, OWN + "/" + HB, ""),
                        presence(B, OWN + "/" + HA, ""))
                .to(A, presence(A, OWN + "/dave", mucUser("affiliation='owner' role='moderator'")),
                        presence(A, OWN + "/carol", mucUser(Scenes.PARTICIPANT)),
                        presence(A, OWN + "/bob", mucUser(Scenes.PARTICIPANT)),
                        presence(A, OWN + "/alice", mucUser(Scenes.PARTICIPANT)), configChanged(A, 104))
                .andNothingElse();
        // not listed to a stranger, nor to its own occupants, by disco#items or browse
        for (String who : List.of(Scenes.E, D, A)) {
            assertOut(h.in(discoItems(who)), "<iq type='result' id='i1' to='" + who + "' from='" + S + "'>"
                    + "<query xmlns='" + ITEMS + "'>" + PREDEFINED_ITEMS + "</query></iq>");
            assertOut(h.in(browse(who)), "<iq type='result' id='b1' to='" + who + "' from='" + S + "'>"
                    + "<conference xmlns='jabber:iq:browse' type='public' name='Public Chatrooms'>"
                    + Scenario01To07ServiceTest.SERVICE_NS + PREDEFINED_BROWSE + "</conference></iq>");
        }
        // still there by its address: room info says hidden, and people may join
        Element info = h.in("<iq type='get' id='r1' to='" + OWN + "' from='" + Scenes.E + "'><query xmlns='"
                + "http://jabber.org/protocol/disco#info'/></iq>").get(0).firstElement();
        assertTrue(info.toString().contains("muc_hidden") && !info.toString().contains("muc_public"), info.toString());
        assertTrue(Harness.to(h.in(join(Scenes.E, "erin")), Scenes.E).size() > 1, "a hidden room can be entered");
        // the form shows it, and it travels with the room
        Element shown = h.in("<iq type='get' id='f' to='" + OWN + "' from='" + D + "'><query xmlns='" + OWNER + "'/></iq>")
                .get(0).firstElement().child("x", "jabber:x:data");
        assertEquals("0", MucModerationTest.value(shown, "publicroom"));
        Harness moved = moved(h);
        assertOut(moved.in(discoItems(Scenes.E)), "<iq type='result' id='i1' to='" + Scenes.E + "' from='" + S + "'>"
                + "<query xmlns='" + ITEMS + "'>" + PREDEFINED_ITEMS + "</query></iq>");
        moved.given(form(field("publicroom", "1")));
        assertOut(moved.in(discoItems(Scenes.E)), "<iq type='result' id='i1' to='" + Scenes.E + "' from='" + S + "'>"
                + "<query xmlns='" + ITEMS + "'>" + PREDEFINED_ITEMS + "<item jid='" + OWN + "' name='own'/></query></iq>");
    }

    @Test
    void s90_onAPrivateServiceAHiddenRoomIsNotListedToItsUsersEither() {
        Harness h = new Harness(Scenes.settings().withPublicService(false));
        Scenes.joinMuc(h, OWN, D, "dave");
        String mine = "<iq type='result' id='i1' to='" + D + "' from='" + S + "'><query xmlns='" + ITEMS + "'>"
                + "<item jid='" + OWN + "' name='own'/></query></iq>";
        assertOut(h.in(discoItems(D)), mine);
        h.given(form(field("publicroom", "0")));
        assertOut(h.in(discoItems(D)), "<iq type='result' id='i1' to='" + D + "' from='" + S + "'><query xmlns='"
                + ITEMS + "'/></iq>");
        h.given(form(field("publicroom", "1")));
        assertOut(h.in(discoItems(D)), mine);
    }

    private static Harness moved(Harness h) {
        byte[] bytes = h.service().exportRoom(Jid.parse(OWN)).bytes();
        Harness moved = new Harness(new ConferenceService(Scenes.settings(), T0), h.now());
        moved.service().importRoom(RoomState.decode(bytes), h.now());
        return moved;
    }

    // ---- scenarios 91, 92: members-only ------------------------------------------------------

    private static final String MEMBERS_ONLY_NOTICE = " has been removed: the room is now members-only";

    @Test
    void s91_makingTheRoomMembersOnlyRemovesTheNonMembersWith322() {
        Harness h = room();
        h.given(admin(D, "m1", "<item jid='bob@example.org' affiliation='member'/>"));
        String none322 = "affiliation='none' role='none'";
        recipients(h.in(form(field("membersonly", "1"))))
                // Carol (entered first) goes first: the spec's leave and a notice
                .to(C, unavailable(C, OWN + "/carol"), notice(C, OWN, "carol" + MEMBERS_ONLY_NOTICE))
                .to(A, "<presence type='unavailable' to='" + A + "' from='" + OWN + "/carol'>" + mucUser(none322, 322)
                                + "</presence>",
                        "<presence type='unavailable' to='" + A + "' from='" + OWN + "/alice'>" + mucUser(none322, 322, 110)
                                + "</presence>")
                .to(B, removePush(B, OWN, HC), notice(B, OWN, "carol" + MEMBERS_ONLY_NOTICE),
                        removePush(B, OWN, HA), notice(B, OWN, "alice" + MEMBERS_ONLY_NOTICE),
                        presence(B, OWN + "/" + HD, ""), presence(B, OWN + "/" + HB, ""))
                .to(D, "<presence type='unavailable' to='" + D + "' from='" + OWN + "/carol'>"
                                + mucUser(item(none322, C), 322) + "</presence>",
                        "<presence type='unavailable' to='" + D + "' from='" + OWN + "/alice'>"
                                + mucUser(item(none322, A), 322) + "</presence>",
                        presence(D, OWN + "/dave", mucUser(item("affiliation='owner' role='moderator'", D))),
                        presence(D, OWN + "/bob", mucUser(item("affiliation='member' role='participant'", B))),
                        configChanged(D, 104), result(D, "c1"))
                .andNothingElse();
        assertEquals(2, h.service().count(RoomEvent.NOT_A_MEMBER));
        assertEquals(2, h.service().participantCount(), "dave and bob stay");
        assertEquals("error", h.in(join(A, "alice")).get(0).attr("type"), "407 from now on");
        // a second submit changes nothing for the members
        recipients(h.in(form(field("membersonly", "1"))))
                .to(D, presence(D, OWN + "/dave", mucUser(item("affiliation='owner' role='moderator'", D))),
                        presence(D, OWN + "/bob", mucUser(item("affiliation='member' role='participant'", B))),
                        configChanged(D, 104), result(D, "c1"))
                .to(B, presence(B, OWN + "/" + HD, ""), presence(B, OWN + "/" + HB, ""))
                .andNothingElse();
    }

    @Test
    void s92_takingMembershipAwayInAMembersOnlyRoomRemovesWith321() {
        Harness h = room();
        h.given(admin(D, "m1", "<item jid='alice@example.org' affiliation='member'/>"));
        h.given(admin(D, "m2", "<item jid='carol@example.net' affiliation='member'/>"));
        h.given(admin(D, "m3", "<item jid='bob@example.org' affiliation='member'/>"));
        h.given(form(field("membersonly", "1")));
        assertEquals(4, h.service().participantCount(), "all members stay");
        String revoked = " has been removed: no longer a member";
        recipients(h.in(admin(D, "r1", "<item jid='carol@example.net' affiliation='none'/>")))
                .to(C, unavailable(C, OWN + "/carol"), notice(C, OWN, "carol" + revoked))
                .to(B, removePush(B, OWN, HC), notice(B, OWN, "carol" + revoked))
                .to(A, "<presence type='unavailable' to='" + A + "' from='" + OWN + "/carol'>"
                        + mucUser("affiliation='none' role='none'", 321) + "</presence>")
                .to(D, "<presence type='unavailable' to='" + D + "' from='" + OWN + "/carol'>"
                        + mucUser(item("affiliation='none' role='none'", C), 321) + "</presence>", result(D, "r1"))
                .andNothingElse();
        recipients(h.in(admin(D, "r2", "<item jid='alice@example.org' affiliation='none'/>")))
                .to(A, "<presence type='unavailable' to='" + A + "' from='" + OWN + "/alice'>"
                        + mucUser("affiliation='none' role='none'", 321, 110) + "</presence>")
                .to(B, removePush(B, OWN, HA), notice(B, OWN, "alice" + revoked))
                .to(D, "<presence type='unavailable' to='" + D + "' from='" + OWN + "/alice'>"
                        + mucUser(item("affiliation='none' role='none'", A), 321) + "</presence>", result(D, "r2"))
                .andNothingElse();
        assertEquals(2, h.service().count(RoomEvent.NOT_A_MEMBER));
    }

    // ---- scenarios 93, 94: who sees real JIDs ------------------------------------------------

    @Test
    void s93_semiAnonymousModeratorsSeeRealJidsOthersDoNot() {
        Harness h = room();
        // Erin joins (MUC): Dave, a moderator, sees her JID; Alice does not; Erin sees nobody's
        String erin = Scenes.E;
        recipients(h.in(join(erin, "erin")))
                .to(erin, presence(erin, OWN + "/dave", mucUser("affiliation='owner' role='moderator'")),
                        presence(erin, OWN + "/carol", mucUser(Scenes.PARTICIPANT)),
                        presence(erin, OWN + "/bob", mucUser(Scenes.PARTICIPANT)),
                        presence(erin, OWN + "/alice", mucUser(Scenes.PARTICIPANT)),
                        presence(erin, OWN + "/erin", mucUser(Scenes.PARTICIPANT, 110)),
                        "<message type='groupchat' to='" + erin + "' from='" + OWN + "'><subject/></message>")
                .to(D, presence(D, OWN + "/erin", mucUser(item(Scenes.PARTICIPANT, erin))))
                .to(A, presence(A, OWN + "/erin", mucUser(Scenes.PARTICIPANT)))
                .to(C, presence(C, OWN + "/erin", ""), notice(C, OWN, "erin has become available"))
                .to(B, Scenes.push(B, OWN, "40ae7227e7ca50f61d711d694d588583853d52e3", "erin"),
                        notice(B, OWN, "erin has become available"))
                .andNothingElse();
    }

    @Test
    void s93_aModeratorSeesEveryJidWhenItJoins() {
        Harness h = room();
        h.given(admin(D, "a1", "<item jid='erin@example.org' affiliation='admin'/>"));
        List<Element> toErin = Harness.to(h.in(join(Scenes.E, "erin")), Scenes.E);
        assertOut(toErin.subList(0, 5),
                presence(Scenes.E, OWN + "/dave", mucUser(item("affiliation='owner' role='moderator'", D))),
                presence(Scenes.E, OWN + "/carol", mucUser(item(Scenes.PARTICIPANT, C))),
                presence(Scenes.E, OWN + "/bob", mucUser(item(Scenes.PARTICIPANT, B))),
                presence(Scenes.E, OWN + "/alice", mucUser(item(Scenes.PARTICIPANT, A))),
                presence(Scenes.E, OWN + "/erin", mucUser(item("affiliation='admin' role='moderator'", Scenes.E), 110)));
    }

    @Test
    void s94_nonAnonymousEveryoneSeesRealJidsAndJoinersGetStatus100() {
        Harness h = room();
        List<Element> out = h.in(form(field("whois", "anyone")));
        assertOut(Harness.to(out, A).subList(4, 5), configChanged(A, 172));
        assertOut(Harness.to(out, A).subList(0, 1),
                presence(A, OWN + "/dave", mucUser(item("affiliation='owner' role='moderator'", D))));
        String erin = Scenes.E;
        recipients(h.in(join(erin, "erin")))
                .to(erin, presence(erin, OWN + "/dave", mucUser(item("affiliation='owner' role='moderator'", D))),
                        presence(erin, OWN + "/carol", mucUser(item(Scenes.PARTICIPANT, C))),
                        presence(erin, OWN + "/bob", mucUser(item(Scenes.PARTICIPANT, B))),
                        presence(erin, OWN + "/alice", mucUser(item(Scenes.PARTICIPANT, A))),
                        presence(erin, OWN + "/erin", mucUser(item(Scenes.PARTICIPANT, erin), 100, 110)),
                        "<message type='groupchat' to='" + erin + "' from='" + OWN + "'><subject/></message>")
                .to(D, presence(D, OWN + "/erin", mucUser(item(Scenes.PARTICIPANT, erin))))
                .to(A, presence(A, OWN + "/erin", mucUser(item(Scenes.PARTICIPANT, erin))))
                .to(C, presence(C, OWN + "/erin", ""), notice(C, OWN, "erin has become available"))
                .to(B, Scenes.push(B, OWN, "40ae7227e7ca50f61d711d694d588583853d52e3", "erin"),
                        notice(B, OWN, "erin has become available"))
                .andNothingElse();
        // back to semi-anonymous: 173, and Alice no longer sees JIDs
        List<Element> back = Harness.to(h.in(form(field("whois", "moderators"))), A);
        assertOut(back.subList(back.size() - 1, back.size()), configChanged(A, 173));
        assertFalse(back.toString().contains("jid="), back.toString());
    }

    @Test
    void s94_privacyModeHidesTheJidFromModeratorsToo() {
        Harness h = Scenes.harness();
        Scenes.register(h, OWN, B);
        h.given("<iq type='set' id='j' to='" + OWN + "' from='" + B + "'><query xmlns='jabber:iq:conference'>"
                + "<nick>bob</nick><privacy/></query></iq>"); // Bob creates the room, private
        h.given(admin(B, "a", "<item jid='dave@example.org' affiliation='admin'/>"));
        List<Element> toDave = Harness.to(h.in(join(D, "dave")), D);
        assertOut(toDave.subList(0, 1), presence(D, OWN + "/bob", mucUser("affiliation='owner' role='moderator'")));
    }
}
