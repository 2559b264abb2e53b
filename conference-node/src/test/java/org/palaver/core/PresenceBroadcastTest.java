package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.palaver.testkit.Expect.recipients;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HB;
import static org.palaver.testkit.Harness.HD;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.T0;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.E;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.mucUser;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.push;
import static org.palaver.testkit.Scenes.removePush;
import static org.palaver.testkit.Scenes.unavailable;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlWriter;

/**
 * XEP-0045 {@code muc#roomconfig_presencebroadcast} (issue 10, large rooms): Dave (MUC) owns
 * {@code own@S}, moderated, broadcasting moderators' and participants' presence only. Visitors
 * (Erin by MUC, Carol by plain gc-1.0, Bob new-style) are known only to themselves until voiced;
 * their joins cost nothing for the others. Exact stanzas throughout.
 */
class PresenceBroadcastTest {
    static final String OWN = MucModerationTest.OWN;
    /** Erin's hash id in the room (HashId of {@link Scenes#E}). */
    static final String HE = "40ae7227e7ca50f61d711d694d588583853d52e3";
    static final String MODERATOR = "affiliation='owner' role='moderator'";
    static final String BROADCAST_SHOWN = "<field var='muc#roomconfig_presencebroadcast'><value>moderator</value>"
            + "<value>participant</value></field>";

    /** Dave's room, moderated, visitors not broadcast; Dave alone in it. */
    static Harness room() {
        Harness h = Scenes.harness();
        Scenes.joinMuc(h, OWN, D, "dave");
        MucModerationTest.submit(h, "<field var='muc#roomconfig_moderatedroom'><value>1</value></field>"
                + BROADCAST_SHOWN);
        return h;
    }

    static String daveTo(String to) {
        return "<presence to='" + to + "' from='" + OWN + "/dave'>"
                + mucUser(to.equals(D) ? MODERATOR + " jid='" + D + "'" : MODERATOR) + "</presence>";
    }

    /** A presence of Erin's as Dave, a moderator of this semi-anonymous room, sees it: with her real JID (decision 53). */
    static String erinToDave(String type, String role) {
        return "<presence" + type + " to='" + D + "' from='" + OWN + "/erin'>"
                + mucUser("affiliation='none' role='" + role + "' jid='" + E + "'") + "</presence>";
    }

    static String subject(String to) {
        return "<message type='groupchat' to='" + to + "' from='" + OWN + "'><subject/></message>";
    }

    @Test
    void aVisitorsJoinGoesToItselfAlone() {
        Harness h = room();
        recipients(h.in(MucModerationTest.join(E, "erin")))
                .to(E, daveTo(E), "<presence to='" + E + "' from='" + OWN + "/erin'>"
                        + mucUser("affiliation='none' role='visitor'", 110) + "</presence>", subject(E))
                .andNothingElse();
        // plain gc-1.0: the join notice names it to itself only
        recipients(h.in("<presence to='" + OWN + "/carol' from='" + C + "'/>"))
                .to(C, "<presence to='" + C + "' from='" + OWN + "/dave'/>",
                        "<presence to='" + C + "' from='" + OWN + "/carol'/>", notice(C, OWN, "carol has become available"))
                .andNothingElse();
        // new-style: the initial push lists only the shown (Dave, not Erin or Carol)
        Scenes.register(h, OWN, B);
        recipients(h.in("<iq type='set' id='jb' to='" + OWN + "' from='" + B + "'><query xmlns='jabber:iq:conference'>"
                + "<nick>bob</nick></query></iq>"))
                .to(B, "<iq type='result' id='jb' to='" + B + "' from='" + OWN + "'><query xmlns='jabber:iq:conference'>"
                                + "<nick>bob</nick><name/><id>" + OWN + "/" + HB + "</id></query></iq>",
                        "<iq type='set' id='*' to='" + B + "' from='" + OWN + "'><conference xmlns='jabber:iq:browse'"
                                + " type='public'><user jid='" + OWN + "/" + HD + "' name='dave'/></conference></iq>",
                        "<presence to='" + B + "' from='" + OWN + "/" + HD + "'/>", push(B, OWN, HB, "bob"),
                        notice(B, OWN, "bob has become available"))
                .andNothingElse();
    }

