package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.testkit.Expect.anyOrder;
import static org.palaver.testkit.Expect.recipients;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HD;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.E;
import static org.palaver.testkit.Scenes.HELP;
import static org.palaver.testkit.Scenes.HELP_NAME;
import static org.palaver.testkit.Scenes.LOUNGE;
import static org.palaver.testkit.Scenes.NS_MUC;
import static org.palaver.testkit.Scenes.PARTICIPANT;
import static org.palaver.testkit.Scenes.bobJoins;
import static org.palaver.testkit.Scenes.carolJoinsLegacy;
import static org.palaver.testkit.Scenes.daveJoinsMuc;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.groupchat;
import static org.palaver.testkit.Scenes.harness;
import static org.palaver.testkit.Scenes.joinNewStyle;
import static org.palaver.testkit.Scenes.mucUser;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.presence;
import static org.palaver.testkit.Scenes.push;
import static org.palaver.testkit.Scenes.register;
import static org.palaver.testkit.Scenes.removePush;
import static org.palaver.testkit.Scenes.say;
import static org.palaver.testkit.Scenes.settings;
import static org.palaver.testkit.Scenes.unavailable;
import static org.palaver.testkit.Scenes.xDelay;
import static org.palaver.testkit.Scenes.xmppDelay;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Expect;
import org.palaver.testkit.Harness;
import org.palaver.testkit.TestXml;
import org.palaver.xml.Element;

/**
 * Spec §18.13, scenarios 81–89: the modern-client bridge.
 *
 * <p>Readings of the SHOULD/decision text used here:
 * <ul>
 * <li>The {@code <x xmlns='http://jabber.org/protocol/muc'>} of a join presence is a request to the
 * service, not presence content: it is not part of the cached presence, so other occupants never see
 * it (and never see a {@code <password>}).
 * <li>§11.3/§13.2: textual join/leave/rename notices are not sent <em>to</em> MUC-capable
 * recipients; everybody else still gets them, whoever the subject is (MU-Conference's
 * {@code SEND_LEGACY}).
 * <li>muc#user decoration and status codes go only to MUC-capable recipients; the item of the
 * owner of a dynamic room is {@code affiliation='owner' role='moderator'}, everybody else
 * {@code affiliation='none' role='participant'}; no {@code jid} attribute.
 * <li>urn:xmpp:delay (DEV-19) is added to history only for MUC-capable recipients, after the
 * jabber:x:delay element.
 * </ul>
 */
class Scenario81To89MucBridgeTest {

    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    private static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    private static final String EMPTY_SUBJECT = "<subject/>";

    /** The single result iq of a disco request, checked for addressing; returns its query. */
    private static Element discoResult(List<Element> out, String id, String from, String to, String ns) {
        assertEquals(1, out.size(), "one reply: " + out);
        Element iq = out.get(0);
        assertEquals("iq", iq.name());
        assertEquals("result", iq.attr("type"));
        assertEquals(id, iq.attr("id"));
        assertEquals(from, iq.attr("from"));
        assertEquals(to, iq.attr("to"));
        assertEquals(4, iq.attrCount(), "type, id, from, to only: " + iq);
        assertEquals(1, iq.elements().size(), "one payload: " + iq);
        Element q = iq.elements().get(0);
        assertEquals("query", q.name());
        assertEquals(ns, q.namespace());
        return q;
    }

    private static Set<String> features(Element query) {
        Set<String> vars = new HashSet<>();
        for (Element e : query.elements()) {
            if (e.name().equals("feature")) {
                assertTrue(vars.add(e.attr("var")), "duplicate feature " + e);
            }
        }
        return vars;
    }

    private static void assertIdentity(Element query, String name) {
        List<Element> ids = query.elements().stream().filter(e -> e.name().equals("identity")).toList();
        assertEquals(1, ids.size(), "one identity: " + query);
        assertTrue(TestXml.matches(TestXml.parse("<identity category='conference' type='text' name='" + name + "'/>"),
                ids.get(0)), "identity: " + ids.get(0));
    }

