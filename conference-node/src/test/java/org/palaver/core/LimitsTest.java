package org.palaver.core;

import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.NS_STANZAS;
import static org.palaver.testkit.Scenes.joinLegacy;
import static org.palaver.testkit.Scenes.joinNewStyle;
import static org.palaver.testkit.Scenes.leave;
import static org.palaver.testkit.Scenes.register;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;

/**
 * Nick and room-size limits (docs/architecture.md#limits-on-input; decisions 14 and 19): a refused
 * nick is 400 bad-request with a readable text, a full room 503 service-unavailable.
 */
class LimitsTest {
    private static String err(int code, String type, String condition, String text) {
        return "<error code='" + code + "' type='" + type + "'><" + condition + " xmlns='" + NS_STANZAS + "'/>"
                + "<text xmlns='" + NS_STANZAS + "'>" + text + "</text></error>";
    }

    private static Harness harness(int maxNick, int maxParticipants) {
        return new Harness(Scenes.settings().withLimits(maxNick, maxParticipants));
    }

    @Test
    void gc10JoinWithTooLongNick() {
        Harness h = harness(5, 0);
        assertOut(h.in("<presence to='" + R + "/carolina' from='" + C + "'/>"),
                "<presence type='error' from='" + R + "/carolina' to='" + C + "'>"
                        + err(400, "modify", "bad-request", "nick longer than 5 characters") + "</presence>");
    }

    @Test
    void gc10JoinWithBlankOrControlNick() {
        Harness h = harness(64, 0);
        assertOut(h.in("<presence to='" + R + "/ ' from='" + C + "'/>"),
                "<presence type='error' from='" + R + "/ ' to='" + C + "'>"
                        + err(400, "modify", "bad-request", "nick must not be empty") + "</presence>");
        assertOut(h.in("<presence to='" + R + "/a&#x85;b' from='" + C + "'/>"),
                "<presence type='error' from='" + R + "/a&#x85;b' to='" + C + "'>"
                        + err(400, "modify", "bad-request", "nick contains a control character (U+0085)") + "</presence>");
    }

    @Test
    void iqJoinWithOnlyBadNicksIsBadRequest() {
        Harness h = harness(5, 0);
        register(h, R, A);
        String q = "<query xmlns='jabber:iq:conference'><nick>alice_long</nick></query>";
        assertOut(h.in("<iq type='set' id='j' to='" + R + "' from='" + A + "'>" + q + "</iq>"),
                "<iq type='error' id='j' from='" + R + "' to='" + A + "'>" + q
                        + err(400, "modify", "bad-request", "nick longer than 5 characters") + "</iq>");
    }

    @Test
    void renameToBadNickIsBadRequestAndChangesNothing() {
        Harness h = harness(5, 0);
        joinNewStyle(h, R, A, "alice", null);
        String q = "<query xmlns='jabber:iq:conference'><nick>alice_long</nick></query>";
        assertOut(h.in("<iq type='set' id='n' to='" + R + "' from='" + A + "'>" + q + "</iq>"),
                "<iq type='error' id='n' from='" + R + "' to='" + A + "'>" + q
                        + err(400, "modify", "bad-request", "nick longer than 5 characters") + "</iq>");
        assertOut(h.in("<iq type='get' id='g' to='" + R + "' from='" + A + "'><query xmlns='jabber:iq:conference'/></iq>"),
                "<iq type='result' id='g' from='" + R + "' to='" + A + "'><query xmlns='jabber:iq:conference'>"
                        + "<name>The Lounge</name><nick>alice</nick><id>" + R + "/" + Harness.HA + "</id></query></iq>");
    }

    @Test
    void fullRoomRefusesBothJoinPaths() {
        Harness h = harness(64, 2);
        joinNewStyle(h, R, A, "alice", null);
        joinLegacy(h, R, B, "bob");
        register(h, R, C);
        String q = "<query xmlns='jabber:iq:conference'><nick>carol</nick></query>";
        assertOut(h.in("<iq type='set' id='j' to='" + R + "' from='" + C + "'>" + q + "</iq>"),
                "<iq type='error' id='j' from='" + R + "' to='" + C + "'>" + q
                        + err(503, "cancel", "service-unavailable", "room is full") + "</iq>");
        assertOut(h.in("<presence to='" + R + "/dave' from='" + D + "'/>"),
                "<presence type='error' from='" + R + "/dave' to='" + D + "'>"
                        + err(503, "cancel", "service-unavailable", "room is full") + "</presence>");
        // a leave makes room again
        leave(h, R, A);
        assertOut(h.in("<presence to='" + R + "/dave' from='" + D + "'/>").subList(0, 1),
                "<presence to='" + D + "' from='" + R + "/bob'/>");
    }
}
