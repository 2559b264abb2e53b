package org.palaver.core;

import static org.palaver.testkit.Expect.anyOrder;
import static org.palaver.testkit.Expect.recipients;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HA;
import static org.palaver.testkit.Harness.HD;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.aliceBobCarol;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.groupchat;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.presence;
import static org.palaver.testkit.Scenes.push;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Expect;
import org.palaver.testkit.Harness;

/** Spec §18.11, scenarios 69–71: jabber:x:conference and the invite: subject hack. */
class Scenario69To71InviteTest {

    /** A legacy joiner (Dave) sees the three occupants and gets no history and no topic. */
    private static void assertNothingStoredAndNoTopic(Harness h) {
        recipients(h.in("<presence to='" + R + "/dave' from='" + D + "'/>"))
                .to(D, anyOrder(presence(D, R + "/alice", ""), presence(D, R + "/bob", ""),
                                presence(D, R + "/carol", "")),
                        presence(D, R + "/dave", ""),
                        notice(D, R, "dave has become available"))
                .to(A, push(A, R, HD, "dave"), notice(A, R, "dave has become available"))
                .to(B, push(B, R, HD, "dave"), notice(B, R, "dave has become available"))
                .to(C, presence(C, R + "/dave", ""), notice(C, R, "dave has become available"))
                .andNothingElse();
    }

    @Test
    void s69_xConferencePassesThrough() {
        Harness h = aliceBobCarol();
        String inner = "<x xmlns='jabber:x:conference' jid='other@" + S + "'/><body>come</body>";
        recipients(h.in("<message to='" + R + "' from='" + A + "'>" + inner + "</message>"))
                .to(A, groupchat(A, R + "/" + HA, inner))
                .to(B, groupchat(B, R + "/" + HA, inner))
                .to(C, groupchat(C, R + "/alice", inner))
                .andNothingElse();
    }

    @Test
    void s70_inviteSubjectHack() {
        Harness h = aliceBobCarol();
        String inner = "<subject>invite:dave@example.org</subject><body>join us</body>";
        // Reading of §12.2: the message is forwarded as it is (type untouched, children kept); only
        // the addresses change: to the JID from the subject, from the sender's R/nick.
        assertOut(h.in("<message to='" + R + "' from='" + A + "'>" + inner + "</message>"),
                "<message to='dave@example.org' from='" + R + "/alice'>" + inner + "</message>");
        // Not in history and not a topic change.
        assertNothingStoredAndNoTopic(h);
    }

    @Test
    void s71_inviteHackWithBadJid() {
        Harness h = aliceBobCarol();
        String inner = "<subject>invite:</subject><body>join us</body>";
        var out = h.in("<message to='" + R + "' from='" + A + "'>" + inner + "</message>");
        // §14.2 E2 allows jid-malformed or bad-request (both 400/modify).
        String head = "<message type='error' from='" + R + "' to='" + A + "'>" + inner;
        Expect.oneOf(out,
                new Object[] {head + err(400, "modify", "jid-malformed") + "</message>"},
                new Object[] {head + err(400) + "</message>"});
        assertNothingStoredAndNoTopic(h);
    }
}