    private static Element roomInfo(Harness h, String room) {
        return discoResult(h.in("<iq type='get' id='ri' to='" + room + "' from='" + D + "'><query xmlns='"
                + DISCO_INFO + "'/></iq>"), "ri", room, D, DISCO_INFO);
    }

    @Test
    void s81_discoInfoService() {
        Harness h = harness();
        Element q = discoResult(h.in("<iq type='get' id='d1' to='" + S + "' from='" + D + "'><query xmlns='"
                + DISCO_INFO + "'/></iq>"), "d1", S, D, DISCO_INFO);
        assertIdentity(q, "Public Chatrooms");
        Set<String> f = features(q);
        assertTrue(f.containsAll(Set.of(DISCO_INFO, DISCO_ITEMS, NS_MUC, "jabber:iq:conference", "jabber:iq:browse",
                "jabber:iq:version", "jabber:iq:time", "jabber:iq:last", "vcard-temp")), "features " + f);
        assertFalse(f.contains("gc-1.0"), "gc-1.0 must not be advertised");
    }

    @Test
    void s82_discoItemsService() {
        Harness h = harness();
        Element q = discoResult(h.in("<iq type='get' id='d2' to='" + S + "' from='" + D + "'><query xmlns='"
                + DISCO_ITEMS + "'/></iq>"), "d2", S, D, DISCO_ITEMS);
        Set<String> items = new HashSet<>();
        for (Element e : q.elements()) {
            assertEquals("item", e.name());
            assertEquals(2, e.attrCount(), "jid and name: " + e);
            items.add(e.attr("jid") + "|" + e.attr("name"));
        }
        assertEquals(Set.of(R + "|" + LOUNGE, HELP + "|" + HELP_NAME), items);
    }

    @Test
    void s83_discoInfoRoomAndMissingRoom() {
        // A dynamic room (muc_temporary), named by its owner at the join.
        Harness h = new Harness();
        register(h, R, B);
        h.given("<iq type='set' id='jb' to='" + R + "' from='" + B + "'><query xmlns='jabber:iq:conference'>"
                + "<name>" + LOUNGE + "</name><nick>bob</nick></query></iq>");
        Element q = roomInfo(h, R);
        assertIdentity(q, LOUNGE);
        Set<String> f = features(q);
        assertTrue(f.containsAll(Set.of(NS_MUC, "jabber:iq:conference", "jabber:iq:browse", "muc_public", "muc_open",
                "muc_unmoderated", "muc_semianonymous", "muc_temporary", "muc_unsecured",
                "http://jabber.org/protocol/muc#self-ping-optimization")), "features " + f);
        for (String contradiction : List.of("muc_persistent", "muc_passwordprotected", "muc_hidden", "gc-1.0")) {
            assertFalse(f.contains(contradiction), contradiction + " in " + f);
        }

        // The owner sets a secret: the room is now password protected.
        assertOut(h.in("<iq type='set' id='s' to='" + R + "' from='" + B + "'><query xmlns='jabber:iq:conference'>"
                + "<secret>pw</secret></query></iq>"), "<iq type='result' id='s' from='" + R + "' to='" + B + "'/>");
        f = features(roomInfo(h, R));
        assertTrue(f.contains("muc_passwordprotected") && !f.contains("muc_unsecured"), "features " + f);

        // A predefined room is persistent.
        f = features(roomInfo(harness(), HELP));
        assertTrue(f.contains("muc_persistent") && !f.contains("muc_temporary"), "features " + f);

        String nowhere = "nowhere@" + S;
        assertOut(h.in("<iq type='get' id='ri' to='" + nowhere + "' from='" + D + "'><query xmlns='" + DISCO_INFO
                        + "'/></iq>"),
                "<iq type='error' id='ri' from='" + nowhere + "' to='" + D + "'><query xmlns='" + DISCO_INFO + "'/>"
                        + err(404) + "</iq>");
    }

