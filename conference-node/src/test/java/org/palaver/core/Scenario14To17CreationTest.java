package org.palaver.core;

import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HA;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.push;
import static org.palaver.testkit.Scenes.register;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;

/** Spec §18.4: creation of dynamic rooms (§5.1). */
class Scenario14To17CreationTest {
    private static final String NEW = "newroom@" + S;
    private static final String GHOST = "ghost@" + S;
    private static final String CONF_GET = "<query xmlns='jabber:iq:conference'/>";

    @Test
    void s14_presenceCreatesARoom() {
        Harness h = Scenes.harness();
        assertOut(h.in("<presence to='" + NEW + "' from='" + A + "'/>"));
        assertOut(h.in("<iq type='get' id='g' to='" + NEW + "' from='" + A + "'>" + CONF_GET + "</iq>"),
                "<iq type='result' id='g' from='" + NEW + "' to='" + A + "'><query xmlns='jabber:iq:conference'>"
                        + "<name/><nick/><privacy/></query></iq>");
    }

    @Test
    void s15_ownerConfiguresAtJoin() {
        Harness h = Scenes.harness();
        register(h, NEW, A);
        assertOut(h.in("<iq type='set' id='j' to='" + NEW + "' from='" + A + "'><query xmlns='jabber:iq:conference'>"
                        + "<name>New Room</name><secret>pw</secret><nick>alice</nick></query></iq>"),
                "<iq type='result' id='j' from='" + NEW + "' to='" + A + "'><query xmlns='jabber:iq:conference'>"
                        + "<nick>alice</nick><name>New Room</name><id>" + NEW + "/" + HA + "</id></query></iq>",
                "<iq type='set' id='*' to='" + A + "' from='" + NEW + "'>"
                        + "<conference xmlns='jabber:iq:browse' name='New Room' type='public'/></iq>",
                push(A, NEW, HA, "alice"),
                notice(A, NEW, "alice has become available"));
        assertOut(h.in("<iq type='get' id='g' to='" + NEW + "' from='" + D + "'>" + CONF_GET + "</iq>"),
                "<iq type='result' id='g' from='" + NEW + "' to='" + D + "'><query xmlns='jabber:iq:conference'>"
                        + "<name>New Room</name><nick/><secret/><privacy/></query></iq>");
    }

    @Test
    void s16_nonPresenceCreatesNothing() {
        Harness h = Scenes.harness();
        assertOut(h.in("<message to='" + GHOST + "' from='" + A + "'><body>x</body></message>"),
                "<message type='error' from='" + GHOST + "' to='" + A + "'><body>x</body>" + err(404) + "</message>");
        assertOut(h.in("<iq type='set' id='s' to='" + GHOST + "' from='" + A + "'>" + CONF_GET + "</iq>"),
                "<iq type='error' id='s' from='" + GHOST + "' to='" + A + "'>" + CONF_GET + err(404) + "</iq>");
        assertOut(h.in("<presence type='unavailable' to='" + GHOST + "' from='" + A + "'/>"),
                "<presence type='error' from='" + GHOST + "' to='" + A + "'>" + err(404) + "</presence>");
        // still absent
        assertOut(h.in("<iq type='get' id='g' to='" + GHOST + "' from='" + A + "'>" + CONF_GET + "</iq>"),
                "<iq type='error' id='g' from='" + GHOST + "' to='" + A + "'>" + CONF_GET + err(404) + "</iq>");
    }

    @Test
    void s17_creationDisabled() {
        Harness h = new Harness(Scenes.settings().withDynamicRooms(false));
        assertOut(h.in("<presence to='" + GHOST + "/dave' from='" + D + "'/>"),
                "<presence type='error' from='" + GHOST + "/dave' to='" + D + "'>" + err(405) + "</presence>");
        assertOut(h.in("<iq type='get' id='g' to='" + GHOST + "' from='" + D + "'>" + CONF_GET + "</iq>"),
                "<iq type='error' id='g' from='" + GHOST + "' to='" + D + "'>" + CONF_GET + err(404) + "</iq>");
    }
}
