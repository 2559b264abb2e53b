package org.palaver.core;

import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.err;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;

/** Spec §3 step 0 and E1: what is dropped and what gets 400. */
class DispatchEdgeTest {
    @Test
    void unknownStanzaKindsAndTypesAreBadRequest() {
        Harness h = Scenes.harness();
        assertOut(h.in("<presence type='invisible' to='" + R + "' from='" + A + "'/>"),
                "<presence type='error' from='" + R + "' to='" + A + "'>" + err(400) + "</presence>");
        assertOut(h.in("<iq id='q' to='" + R + "' from='" + A + "'><query xmlns='jabber:iq:browse'/></iq>"),
                "<iq type='error' id='q' from='" + R + "' to='" + A + "'><query xmlns='jabber:iq:browse'/>" + err(400) + "</iq>");
        assertOut(h.in("<foo to='" + S + "' from='" + A + "'/>"),
                "<foo type='error' from='" + S + "' to='" + A + "'>" + err(400) + "</foo>");
    }

    @Test
    void foreignOrOwnAddressesAreDropped() {
        Harness h = Scenes.harness();
        assertOut(h.in("<message to='x@elsewhere.example' from='" + A + "'><body>x</body></message>"));
        assertOut(h.in("<message to='" + R + "' from='" + S + "'><body>x</body></message>"));
        assertOut(h.in("<message to='" + R + "' from='not a jid@example.org'><body>x</body></message>"));
        assertOut(h.in("<message to='bad room@elsewhere.example' from='" + A + "'><body>x</body></message>"));
        // an unparseable 'to' in our domain is answered (scenario 77), an error is not
        assertOut(h.in("<message to='bad room@" + S + "' from='" + A + "'><body>x</body></message>"),
                "<message type='error' from='bad room@" + S + "' to='" + A + "'><body>x</body>" + err(400) + "</message>");
        assertOut(h.in("<message type='error' to='bad room@" + S + "' from='" + A + "'><body>x</body></message>"));
    }

    @Test
    void roomDiscoWithANodeIsNotFound() {
        Harness h = Scenes.harness();
        String q = "<query xmlns='http://jabber.org/protocol/disco#info' node='x'/>";
        assertOut(h.in("<iq type='get' id='d' to='" + R + "' from='" + A + "'>" + q + "</iq>"),
                "<iq type='error' id='d' from='" + R + "' to='" + A + "'>" + q + err(404) + "</iq>");
        assertOut(h.in("<iq type='get' id='d' to='" + S + "' from='" + A + "'>" + q + "</iq>"),
                "<iq type='error' id='d' from='" + S + "' to='" + A + "'>" + q + err(404) + "</iq>");
    }
}
