package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.aliceBobCarol;
import static org.palaver.testkit.Scenes.assertAliceLeft;
import static org.palaver.testkit.Scenes.assertAliceStays;
import static org.palaver.testkit.Scenes.err;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.palaver.testkit.Harness;

/**
 * Spec §10.3 (update): an error from an occupant removes it only when the condition says the
 * occupant is gone; any other error is ignored (counted). The stock slixmpp join failure of issue 9
 * is the {@code undefined-condition} case.
 */
class OccupantErrorTest {

    @ParameterizedTest
    @ValueSource(strings = {"gone", "item-not-found", "recipient-unavailable", "redirect",
        "remote-server-not-found", "remote-server-timeout", "service-unavailable"})
    void goneConditionsRemove(String condition) {
        Harness h = aliceBobCarol();
        assertAliceLeft(h, h.in("<message type='error' to='" + R + "' from='" + A + "'><body>hi</body>"
                + err(404, "cancel", condition) + "</message>"));
        assertEquals(0, h.service().count(RoomEvent.ERROR_IGNORED));
        assertEquals(1, h.service().participantsBounced());
    }

    @ParameterizedTest
    @ValueSource(strings = {"302", "404", "502", "503", "504", "510"})
    void goneLegacyCodesRemove(String code) {
        Harness h = aliceBobCarol();
        assertAliceLeft(h, h.in("<message type='error' to='" + R + "' from='" + A + "'>"
                + "<error code='" + code + "'/></message>"));
    }

    @ParameterizedTest
    @CsvSource({"500,wait,undefined-condition", "501,cancel,feature-not-implemented",
        "400,modify,bad-request", "500,wait,internal-server-error", "406,modify,not-acceptable",
        "403,auth,forbidden"})
    void otherConditionsAreIgnoredAndCounted(int code, String type, String condition) {
        Harness h = aliceBobCarol();
        // The slixmpp case: the client rejects one of our messages with an error of its own.
        assertOut(h.in("<message type='error' to='" + R + "' from='" + A + "'><subject>x</subject>"
                + err(code, type, condition) + "</message>"));
        assertAliceStays(h);
        assertEquals(1, h.service().count(RoomEvent.ERROR_IGNORED));
        assertEquals(0, h.service().participantsBounced());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<error code='500'/>", "<error/>", "", "<error code='400'><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>x</text></error>"})
    void errorsWithoutAGoneConditionAreIgnored(String error) {
        Harness h = aliceBobCarol();
        assertOut(h.in("<message type='error' to='" + R + "' from='" + A + "'>" + error + "</message>"));
        assertAliceStays(h);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/alice", "/nobody"})
    void presenceErrorsFollowTheSameRule(String resource) {
        Harness h = aliceBobCarol();
        assertOut(h.in("<presence type='error' to='" + R + resource + "' from='" + A + "'>"
                + err(500, "wait", "undefined-condition") + "</presence>"));
        assertAliceStays(h);
        assertAliceLeft(h, h.in("<presence type='error' to='" + R + resource + "' from='" + A + "'>"
                + err(503, "cancel", "service-unavailable") + "</presence>"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"undefined-condition", "service-unavailable"})
    void messageErrorsToAnOccupantJidFollowTheRule(String condition) {
        Harness h = aliceBobCarol();
        var out = h.in("<message type='error' to='" + R + "/bob' from='" + A + "'>"
                + err(503, "cancel", condition) + "</message>");
        if (condition.equals("service-unavailable")) {
            assertAliceLeft(h, out);
        } else {
            assertOut(out);
            assertAliceStays(h);
        }
    }
}
