package org.palaver.core;

import static org.palaver.testkit.Expect.recipients;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Scenes.NS_MUC;
import static org.palaver.testkit.Scenes.PARTICIPANT;
import static org.palaver.testkit.Scenes.bobJoins;
import static org.palaver.testkit.Scenes.groupchat;
import static org.palaver.testkit.Scenes.harness;
import static org.palaver.testkit.Scenes.mucUser;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.presence;
import static org.palaver.testkit.Scenes.push;
import static org.palaver.testkit.Scenes.say;
import static org.palaver.testkit.Scenes.xDelay;
import static org.palaver.testkit.Scenes.xmppDelay;
import static org.palaver.testkit.Harness.HD;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;

/**
 * Issue 9's stock-client join (spec §11.2, §13.2 updates): a MUC joiner into a room where someone
 * set a subject and talked gets the history without subject changes, then the subject exactly once;
 * its {@code <history/>} request is honoured; chat states and no-store messages are no history.
 */
class MucJoinHistoryTest {
    private static final String SUBJECT = "<subject>Spring cleaning</subject>";

    /** Bob sets the subject (with a body, as some clients do), talks, sends a chat state and a no-store message. */
    private static Harness roomWithSubjectAndTalk() {
        Harness h = harness();
        bobJoins(h);
        h.given("<message type='groupchat' to='" + R + "' from='" + B + "'>" + SUBJECT + "<body>new topic</body></message>");
        h.advance(1_000);
        h.given("<message type='groupchat' to='" + R + "' from='" + B + "'><subject>Spring cleaning</subject></message>");
        say(h, B, "first");
        h.advance(1_000);
        h.given("<message type='groupchat' to='" + R + "' from='" + B + "'>"
                + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
        h.given("<message type='groupchat' to='" + R + "' from='" + B + "'><body>off the record</body>"
                + "<no-store xmlns='urn:xmpp:hints'/></message>");
        say(h, B, "second");
        h.advance(60_000);
        return h;
    }

    private static String join(String history) {
        return "<presence to='" + R + "/dave' from='" + D + "'><x xmlns='" + NS_MUC + "'>" + history + "</x></presence>";
    }

    @Test
    void historyWithoutSubjectChangesThenTheSubjectOnce() {
        Harness h = roomWithSubjectAndTalk();
        recipients(h.in(join("<history maxstanzas='20'/>")))
                .to(D, presence(D, R + "/bob", mucUser(PARTICIPANT)),
                        presence(D, R + "/dave", mucUser(PARTICIPANT, 110)),
                        groupchat(D, R + "/bob", "<body>first</body>" + xDelay(R, 1) + xmppDelay(R, 1)),
                        groupchat(D, R + "/bob", "<body>second</body>" + xDelay(R, 2) + xmppDelay(R, 2)),
                        groupchat(D, R, SUBJECT))
                .to(B, push(B, R, HD, "dave"), notice(B, R, "dave has become available"))
                .andNothingElse();
    }

    @Test
    void maxstanzasZeroGivesNoHistoryButTheSubject() {
        Harness h = roomWithSubjectAndTalk();
        recipients(h.in(join("<history maxstanzas='0'/>")))
                .to(D, presence(D, R + "/bob", mucUser(PARTICIPANT)),
                        presence(D, R + "/dave", mucUser(PARTICIPANT, 110)),
                        groupchat(D, R, SUBJECT))
                .to(B, push(B, R, HD, "dave"), notice(B, R, "dave has become available"))
                .andNothingElse();
    }

    @Test
    void secondsAndSince() {
        Harness h = roomWithSubjectAndTalk(); // "first" 61 s old, "second" 60 s old
        recipients(h.in(join("<history seconds='60'/>")))
                .to(D, presence(D, R + "/bob", mucUser(PARTICIPANT)),
                        presence(D, R + "/dave", mucUser(PARTICIPANT, 110)),
                        groupchat(D, R + "/bob", "<body>second</body>" + xDelay(R, 2) + xmppDelay(R, 2)),
                        groupchat(D, R, SUBJECT))
                .to(B, push(B, R, HD, "dave"), notice(B, R, "dave has become available"))
                .andNothingElse();
        h.given("<presence type='unavailable' to='" + R + "/dave' from='" + D + "'/>");
        recipients(h.in(join("<history since='2026-01-02T03:04:06Z'/>")))
                .to(D, presence(D, R + "/bob", mucUser(PARTICIPANT)),
                        presence(D, R + "/dave", mucUser(PARTICIPANT, 110)),
                        groupchat(D, R + "/bob", "<body>first</body>" + xDelay(R, 1) + xmppDelay(R, 1)),
                        groupchat(D, R + "/bob", "<body>second</body>" + xDelay(R, 2) + xmppDelay(R, 2)),
                        groupchat(D, R, SUBJECT))
                .to(B, push(B, R, HD, "dave"), notice(B, R, "dave has become available"))
                .andNothingElse();
    }

    @Test
    void legacyJoinersKeepTheSpecsShape() {
        Harness h = roomWithSubjectAndTalk();
        // a replayed message carried the subject: no separate topic message (§11.1)
        recipients(h.in("<presence to='" + R + "/carol' from='" + Harness.C + "'/>"))
                .to(Harness.C, presence(Harness.C, R + "/bob", ""), presence(Harness.C, R + "/carol", ""),
                        groupchat(Harness.C, R + "/bob", SUBJECT + "<body>new topic</body>" + xDelay(R, 0)),
                        groupchat(Harness.C, R + "/bob", "<body>first</body>" + xDelay(R, 1)),
                        groupchat(Harness.C, R + "/bob", "<body>second</body>" + xDelay(R, 2)),
                        notice(Harness.C, R, "carol has become available"))
                .to(B, push(B, R, Harness.HC, "carol"), notice(B, R, "carol has become available"))
                .andNothingElse();
    }
}