    @Test
    void s84_mucClientJoin() {
        Harness h = harness();
        bobJoins(h);
        carolJoinsLegacy(h);
        say(h, B, "hi");

        var out = h.in("<presence to='" + R + "/dave' from='" + D + "'><x xmlns='" + NS_MUC + "'/></presence>");
        recipients(out)
                .to(D, anyOrder(presence(D, R + "/bob", mucUser(PARTICIPANT)),
                                presence(D, R + "/carol", mucUser(PARTICIPANT))),
                        presence(D, R + "/dave", mucUser(PARTICIPANT, 110)),
                        groupchat(D, R + "/bob", "<body>hi</body>" + xDelay(R, 0) + xmppDelay(R, 0)),
                        groupchat(D, R, EMPTY_SUBJECT))
                .to(B, push(B, R, HD, "dave"), notice(B, R, "dave has become available"))
                .to(C, presence(C, R + "/dave", ""), notice(C, R, "dave has become available"))
                .andNothingElse();
    }

    @Test
    void s84b_ownerOfADynamicRoomIsShownAsOwnerToMucClients() {
        Harness h = harness();
        String own = "own@" + S;
        joinNewStyle(h, own, B, "bob", null); // Bob's presence created the room: he is the owner

        var out = h.in("<presence to='" + own + "/dave' from='" + D + "'><x xmlns='" + NS_MUC + "'/></presence>");
        recipients(out)
                .to(D, presence(D, own + "/bob", mucUser("affiliation='owner' role='moderator'")),
                        presence(D, own + "/dave", mucUser(PARTICIPANT, 110)),
                        groupchat(D, own, EMPTY_SUBJECT))
                .to(B, push(B, own, HD, "dave"), notice(B, own, "dave has become available"))
                .andNothingElse();
    }

    @Test
    void s85_mucJoinWithPassword() {
        Harness h = new Harness(settings(10, "foo"));
        joinNewStyle(h, R, B, "bob", "foo");

        var out = h.in("<presence to='" + R + "/dave' from='" + D + "'><x xmlns='" + NS_MUC + "'>"
                + "<password>foo</password></x></presence>");
        recipients(out)
                .to(D, presence(D, R + "/bob", mucUser(PARTICIPANT)),
                        presence(D, R + "/dave", mucUser(PARTICIPANT, 110)),
                        groupchat(D, R, EMPTY_SUBJECT))
                .to(B, push(B, R, HD, "dave"), notice(B, R, "dave has become available"))
                .andNothingElse();

        String wrong = "<x xmlns='" + NS_MUC + "'><password>bar</password></x>";
        assertOut(h.in("<presence to='" + R + "/erin' from='" + E + "'>" + wrong + "</presence>"),
                "<presence type='error' from='" + R + "/erin' to='" + E + "'>" + wrong + err(401) + "</presence>");
        String none = "<x xmlns='" + NS_MUC + "'/>";
        assertOut(h.in("<presence to='" + R + "/erin' from='" + E + "'>" + none + "</presence>"),
                "<presence type='error' from='" + R + "/erin' to='" + E + "'>" + none + err(401) + "</presence>");
    }

    @Test
    void s86_mucNickChange() {
        Harness h = harness();
        bobJoins(h);
        carolJoinsLegacy(h);
        daveJoinsMuc(h);

        var out = h.in("<presence to='" + R + "/dj' from='" + D + "'/>");
        recipients(out)
                .to(D, "<presence type='unavailable' to='" + D + "' from='" + R + "/dave'>"
                                + mucUser(PARTICIPANT + " nick='dj'", 303, 110) + "</presence>",
                        presence(D, R + "/dj", mucUser(PARTICIPANT, 110)))
                .to(B, push(B, R, HD, "dj"), notice(B, R, "dave is now known as dj"))
                .to(C, unavailable(C, R + "/dave"), presence(C, R + "/dj", ""), notice(C, R, "dave is now known as dj"))
                .andNothingElse();
    }

