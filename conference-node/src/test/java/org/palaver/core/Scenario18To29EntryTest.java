package org.palaver.core;

import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.A2;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.HA;
import static org.palaver.testkit.Harness.HB;
import static org.palaver.testkit.Harness.HC;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.aliceJoins;
import static org.palaver.testkit.Scenes.bobJoins;
import static org.palaver.testkit.Scenes.carolJoinsLegacy;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.groupchat;
import static org.palaver.testkit.Scenes.joinNewStyle;
import static org.palaver.testkit.Scenes.joinResult;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.presence;
import static org.palaver.testkit.Scenes.push;
import static org.palaver.testkit.Scenes.register;
import static org.palaver.testkit.Scenes.xDelay;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Element;

/** Spec §18.5: new-style entry (§6.1, §6.3). */
class Scenario18To29EntryTest {
    private static String set(String from, String id, String inner) {
        return "<iq type='set' id='" + id + "' to='" + R + "' from='" + from + "'>"
                + "<query xmlns='jabber:iq:conference'>" + inner + "</query></iq>";
    }

    @Test
    void s18_happyPathMixedRoom() {
        Harness h = Scenes.harness();
        bobJoins(h);
        carolJoinsLegacy(h);
        h.given("<message type='groupchat' to='" + R + "' from='" + B + "'><subject>T</subject></message>");
        h.advance(5_000);
        h.given("<message type='groupchat' to='" + R + "' from='" + B + "'><body>hi</body></message>");

        assertOut(h.in("<presence to='" + R + "' from='" + A + "'/>"));
        assertOut(h.in(set(A, "j1", "<nick>alice</nick>")),
                // (1) result
                joinResult(A, R, "j1", "alice", "The Lounge", HA),
                // (2) initial push: everyone else, legacy ones by hash id too
                "<iq type='set' id='*' to='" + A + "' from='" + R + "'>"
                        + "<conference xmlns='jabber:iq:browse' name='The Lounge' type='public'>"
                        + "<user jid='" + R + "/" + HB + "' name='bob'/><user jid='" + R + "/" + HC + "' name='carol'/>"
                        + "</conference></iq>",
                // (3) DEV-5: the others' cached presence, from their hash ids
                presence(A, R + "/" + HB, ""),
                presence(A, R + "/" + HC, ""),
                // (4) announcement: Alice herself first, then Bob (push) and Carol (presence)
                push(A, R, HA, "alice"),
                push(B, R, HA, "alice"),
                presence(C, R + "/alice", ""),
                // (5) history, oldest first, from Bob's hash id, with jabber:x:delay; the
                // subject-only message is not history (§11.2 update: only messages with a body)
                groupchat(A, R + "/" + HB, "<body>hi</body>" + xDelay(R, 5)),
                // (6) so the topic message follows; (7) join notice to everyone
                "<message type='groupchat' to='" + A + "' from='" + R + "'><subject>T</subject>"
                        + "<body>bob has set the topic to: T</body></message>",
                notice(A, R, "alice has become available"),
                notice(B, R, "alice has become available"),
                notice(C, R, "alice has become available"));
    }

    @Test
    void s19_setWithoutPresence() {
        Harness h = Scenes.harness();
        String q = "<query xmlns='jabber:iq:conference'><nick>alice</nick></query>";
        assertOut(h.in("<iq type='set' id='j' to='" + R + "' from='" + A + "'>" + q + "</iq>"),
                "<iq type='error' id='j' from='" + R + "' to='" + A + "'>" + q + err(403) + "</iq>");
    }

    @Test
    void s20_wrongSecret() {
        Harness h = new Harness(Scenes.settings(10, "foo"));
        register(h, R, A);
        for (String secret : List.of("<secret>bar</secret>", "<secret/>", "")) {
            String q = "<query xmlns='jabber:iq:conference'>" + secret + "<nick>alice</nick></query>";
            assertOut(h.in("<iq type='set' id='j' to='" + R + "' from='" + A + "'>" + q + "</iq>"),
                    "<iq type='error' id='j' from='" + R + "' to='" + A + "'>" + q + err(401) + "</iq>");
        }
    }

    @Test
    void s21_nickFallback() {
        Harness h = Scenes.harness();
        joinNewStyle(h, R, A2, "alice", null);
        register(h, R, A);
        List<Element> out = h.in(set(A, "j", "<nick>alice</nick><nick>alice_</nick>"));
        assertOut(out.subList(0, 1), joinResult(A, R, "j", "alice_", "The Lounge", HA));
    }