    @Test
    void aVisitorsPresenceAndLeaveGoToItselfWhileTheShownReachEveryone() {
        Harness h = room();
        Scenes.joinMuc(h, OWN, E, "erin");
        Scenes.joinLegacy(h, OWN, C, "carol");
        assertOut(h.in("<presence to='" + OWN + "/erin' from='" + E + "'><show>away</show></presence>"),
                "<presence to='" + E + "' from='" + OWN + "/erin'><show>away</show>"
                        + mucUser("affiliation='none' role='visitor'") + "</presence>");
        recipients(h.in("<presence to='" + OWN + "/dave' from='" + D + "'><show>dnd</show></presence>"))
                .to(C, "<presence to='" + C + "' from='" + OWN + "/dave'><show>dnd</show></presence>")
                .to(D, "<presence to='" + D + "' from='" + OWN + "/dave'><show>dnd</show>" + mucUser(MODERATOR + " jid='" + D + "'")
                        + "</presence>")
                .to(E, "<presence to='" + E + "' from='" + OWN + "/dave'><show>dnd</show>" + mucUser(MODERATOR) + "</presence>")
                .andNothingElse();
        assertOut(h.in("<presence type='unavailable' to='" + OWN + "/carol' from='" + C + "'/>"),
                unavailable(C, OWN + "/carol"));
    }

    @Test
    void voiceShowsTheVisitorArrivingAndRevokingItShowsItLeaving() {
        Harness h = room();
        Scenes.joinMuc(h, OWN, E, "erin");
        Scenes.joinLegacy(h, OWN, C, "carol");
        Scenes.register(h, OWN, B);
        h.given("<iq type='set' id='jb' to='" + OWN + "' from='" + B + "'><query xmlns='jabber:iq:conference'>"
                + "<nick>bob</nick></query></iq>");
        String participant = mucUser("affiliation='none' role='participant'");
        recipients(h.in(MucModerationTest.admin(D, "v1", "<item nick='erin' role='participant'/>")))
                .to(B, push(B, OWN, HE, "erin"))
                .to(C, "<presence to='" + C + "' from='" + OWN + "/erin'/>")
                .to(D, erinToDave("", "participant"), MucModerationTest.result(D, "v1"))
                .to(E, "<presence to='" + E + "' from='" + OWN + "/erin'>" + participant + "</presence>")
                .andNothingElse();
        recipients(h.in(MucModerationTest.admin(D, "v2", "<item nick='erin' role='visitor'/>")))
                .to(B, removePush(B, OWN, HE))
                .to(C, unavailable(C, OWN + "/erin"))
                .to(D, erinToDave(" type='unavailable'", "none"), MucModerationTest.result(D, "v2"))
                .to(E, "<presence to='" + E + "' from='" + OWN + "/erin'>"
                        + mucUser("affiliation='none' role='visitor'") + "</presence>")
                .andNothingElse();
    }

    @Test
    void broadcastingVisitorsAgainShowsThemToEveryone() {
        Harness h = room();
        Scenes.joinMuc(h, OWN, E, "erin");
        String visitor = mucUser("affiliation='none' role='visitor'");
        recipients(h.in("<iq type='set' id='c2' to='" + OWN + "' from='" + D + "'><query xmlns='"
                + MucModerationTest.OWNER + "'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='muc#roomconfig_presencebroadcast'><value>moderator</value><value>participant</value>"
                + "<value>visitor</value></field></x></query></iq>"))
                .to(D, daveTo(D), erinToDave("", "visitor"), changed(D), MucModerationTest.result(D, "c2"))
                .to(E, daveTo(E), "<presence to='" + E + "' from='" + OWN + "/erin'>" + visitor + "</presence>", changed(E))
                .andNothingElse();
    }

    /** Status 104 after the owner's form (decision 53). */
    static String changed(String to) {
        return "<message type='groupchat' to='" + to + "' from='" + OWN + "'>" + mucUser104() + "</message>";
    }

