package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.palaver.testkit.Expect.recipients;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HB;
import static org.palaver.testkit.Harness.HC;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.HELP;
import static org.palaver.testkit.Scenes.HELP_NAME;
import static org.palaver.testkit.Scenes.aliceBobCarol;
import static org.palaver.testkit.Scenes.aliceJoins;
import static org.palaver.testkit.Scenes.assertAliceLeft;
import static org.palaver.testkit.Scenes.assertAliceStays;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.harness;
import static org.palaver.testkit.Scenes.initialPush;
import static org.palaver.testkit.Scenes.joinNewStyle;
import static org.palaver.testkit.Scenes.joinResult;
import static org.palaver.testkit.Scenes.leave;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.push;
import static org.palaver.testkit.Scenes.register;
import static org.palaver.testkit.Scenes.removePush;
import static org.palaver.testkit.Scenes.unavailable;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Element;

/** Spec §18.10, scenarios 59–68: leaving, kicks on bounce, destruction, ownership. */
class Scenario59To68LeavingTest {

    @Test
    void s59_newStyleLeave() {
        Harness h = aliceBobCarol();
        assertAliceLeft(h, h.in("<presence type='unavailable' to='" + R + "' from='" + A + "'/>"));
    }

    @Test
    void s60_legacyLeave() {
        Harness h = aliceBobCarol();
        recipients(h.in("<presence type='unavailable' to='" + R + "/carol' from='" + C + "'/>"))
                .to(C, unavailable(C, R + "/carol"))
                .to(A, removePush(A, R, HC), notice(A, R, "carol has left"))
                .to(B, removePush(B, R, HC), notice(B, R, "carol has left"))
                .andNothingElse();
    }

    @Test
    void s61_unexpectedDisconnect() {
        Harness h = aliceBobCarol();
        // The sm-generated status is not relayed: the leave announcement is the same as in 59.
        assertAliceLeft(h, h.in("<presence type='unavailable' to='" + R + "' from='" + A + "'>"
                + "<status>Disconnected</status></presence>"));
    }

    @Test
    void s62_bounceKick() {
        Harness h = aliceBobCarol();
        assertAliceLeft(h, h.in("<message type='error' to='" + R + "' from='" + A + "'><body>hi</body>"
                + "<error code='503'/></message>"));
    }

    @Test
    void s63_iqErrorToParticipantIsNoKick() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<iq type='error' id='e1' to='" + R + "/" + HB + "' from='" + A + "'>"
                + "<query xmlns='jabber:iq:version'/>" + err(503, "cancel", "service-unavailable") + "</iq>"));
        assertAliceStays(h);
    }

    @Test
    void s64_errorReplyToPushIsNoKick() {
        Harness h = harness();
        aliceJoins(h);
        // Bob's entry pushes to Alice; take the id of that push.
        register(h, R, B);
        var out = h.in("<iq type='set' id='jb' to='" + R + "' from='" + B + "'>"
                + "<query xmlns='jabber:iq:conference'><nick>bob</nick></query></iq>");
        List<Element> toAlice = Harness.filter(Harness.to(out, A), e -> e.name().equals("iq"));
        assertEquals(1, toAlice.size(), "one push to Alice: " + out);
        String pushId = toAlice.get(0).attr("id");
        assertNotNull(pushId, "DEV-11: pushes carry an id");
        Scenes.carolJoinsLegacy(h);

        assertOut(h.in("<iq type='error' id='" + pushId + "' to='" + R + "' from='" + A + "'>"
                + err(501) + "</iq>"));
        assertAliceStays(h);
    }

    @Test
    void s65_unavailableFromUnknownUser() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<presence type='unavailable' to='" + R + "' from='" + D + "'/>"));
        assertOut(h.in("<presence type='unavailable' to='" + R + "/dave' from='" + D + "'/>"));
        assertAliceStays(h);
    }

    @Test
    void s66_emptyDynamicRoomIsDestroyed() {
        Harness h = harness();
        String tmp = "tmp@" + S;
        joinNewStyle(h, tmp, A, "alice", null);
        leave(h, tmp, A);
        h.advanceWithHeartbeats(370_000);
        assertOut(h.in("<iq type='get' id='g' to='" + tmp + "' from='" + D + "'><query xmlns='jabber:iq:conference'/></iq>"),
                "<iq type='error' id='g' from='" + tmp + "' to='" + D + "'><query xmlns='jabber:iq:conference'/>"
                        + err(404) + "</iq>");
    }

    @Test
    void s66b_emptyDynamicRoomSurvivesTheFirstTwoHeartbeats() {
        // §5.4: destroyed only after more than 240 s without traffic (heartbeats at 120 s and 240 s).
        Harness h = harness();
        String tmp = "tmp@" + S;
        joinNewStyle(h, tmp, A, "alice", null);
        leave(h, tmp, A);
        h.advanceWithHeartbeats(250_000);
        assertOut(h.in("<iq type='get' id='g' to='" + tmp + "' from='" + D + "'><query xmlns='jabber:iq:conference'/></iq>"),
                "<iq type='result' id='g' from='" + tmp + "' to='" + D + "'><query xmlns='jabber:iq:conference'>"
                        + "<name/><nick/><privacy/></query></iq>");
    }

    @Test
    void s67_predefinedRoomSurvives() {
        Harness h = harness();
        joinNewStyle(h, HELP, A, "alice", null);
        leave(h, HELP, A);
        h.advanceWithHeartbeats(370_000);
        // help has no secret and no <privacy/> configured.
        assertOut(h.in("<iq type='get' id='g' to='" + HELP + "' from='" + D + "'><query xmlns='jabber:iq:conference'/></iq>"),
                "<iq type='result' id='g' from='" + HELP + "' to='" + D + "'><query xmlns='jabber:iq:conference'>"
                        + "<name>" + HELP_NAME + "</name><nick/></query></iq>");
    }

    @Test
    void s68_ownerLosesPowersOnLeave() {
        Harness h = harness();
        String own = "own@" + S;
        register(h, own, A);
        h.given("<iq type='set' id='ja' to='" + own + "' from='" + A + "'><query xmlns='jabber:iq:conference'>"
                + "<name>Own Room</name><nick>alice</nick></query></iq>");
        leave(h, own, A);

        register(h, own, B);
        var out = h.in("<iq type='set' id='jb' to='" + own + "' from='" + B + "'><query xmlns='jabber:iq:conference'>"
                + "<name>Hijack</name><nick>bob</nick></query></iq>");
        recipients(out)
                .to(B, joinResult(B, own, "jb", "bob", "Own Room", HB),
                        initialPush(B, own, "Own Room"),
                        push(B, own, HB, "bob"),
                        notice(B, own, "bob has become available"))
                .andNothingElse();
        assertOut(h.in("<iq type='get' id='g' to='" + own + "' from='" + D + "'><query xmlns='jabber:iq:conference'/></iq>"),
                "<iq type='result' id='g' from='" + own + "' to='" + D + "'><query xmlns='jabber:iq:conference'>"
                        + "<name>Own Room</name><nick/><privacy/></query></iq>");
    }
}
