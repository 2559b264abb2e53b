package org.palaver.core;

import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.HA;
import static org.palaver.testkit.Harness.HC;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.aliceBobCarol;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.presence;
import static org.palaver.testkit.Scenes.push;
import static org.palaver.testkit.Scenes.unavailable;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;

/** Spec §18.7 (43–45): nick changes through jabber:iq:conference (§6.2.2, §9.3). */
class Scenario43To45NickTest {
    private static String nickSet(String id, String nick) {
        return "<iq type='set' id='" + id + "' to='" + R + "' from='" + A + "'>"
                + "<query xmlns='jabber:iq:conference'><nick>" + nick + "</nick></query></iq>";
    }

    @Test
    void s43_newStyleRename() {
        Harness h = aliceBobCarol();
        assertOut(h.in(nickSet("n1", "ally")),
                push(A, R, HA, "ally"),
                push(B, R, HA, "ally"),
                unavailable(C, R + "/alice"),
                presence(C, R + "/ally", ""),
                notice(A, R, "alice is now known as ally"),
                notice(B, R, "alice is now known as ally"),
                notice(C, R, "alice is now known as ally"),
                "<iq type='result' id='n1' from='" + R + "' to='" + A + "'/>");
        // the new nick is in use from now on: Carol reaches Alice by it (shown to new-style Alice by hash)
        assertOut(h.in("<message to='" + R + "/ally' from='" + C + "'><body>hey</body></message>"),
                "<message to='" + A + "' from='" + R + "/" + HC + "'><body>hey</body></message>");
    }

    @Test
    void s44_renameToTakenNick() {
        Harness h = aliceBobCarol();
        assertOut(h.in(nickSet("n2", "bob")),
                "<iq type='error' id='n2' from='" + R + "' to='" + A + "'><query xmlns='jabber:iq:conference'>"
                        + "<nick>bob</nick></query>" + err(409) + "</iq>");
    }

    @Test
    void s45_renameToOwnNick() {
        Harness h = aliceBobCarol();
        assertOut(h.in(nickSet("n3", "alice")), "<iq type='result' id='n3' from='" + R + "' to='" + A + "'/>");
    }
}
