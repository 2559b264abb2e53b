package org.palaver.core;

import static org.palaver.testkit.Expect.anyOrder;
import static org.palaver.testkit.Expect.recipients;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HA;
import static org.palaver.testkit.Harness.HB;
import static org.palaver.testkit.Harness.HC;
import static org.palaver.testkit.Harness.HD;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Scenes.LOUNGE;
import static org.palaver.testkit.Scenes.aliceJoins;
import static org.palaver.testkit.Scenes.bobJoins;
import static org.palaver.testkit.Scenes.carolJoinsLegacy;
import static org.palaver.testkit.Scenes.groupchat;
import static org.palaver.testkit.Scenes.harness;
import static org.palaver.testkit.Scenes.initialPush;
import static org.palaver.testkit.Scenes.joinResult;
import static org.palaver.testkit.Scenes.leave;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.presence;
import static org.palaver.testkit.Scenes.push;
import static org.palaver.testkit.Scenes.register;
import static org.palaver.testkit.Scenes.say;
import static org.palaver.testkit.Scenes.settings;
import static org.palaver.testkit.Scenes.xDelay;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;

/** Spec §18.9, scenarios 54–58: topic, history replay, size limit, no chop on leave (decision 42), history off. */
class Scenario54To58TopicHistoryTest {

    private static final String SET_JOIN_ALICE = "<iq type='set' id='ja' to='" + R + "' from='" + A + "'>"
            + "<query xmlns='jabber:iq:conference'><nick>alice</nick></query></iq>";

    private static String topic(String to, String subject, String setter) {
        return groupchat(to, R, "<subject>" + subject + "</subject><body>" + setter + " has set the topic to: "
                + subject + "</body>");
    }

    @Test
    void s54_topicAfterItScrolledOutOfHistory() {
        Harness h = new Harness(settings(2, null));
        bobJoins(h);
        carolJoinsLegacy(h);

        var out = h.in("<message to='" + R + "' from='" + B + "'><subject>T</subject></message>");
        recipients(out)
                .to(B, groupchat(B, R + "/" + HB, "<subject>T</subject>"))
                .to(C, groupchat(C, R + "/bob", "<subject>T</subject>"))
                .andNothingElse();
        say(h, B, "two");
        say(h, B, "three");

        register(h, R, A);
        recipients(h.in(SET_JOIN_ALICE))
                .to(A, joinResult(A, R, "ja", "alice", LOUNGE, HA),
                        initialPush(A, R, LOUNGE, HB, "bob", HC, "carol"),
                        anyOrder(presence(A, R + "/" + HB, ""), presence(A, R + "/" + HC, "")),
                        push(A, R, HA, "alice"),
                        groupchat(A, R + "/" + HB, "<body>two</body>" + xDelay(R, 0)),
                        groupchat(A, R + "/" + HB, "<body>three</body>" + xDelay(R, 0)),
                        topic(A, "T", "bob"),
                        notice(A, R, "alice has become available"))
                .to(B, push(B, R, HA, "alice"), notice(B, R, "alice has become available"))
                .to(C, presence(C, R + "/alice", ""), notice(C, R, "alice has become available"))
                .andNothingElse();
    }

