package org.palaver.core;

import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HA;
import static org.palaver.testkit.Harness.HB;
import static org.palaver.testkit.Harness.HC;
import static org.palaver.testkit.Harness.HD;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.HELP;
import static org.palaver.testkit.Scenes.aliceBobCarol;
import static org.palaver.testkit.Scenes.aliceJoins;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.joinNewStyle;
import static org.palaver.testkit.Scenes.presence;
import static org.palaver.testkit.Scenes.register;
import static org.palaver.testkit.Scenes.xDelay;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Element;

/** Spec §18.6: traffic (§8). */
class Scenario30To42TrafficTest {
    @Test
    void s30_groupchatBroadcast() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<message type='chat' id='m1' to='" + R + "' from='" + B + "'><body>hi</body></message>"),
                "<message type='groupchat' id='m1' to='" + A + "' from='" + R + "/" + HB + "'><body>hi</body></message>",
                "<message type='groupchat' id='m1' to='" + B + "' from='" + R + "/" + HB + "'><body>hi</body></message>",
                "<message type='groupchat' id='m1' to='" + C + "' from='" + R + "/bob'><body>hi</body></message>");
        // stored in history: a later joiner gets it
        register(h, R, D);
        List<Element> out = h.in("<iq type='set' id='j' to='" + R + "' from='" + D + "'>"
                + "<query xmlns='jabber:iq:conference'><nick>dave</nick></query></iq>");
        assertOut(Harness.filter(Harness.to(out, D), e -> e.name().equals("message") && e.child("body") != null
                        && e.childText("body").equals("hi")),
                "<message type='groupchat' id='m1' to='" + D + "' from='" + R + "/" + HB + "'><body>hi</body>"
                        + xDelay(R, 0) + "</message>");
    }

    @Test
    void s31_outsiderMessage() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<message to='" + R + "' from='" + D + "'><body>let me in</body></message>"),
                "<message type='error' from='" + R + "' to='" + D + "'><body>let me in</body>" + err(403) + "</message>");
    }

    @Test
    void s32_privateMessageNewToNew() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<message type='chat' to='" + R + "/" + HB + "' from='" + A + "'><body>psst</body></message>"),
                "<message type='chat' to='" + B + "' from='" + R + "/" + HA + "'><body>psst</body></message>");
    }

    @Test
    void s33_privateMessageLegacyToNewByNick() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<message type='chat' to='" + R + "/bob' from='" + C + "'><body>psst</body></message>"),
                "<message type='chat' to='" + B + "' from='" + R + "/" + HC + "'><body>psst</body></message>");
    }

    @Test
    void s34_privateMessageNewToLegacy() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<message to='" + R + "/" + HC + "' from='" + A + "'><body>psst</body></message>"),
                "<message to='" + C + "' from='" + R + "/alice'><body>psst</body></message>");
    }

    @Test
    void s35_unknownTarget() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<message to='" + R + "/nobody' from='" + A + "'><body>?</body></message>"),
                "<message type='error' from='" + R + "/nobody' to='" + A + "'><body>?</body>" + err(404) + "</message>");
    }

    @Test
    void s36_presenceUpdateBroadcast() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<presence to='" + R + "' from='" + B + "'><show>away</show><status>lunch</status></presence>"),
                presence(A, R + "/" + HB, "<show>away</show><status>lunch</status>"),
                presence(B, R + "/" + HB, "<show>away</show><status>lunch</status>"),
                presence(C, R + "/bob", "<show>away</show><status>lunch</status>"));
        // cached: a later new-style joiner gets it (DEV-5)
        register(h, R, D);
        List<Element> out = h.in("<iq type='set' id='j' to='" + R + "' from='" + D + "'>"
                + "<query xmlns='jabber:iq:conference'><nick>dave</nick></query></iq>");
        assertOut(Harness.filter(Harness.to(out, D), e -> e.name().equals("presence")),
                presence(D, R + "/" + HA, ""),
                presence(D, R + "/" + HB, "<show>away</show><status>lunch</status>"),
                presence(D, R + "/" + HC, ""));
    }

    @Test
    void s37_participantBrowseNonPrivate() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<iq type='get' id='b' to='" + R + "/" + HC + "' from='" + A + "'><query xmlns='jabber:iq:browse'/></iq>"),
                "<iq type='result' id='b' from='" + R + "/" + HC + "' to='" + A + "'>"
                        + "<user xmlns='jabber:iq:browse' name='carol'><user jid='" + C + "'/></user></iq>");
    }

    @Test
    void s38_participantLast() {
        Harness h = aliceBobCarol();
        h.advance(10_000);
        h.given("<message to='" + R + "' from='" + B + "'><body>x</body></message>");
        h.advance(42_500);
        assertOut(h.in("<iq type='get' id='l' to='" + R + "/" + HB + "' from='" + A + "'><query xmlns='jabber:iq:last'/></iq>"),
                "<iq type='result' id='l' from='" + R + "/" + HB + "' to='" + A + "'>"
                        + "<query xmlns='jabber:iq:last' seconds='42'/></iq>");
    }

    @Test
    void s39_privacyHonoured() {
        Harness h = Scenes.harness(); // the lounge allows privacy
        aliceJoins(h);
        register(h, R, B);
        h.given("<iq type='set' id='j' to='" + R + "' from='" + B + "'><query xmlns='jabber:iq:conference'>"
                + "<nick>bob</nick><privacy/></query></iq>");
        assertOut(h.in("<iq type='get' id='b' to='" + R + "/" + HB + "' from='" + A + "'><query xmlns='jabber:iq:browse'/></iq>"),
                "<iq type='result' id='b' from='" + R + "/" + HB + "' to='" + A + "'>"
                        + "<user xmlns='jabber:iq:browse' name='bob'/></iq>");
        assertOut(h.in("<iq type='get' id='v' to='" + R + "/" + HB + "' from='" + A + "'><query xmlns='jabber:iq:version'/></iq>"),
                "<iq type='error' id='v' from='" + R + "/" + HB + "' to='" + A + "'><query xmlns='jabber:iq:version'/>"
                        + err(403) + "</iq>");
        assertOut(h.in("<message to='" + R + "/" + HB + "' from='" + A + "'><body>hello</body></message>"),
                "<message to='" + B + "' from='" + R + "/" + HA + "'><body>hello</body></message>");
    }

    @Test
    void s40_privacyNotAllowed() {
        Harness h = Scenes.harness(); // help@S: predefined, no <privacy/>
        joinNewStyle(h, HELP, A, "alice", null);
        register(h, HELP, B);
        h.given("<iq type='set' id='j' to='" + HELP + "' from='" + B + "'><query xmlns='jabber:iq:conference'>"
                + "<nick>bob</nick><privacy/></query></iq>");
        assertOut(h.in("<iq type='get' id='b' to='" + HELP + "/" + HB + "' from='" + A + "'><query xmlns='jabber:iq:browse'/></iq>"),
                "<iq type='result' id='b' from='" + HELP + "/" + HB + "' to='" + A + "'>"
                        + "<user xmlns='jabber:iq:browse' name='bob'><user jid='" + B + "'/></user></iq>");
        assertOut(h.in("<iq type='get' id='g' to='" + HELP + "' from='" + D + "'><query xmlns='jabber:iq:conference'/></iq>"),
                "<iq type='result' id='g' from='" + HELP + "' to='" + D + "'><query xmlns='jabber:iq:conference'>"
                        + "<name>Assistance Zone</name><nick/></query></iq>");
    }

    @Test
    void s41_iqRelayAndAnswer() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<iq type='get' id='v9' to='" + R + "/" + HB + "' from='" + A + "'><query xmlns='jabber:iq:version'/></iq>"),
                "<iq type='get' id='v9' to='" + B + "' from='" + R + "/" + HA + "'><query xmlns='jabber:iq:version'/></iq>");
        String answer = "<query xmlns='jabber:iq:version'><name>x</name><version>1</version></query>";
        assertOut(h.in("<iq type='result' id='v9' to='" + R + "/" + HA + "' from='" + B + "'>" + answer + "</iq>"),
                "<iq type='result' id='v9' to='" + A + "' from='" + R + "/" + HB + "'>" + answer + "</iq>");
        // to a legacy target the sender is shown by nick
        assertOut(h.in("<iq type='get' id='v10' to='" + R + "/carol' from='" + A + "'><query xmlns='jabber:iq:version'/></iq>"),
                "<iq type='get' id='v10' to='" + C + "' from='" + R + "/alice'><query xmlns='jabber:iq:version'/></iq>");
    }

    @Test
    void s42_outsiderToParticipant() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<message to='" + R + "/" + HB + "' from='" + D + "'><body>hi</body></message>"),
                "<message type='error' from='" + R + "/" + HB + "' to='" + D + "'><body>hi</body>" + err(404) + "</message>");
        assertOut(h.in("<iq type='get' id='b' to='" + R + "/" + HB + "' from='" + D + "'><query xmlns='jabber:iq:browse'/></iq>"),
                "<iq type='error' id='b' from='" + R + "/" + HB + "' to='" + D + "'><query xmlns='jabber:iq:browse'/>"
                        + err(404) + "</iq>");
        // also from a registered (not entered) sender, and to a hash that belongs to nobody
        register(h, R, D);
        assertOut(h.in("<message to='" + R + "/" + HD + "' from='" + D + "'><body>me?</body></message>"),
                "<message type='error' from='" + R + "/" + HD + "' to='" + D + "'><body>me?</body>" + err(404) + "</message>");
    }
}