    @Test
    void s22_allNicksTaken() {
        Harness h = Scenes.harness();
        joinNewStyle(h, R, A2, "alice", null);
        joinNewStyle(h, R, B, "alice_", null);
        register(h, R, A);
        String q = "<query xmlns='jabber:iq:conference'><nick>alice</nick><nick>alice_</nick></query>";
        assertOut(h.in("<iq type='set' id='j' to='" + R + "' from='" + A + "'>" + q + "</iq>"),
                "<iq type='error' id='j' from='" + R + "' to='" + A + "'>" + q + err(409) + "</iq>");
        // A is not entered: a message from it is an outsider's (403)
        assertOut(h.in("<message to='" + R + "' from='" + A + "'><body>x</body></message>"),
                "<message type='error' from='" + R + "' to='" + A + "'><body>x</body>" + err(403) + "</message>");
    }

    @Test
    void s23_noNickElementGetsMadeUpNick() {
        Harness h = Scenes.harness();
        joinNewStyle(h, R, A2, "alice", null);
        joinNewStyle(h, R, B, "alice1", null);
        register(h, R, A);
        List<Element> out = h.in(set(A, "j", ""));
        assertOut(out.subList(0, 1), joinResult(A, R, "j", "alice2", "The Lounge", HA));
    }

    @Test
    void s24_onlyEmptyNick() {
        Harness h = Scenes.harness();
        register(h, R, A);
        String q = "<query xmlns='jabber:iq:conference'><nick/></query>";
        assertOut(h.in("<iq type='set' id='j' to='" + R + "' from='" + A + "'>" + q + "</iq>"),
                "<iq type='error' id='j' from='" + R + "' to='" + A + "'>" + q + err(409) + "</iq>");
    }

    @Test
    void s25_wrongNamespaceSetByOutsider() {
        Harness h = Scenes.harness();
        register(h, R, A);
        String q = "<query xmlns='jabber:iq:register'/>";
        assertOut(h.in("<iq type='set' id='r' to='" + R + "' from='" + A + "'>" + q + "</iq>"),
                "<iq type='error' id='r' from='" + R + "' to='" + A + "'>" + q + err(403) + "</iq>");
    }

    @Test
    void s26_coccinellaElementNames() {
        Harness h = Scenes.harness();
        register(h, R, A);
        List<Element> out = h.in("<iq type='set' id='e' to='" + R + "' from='" + A + "'>"
                + "<enter xmlns='jabber:iq:conference'><nick>alice</nick></enter></iq>");
        assertOut(out,
                joinResult(A, R, "e", "alice", "The Lounge", HA),
                "<iq type='set' id='*' to='" + A + "' from='" + R + "'>"
                        + "<conference xmlns='jabber:iq:browse' name='The Lounge' type='public'/></iq>",
                push(A, R, HA, "alice"),
                notice(A, R, "alice has become available"));
    }

    @Test
    void s27_getWhileEntered() {
        Harness h = Scenes.harness();
        aliceJoins(h);
        assertOut(h.in("<iq type='get' id='g' to='" + R + "' from='" + A + "'><query xmlns='jabber:iq:conference'/></iq>"),
                "<iq type='result' id='g' from='" + R + "' to='" + A + "'><query xmlns='jabber:iq:conference'>"
                        + "<name>The Lounge</name><nick>alice</nick><id>" + R + "/" + HA + "</id></query></iq>");
    }

    @Test
    void s28_registrationExpiry() {
        Harness h = Scenes.harness();
        register(h, R, A);
        h.advanceWithHeartbeats(240_000);
        String q = "<query xmlns='jabber:iq:conference'><nick>alice</nick></query>";
        assertOut(h.in("<iq type='set' id='j' to='" + R + "' from='" + A + "'>" + q + "</iq>"),
                "<iq type='error' id='j' from='" + R + "' to='" + A + "'>" + q + err(403) + "</iq>");
    }

    @Test
    void s28b_registrationSurvivesOneHeartbeat() {
        Harness h = Scenes.harness();
        register(h, R, A);
        h.advanceWithHeartbeats(120_000); // idle exactly 120 s: not "more than 120 s"
        List<Element> out = h.in(set(A, "j", "<nick>alice</nick>"));
        assertOut(out.subList(0, 1), joinResult(A, R, "j", "alice", "The Lounge", HA));
    }

    @Test
    void s29_secondResourceIsAnOutsider() {
        Harness h = Scenes.harness();
        aliceJoins(h);
        assertOut(h.in("<message to='" + R + "' from='" + A2 + "'><body>me too</body></message>"),
                "<message type='error' from='" + R + "' to='" + A2 + "'><body>me too</body>" + err(403) + "</message>");
    }
}