    @Test
    void s86b_mucLeave() {
        Harness h = harness();
        bobJoins(h);
        carolJoinsLegacy(h);
        daveJoinsMuc(h);

        var out = h.in("<presence type='unavailable' to='" + R + "/dave' from='" + D + "'/>");
        // §13.2: the unavailable self-presence carries 110; XEP-0045 shows the leaver's role as none
        // (a reading: "participant" would also satisfy §13.2's wording).
        String selfGone = "<presence type='unavailable' to='" + D + "' from='" + R + "/dave'>";
        Expect.oneOf(Harness.to(out, D),
                new Object[] {selfGone + mucUser("affiliation='none' role='none'", 110) + "</presence>"},
                new Object[] {selfGone + mucUser(PARTICIPANT, 110) + "</presence>"});
        assertEquals(5, out.size(), "nothing beyond Dave's, Bob's and Carol's stanzas: " + out);
        recipients(out)
                .to(B, removePush(B, R, HD), notice(B, R, "dave has left"))
                .to(C, unavailable(C, R + "/dave"), notice(C, R, "dave has left"));
    }

    @Test
    void s87_selfPing() {
        Harness h = harness();
        daveJoinsMuc(h);
        String ping = "<ping xmlns='urn:xmpp:ping'/>";
        assertOut(h.in("<iq type='get' id='sp1' to='" + R + "/dave' from='" + D + "'>" + ping + "</iq>"),
                "<iq type='result' id='sp1' from='" + R + "/dave' to='" + D + "'/>");
        // The own hash id is an own occupant JID too (§13.3 "nick or hash").
        assertOut(h.in("<iq type='get' id='sp2' to='" + R + "/" + HD + "' from='" + D + "'>" + ping + "</iq>"),
                "<iq type='result' id='sp2' from='" + R + "/" + HD + "' to='" + D + "'/>");
        // DEV-21: a non-occupant learns it is not joined (406/modify per the §14.2 mapping).
        assertOut(h.in("<iq type='get' id='sp3' to='" + R + "/dave' from='" + E + "'>" + ping + "</iq>"),
                "<iq type='error' id='sp3' from='" + R + "/dave' to='" + E + "'>" + ping + err(406) + "</iq>");
    }

    @Test
    void s88_mucRejoin() {
        Harness h = harness();
        bobJoins(h);
        carolJoinsLegacy(h);
        daveJoinsMuc(h);

        var out = h.in("<presence to='" + R + "/dave' from='" + D + "'><x xmlns='" + NS_MUC + "'/></presence>");
        // Everything goes to Dave only: nobody else sees a leave, a join or a presence change.
        recipients(out)
                .to(D, anyOrder(presence(D, R + "/bob", mucUser(PARTICIPANT)),
                                presence(D, R + "/carol", mucUser(PARTICIPANT))),
                        presence(D, R + "/dave", mucUser(PARTICIPANT, 110)),
                        groupchat(D, R, EMPTY_SUBJECT))
                .andNothingElse();
    }

    @Test
    void s89_ownerFormRequest() {
        Harness h = harness();
        daveJoinsMuc(h);
        // Issue 9 replaces E22 for muc#owner and muc#admin (MucModerationTest): Dave owns nothing
        // here (403), an admin get without an item is malformed (400); muc#register stays 501.
        String owner = "<query xmlns='http://jabber.org/protocol/muc#owner'/>";
        assertOut(h.in("<iq type='get' id='o1' to='" + R + "' from='" + D + "'>" + owner + "</iq>"),
                "<iq type='error' id='o1' from='" + R + "' to='" + D + "'>" + owner + err(403) + "</iq>");
        String admin = "<query xmlns='http://jabber.org/protocol/muc#admin'/>";
        assertOut(h.in("<iq type='get' id='o1' to='" + R + "' from='" + D + "'>" + admin + "</iq>"),
                "<iq type='error' id='o1' from='" + R + "' to='" + D + "'>" + admin + err(400) + "</iq>");
        String register = "<query xmlns='http://jabber.org/protocol/muc#register'/>";
        assertOut(h.in("<iq type='get' id='o1' to='" + R + "' from='" + D + "'>" + register + "</iq>"),
                "<iq type='error' id='o1' from='" + R + "' to='" + D + "'>" + register + err(501) + "</iq>");
    }
}