    private static String mucUser104() {
        return "<x xmlns='http://jabber.org/protocol/muc#user'><status code='104'/></x>";
    }

    @Test
    void theFormShowsAndValidatesTheRoles() {
        Harness h = room();
        String get = "<iq type='get' id='f1' to='" + OWN + "' from='" + D + "'><query xmlns='" + MucModerationTest.OWNER
                + "'/></iq>";
        Element form = h.in(get).get(0).firstElement().child("x", "jabber:x:data");
        Element field = null;
        for (Element f : form.elements()) {
            if ("muc#roomconfig_presencebroadcast".equals(f.attr("var"))) {
                field = f;
            }
        }
        assertEquals("<field var='muc#roomconfig_presencebroadcast' type='list-multi' label='Roles whose presence is"
                + " broadcast'><value>participant</value><value>moderator</value>"
                + "<option label='Visitor'><value>visitor</value></option>"
                + "<option label='Participant'><value>participant</value></option>"
                + "<option label='Moderator'><value>moderator</value></option></field>", XmlWriter.toXml(field));
        String bad = "<x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_presencebroadcast'>"
                + "<value>moderator</value><value>everyone</value></field></x>";
        String error = err(406);
        assertOut(h.in("<iq type='set' id='c3' to='" + OWN + "' from='" + D + "'><query xmlns='"
                        + MucModerationTest.OWNER + "'>" + bad + "</query></iq>"),
                "<iq type='error' id='c3' to='" + D + "' from='" + OWN + "'><query xmlns='" + MucModerationTest.OWNER
                        + "'>" + bad + "</query>" + error.substring(0, error.length() - "</error>".length())
                        + "<text xmlns='" + Scenes.NS_STANZAS + "'>muc#roomconfig_presencebroadcast values must be"
                        + " moderator, participant or visitor, got &apos;everyone&apos;</text></error></iq>");
    }

    @Test
    void theSettingMovesWithTheRoom() {
        Harness source = room();
        Harness target = new Harness(new ConferenceService(Scenes.settings(), T0), source.now());
        target.service().importRoom(source.service().exportRoom(Jid.parse(OWN)), target.now());
        List<Element> out = target.in(MucModerationTest.join(E, "erin"));
        assertEquals(List.of(E, E, E), out.stream().map(e -> e.attr("to")).toList(), "Erin's join reaches Erin only");
    }

    /**
     * What a reader of an older minor version (1.2, 1.1, 0.1.0's 1.0) makes of these bytes: the field is
     * appended to the room section, which such readers skip, so they read the room with every role
     * broadcast (the default) and nothing else changed.
     */
    @Test
    void olderReadersSkipTheSettingAndBroadcastEveryone() throws IOException {
        Harness source = room();
        byte[] bytes = source.service().exportRoom(Jid.parse(OWN)).bytes();
        for (int minor : new int[] {0, 1, 2}) {
            byte[] old = bytes.clone();
            ByteBuffer.wrap(old).putInt(0, RoomCodec.MAJOR << 16 | minor);
            Harness target = new Harness(new ConferenceService(Scenes.settings(), T0), source.now());
            target.service().importRoom(RoomState.decode(minor == 0 ? firstThreeSections(old) : old), target.now());
            recipients(target.in(MucModerationTest.join(E, "erin")))
                    .to(D, erinToDave("", minor == 0 ? "participant" : "visitor"))
                    .to(E, daveTo(E), "<presence to='" + E + "' from='" + OWN + "/erin'>"
                            + mucUser(minor == 0 ? "affiliation='none' role='participant'" : "affiliation='none' role='visitor'",
                            110) + "</presence>", subject(E))
                    .andNothingElse();
        }
    }

    /** A 1.0 state has three sections (the departed-history section came with 1.1). */
    private static byte[] firstThreeSections(byte[] bytes) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(in.getInt());
        for (int i = 0; i < 3; i++) {
            byte[] s = new byte[in.getInt()];
            in.get(s);
            out.writeInt(s.length);
            out.write(s);
        }
        return b.toByteArray();
    }
}
