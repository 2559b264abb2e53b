package org.palaver.core;

import static org.palaver.testkit.Expect.recipients;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.HA;
import static org.palaver.testkit.Harness.HC;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.aliceBobCarol;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.groupchat;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.presence;
import static org.palaver.testkit.Scenes.push;
import static org.palaver.testkit.Scenes.unavailable;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;

/** Spec §18.7, scenarios 46–48: gc-1.0 renames and the Coccinella browse rename. */
class Scenario46To48NickTest {

    @Test
    void s46_legacyRename() {
        Harness h = aliceBobCarol();
        var out = h.in("<presence to='" + R + "/caz' from='" + C + "'/>");
        // §9.3: legacy recipients get unavailable from the old nick, then the renamer's cached
        // presence (the rename presence itself, DEV-4) from the new nick; new-style recipients a
        // push; then the rename notice to everyone.
        recipients(out)
                .to(C, unavailable(C, R + "/carol"), presence(C, R + "/caz", ""),
                        notice(C, R, "carol is now known as caz"))
                .to(A, push(A, R, HC, "caz"), notice(A, R, "carol is now known as caz"))
                .to(B, push(B, R, HC, "caz"), notice(B, R, "carol is now known as caz"))
                .andNothingElse();

        // The new nick is in effect: Carol's messages now come from R/caz.
        recipients(h.in("<message type='groupchat' to='" + R + "' from='" + C + "'><body>x</body></message>"))
                .to(A, groupchat(A, R + "/" + HC, "<body>x</body>"))
                .to(B, groupchat(B, R + "/" + HC, "<body>x</body>"))
                .to(C, groupchat(C, R + "/caz", "<body>x</body>"))
                .andNothingElse();
    }

    @Test
    void s47_legacyRenameConflict() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<presence to='" + R + "/bob' from='" + C + "'/>"),
                "<presence type='error' from='" + R + "/bob' to='" + C + "'>" + err(409) + "</presence>");

        // Nothing else changed: Carol is still "carol".
        recipients(h.in("<message type='groupchat' to='" + R + "' from='" + C + "'><body>x</body></message>"))
                .to(A, groupchat(A, R + "/" + HC, "<body>x</body>"))
                .to(B, groupchat(B, R + "/" + HC, "<body>x</body>"))
                .to(C, groupchat(C, R + "/carol", "<body>x</body>"))
                .andNothingElse();
    }

    @Test
    void s48_coccinellaBrowseRename() {
        Harness h = aliceBobCarol();
        String payload = "<conference xmlns='jabber:iq:browse'><user name='x' jid='" + R + "/" + HA + "'/></conference>";
        assertOut(h.in("<iq type='set' id='cr1' to='" + R + "' from='" + A + "'>" + payload + "</iq>"),
                "<iq type='error' id='cr1' from='" + R + "' to='" + A + "'>" + payload + err(403) + "</iq>");

        // Alice kept her nick.
        recipients(h.in("<message type='groupchat' to='" + R + "' from='" + A + "'><body>x</body></message>"))
                .to(A, groupchat(A, R + "/" + HA, "<body>x</body>"))
                .to(B, groupchat(B, R + "/" + HA, "<body>x</body>"))
                .to(C, groupchat(C, R + "/alice", "<body>x</body>"))
                .andNothingElse();
    }
}
