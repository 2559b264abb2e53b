package org.palaver.core;

import static org.palaver.testkit.Expect.anyOrder;
import static org.palaver.testkit.Expect.recipients;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HB;
import static org.palaver.testkit.Harness.HD;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.aliceBobCarol;
import static org.palaver.testkit.Scenes.assertAliceLeft;
import static org.palaver.testkit.Scenes.assertAliceStays;
import static org.palaver.testkit.Scenes.bobJoins;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.harness;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.presence;
import static org.palaver.testkit.Scenes.push;
import static org.palaver.testkit.Scenes.register;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Expect;
import org.palaver.testkit.Harness;

/** Spec §18.12, scenarios 72–80: malformed and hostile input. */
class Scenario72To80HostileInputTest {

    @Test
    void s72_iqSetWithoutPayloadFromOutsider() {
        Harness h = aliceBobCarol();
        register(h, R, D);
        assertOut(h.in("<iq type='set' id='i1' to='" + R + "' from='" + D + "'/>"),
                "<iq type='error' id='i1' from='" + R + "' to='" + D + "'>" + err(403) + "</iq>");
    }

    @Test
    void s73_iqGetWithoutPayloadFromParticipant() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<iq type='get' id='i2' to='" + R + "' from='" + A + "'/>"),
                "<iq type='error' id='i2' from='" + R + "' to='" + A + "'>" + err(405) + "</iq>");
    }

    @Test
    void s74_probeFromParticipantIsDropped() {
        Harness h = aliceBobCarol();
        h.given("<presence to='" + R + "' from='" + A + "'><show>chat</show></presence>");
        assertOut(h.in("<presence type='probe' to='" + R + "' from='" + A + "'/>"));

        // The cached presence is unchanged (DEV-9): a later joiner still sees Alice "chat".
        recipients(h.in("<presence to='" + R + "/dave' from='" + D + "'/>"))
                .to(D, anyOrder(presence(D, R + "/alice", "<show>chat</show>"), presence(D, R + "/bob", ""),
                                presence(D, R + "/carol", "")),
                        presence(D, R + "/dave", ""),
                        notice(D, R, "dave has become available"))
                .to(A, push(A, R, HD, "dave"), notice(A, R, "dave has become available"))
                .to(B, push(B, R, HD, "dave"), notice(B, R, "dave has become available"))
                .to(C, presence(C, R + "/dave", ""), notice(C, R, "dave has become available"))
                .andNothingElse();
    }

    @Test
    void s75_subscriptionToRoom() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<presence type='subscribe' to='" + R + "' from='" + D + "'/>"),
                "<presence type='error' from='" + R + "' to='" + D + "'>" + err(501) + "</presence>");
        assertOut(h.in("<presence type='subscribe' to='" + R + "' from='" + A + "'/>"),
                "<presence type='error' from='" + R + "' to='" + A + "'>" + err(405) + "</presence>");
        assertAliceStays(h);
    }

    @Test
    void s76_presenceErrorFromParticipant() {
        Harness h = aliceBobCarol();
        // DEV-13: removed like any leave (§10.1, the leaver included), no error reply.
        assertAliceLeft(h, h.in("<presence type='error' to='" + R + "' from='" + A + "'>"
                + err(404) + "</presence>"));
    }

    @Test
    void s77_invalidRoomJid() {
        Harness h = aliceBobCarol();
        var out = h.in("<message to='bad room@" + S + "' from='" + A + "'><body>x</body></message>");
        // Either 400 with the unparseable address echoed, or nothing (§18 scenario 77 allows both).
        Expect.oneOf(out,
                new Object[] {"<message type='error' from='bad room@" + S + "' to='" + A + "'><body>x</body>"
                        + err(400) + "</message>"},
                new Object[] {});
        // Nothing reached the lounge.
        assertAliceStays(h);
    }

    @Test
    void s78_impersonatingANick() {
        Harness h = harness();
        bobJoins(h);
        String mallory = "mallory@evil.example/x";
        assertOut(h.in("<presence to='" + R + "/bob' from='" + mallory + "'/>"),
                "<presence type='error' from='" + R + "/bob' to='" + mallory + "'>" + err(409) + "</presence>");
        assertOut(h.in("<message to='" + R + "' from='" + mallory + "'><body>I am bob</body></message>"),
                "<message type='error' from='" + R + "' to='" + mallory + "'><body>I am bob</body>"
                        + err(403) + "</message>");
    }

    @Test
    void s79_spoofedHashTarget() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<message type='chat' to='" + R + "/" + HB + "' from='" + D + "'><body>psst</body></message>"),
                "<message type='error' from='" + R + "/" + HB + "' to='" + D + "'><body>psst</body>"
                        + err(404) + "</message>");
    }

    @Test
    void s80_resultToRoom() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<iq type='result' id='q' to='" + R + "' from='" + A + "'/>"));
        // §14.1 "never answer iq result" also wins over E1 (400 for an unparseable 'to'): an empty
        // resource makes the address invalid, and still nothing is answered.
        assertOut(h.in("<iq type='result' id='q2' to='" + R + "/' from='" + A + "'/>"));
        assertAliceStays(h);
    }
}