    @Test
    void s55_historyReplayPerStyle() {
        Harness h = harness();
        aliceJoins(h);
        bobJoins(h);
        h.advance(1000);
        say(h, B, "one");
        h.advance(1000);
        say(h, A, "two");
        h.advance(60_000);

        recipients(h.in("<presence to='" + R + "/carol' from='" + C + "'/>"))
                .to(C, anyOrder(presence(C, R + "/alice", ""), presence(C, R + "/bob", "")),
                        presence(C, R + "/carol", ""),
                        groupchat(C, R + "/bob", "<body>one</body>" + xDelay(R, 1)),
                        groupchat(C, R + "/alice", "<body>two</body>" + xDelay(R, 2)),
                        notice(C, R, "carol has become available"))
                .to(A, push(A, R, HC, "carol"), notice(A, R, "carol has become available"))
                .to(B, push(B, R, HC, "carol"), notice(B, R, "carol has become available"))
                .andNothingElse();

        register(h, R, D);
        recipients(h.in("<iq type='set' id='jd' to='" + R + "' from='" + D + "'>"
                        + "<query xmlns='jabber:iq:conference'><nick>dave</nick></query></iq>"))
                .to(D, joinResult(D, R, "jd", "dave", LOUNGE, HD),
                        initialPush(D, R, LOUNGE, HA, "alice", HB, "bob", HC, "carol"),
                        anyOrder(presence(D, R + "/" + HA, ""), presence(D, R + "/" + HB, ""),
                                presence(D, R + "/" + HC, "")),
                        push(D, R, HD, "dave"),
                        groupchat(D, R + "/" + HB, "<body>one</body>" + xDelay(R, 1)),
                        groupchat(D, R + "/" + HA, "<body>two</body>" + xDelay(R, 2)),
                        notice(D, R, "dave has become available"))
                .to(A, push(A, R, HD, "dave"), notice(A, R, "dave has become available"))
                .to(B, push(B, R, HD, "dave"), notice(B, R, "dave has become available"))
                .to(C, presence(C, R + "/dave", ""), notice(C, R, "dave has become available"))
                .andNothingElse();
    }

    @Test
    void s56_historySizeLimit() {
        Harness h = harness();
        bobJoins(h);
        for (int i = 1; i <= 12; i++) {
            say(h, B, "m" + i);
        }
        List<Object> expected = new ArrayList<>(List.of(joinResult(A, R, "ja", "alice", LOUNGE, HA),
                initialPush(A, R, LOUNGE, HB, "bob"), presence(A, R + "/" + HB, ""), push(A, R, HA, "alice")));
        for (int i = 3; i <= 12; i++) {
            expected.add(groupchat(A, R + "/" + HB, "<body>m" + i + "</body>" + xDelay(R, 0)));
        }
        expected.add(notice(A, R, "alice has become available"));

        register(h, R, A);
        recipients(h.in(SET_JOIN_ALICE))
                .to(A, expected.toArray())
                .to(B, push(B, R, HA, "alice"), notice(B, R, "alice has become available"))
                .andNothingElse();
    }

    @Test
    void s57_noChopOnLeave() {
        Harness h = harness();
        aliceJoins(h);
        bobJoins(h);
        say(h, B, "1");
        say(h, A, "2");
        say(h, B, "3");
        say(h, A, "4");
        leave(h, R, B);

        // §11.2 update: authors are kept by value, leaving changes nothing; Bob's messages keep
        // the nick they were sent under.
        recipients(h.in("<presence to='" + R + "/carol' from='" + C + "'/>"))
                .to(C, presence(C, R + "/alice", ""), presence(C, R + "/carol", ""),
                        groupchat(C, R + "/bob", "<body>1</body>" + xDelay(R, 0)),
                        groupchat(C, R + "/alice", "<body>2</body>" + xDelay(R, 0)),
                        groupchat(C, R + "/bob", "<body>3</body>" + xDelay(R, 0)),
                        groupchat(C, R + "/alice", "<body>4</body>" + xDelay(R, 0)),
                        notice(C, R, "carol has become available"))
                .to(A, push(A, R, HC, "carol"), notice(A, R, "carol has become available"))
                .andNothingElse();
    }

    @Test
    void s58_historyDisabledStillSendsTopicAndNotice() {
        Harness h = new Harness(settings(0, null));
        bobJoins(h);
        h.given("<message type='groupchat' to='" + R + "' from='" + B + "'><subject>T</subject></message>");
        say(h, B, "x");

        register(h, R, A);
        // DEV-6: no history, but the topic message and the join notice are still sent.
        recipients(h.in(SET_JOIN_ALICE))
                .to(A, joinResult(A, R, "ja", "alice", LOUNGE, HA),
                        initialPush(A, R, LOUNGE, HB, "bob"),
                        presence(A, R + "/" + HB, ""),
                        push(A, R, HA, "alice"),
                        topic(A, "T", "bob"),
                        notice(A, R, "alice has become available"))
                .to(B, push(B, R, HA, "alice"), notice(B, R, "alice has become available"))
                .andNothingElse();
    }
}
