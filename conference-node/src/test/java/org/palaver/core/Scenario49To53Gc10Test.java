package org.palaver.core;

import static org.palaver.testkit.Expect.anyOrder;
import static org.palaver.testkit.Expect.recipients;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HC;
import static org.palaver.testkit.Harness.HD;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.aliceBobCarol;
import static org.palaver.testkit.Scenes.aliceJoins;
import static org.palaver.testkit.Scenes.bobJoins;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.groupchat;
import static org.palaver.testkit.Scenes.harness;
import static org.palaver.testkit.Scenes.joinResult;
import static org.palaver.testkit.Scenes.notice;
import static org.palaver.testkit.Scenes.presence;
import static org.palaver.testkit.Scenes.push;
import static org.palaver.testkit.Scenes.say;
import static org.palaver.testkit.Scenes.settings;
import static org.palaver.testkit.Scenes.xDelay;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Expect;
import org.palaver.testkit.Harness;

/** Spec §18.8, scenarios 49–53: groupchat 1.0 joins, conflicts, updates, instant rooms. */
class Scenario49To53Gc10Test {

    @Test
    void s49_legacyJoin() {
        Harness h = harness();
        aliceJoins(h);
        bobJoins(h);
        h.given("<presence to='" + R + "' from='" + B + "'><show>away</show></presence>");
        say(h, A, "before");

        var out = h.in("<presence to='" + R + "/carol' from='" + C + "'><status>hello</status></presence>");
        // §9.2: others' cached presences (order among them unspecified), then Carol's own cached
        // join presence (DEV-4) last, history from R/<nick>, no topic (none set), the join notice.
        recipients(out)
                .to(C, anyOrder(presence(C, R + "/alice", ""), presence(C, R + "/bob", "<show>away</show>")),
                        presence(C, R + "/carol", "<status>hello</status>"),
                        groupchat(C, R + "/alice", "<body>before</body>" + xDelay(R, 0)),
                        notice(C, R, "carol has become available"))
                .to(A, push(A, R, HC, "carol"), notice(A, R, "carol has become available"))
                .to(B, push(B, R, HC, "carol"), notice(B, R, "carol has become available"))
                .andNothingElse();
    }

    @Test
    void s50_legacyJoinNickConflict() {
        Harness h = harness();
        bobJoins(h);
        assertOut(h.in("<presence to='" + R + "/bob' from='" + D + "'/>"),
                "<presence type='error' from='" + R + "/bob' to='" + D + "'>" + err(409) + "</presence>");

        // D is not entered (an outsider's message is refused) ...
        assertOut(h.in("<message type='groupchat' to='" + R + "' from='" + D + "'><body>x</body></message>"),
                "<message type='error' from='" + R + "' to='" + D + "'><body>x</body>" + err(403) + "</message>");
        // ... but registered: a new-style set is accepted without another presence.
        var out = h.in("<iq type='set' id='j' to='" + R + "' from='" + D + "'>"
                + "<query xmlns='jabber:iq:conference'><nick>dave</nick></query></iq>");
        Expect.seq(Harness.to(out, D).subList(0, 1), joinResult(D, R, "j", "dave", "The Lounge", HD));
    }

    @Test
    void s51_legacyJoinToSecretRoom() {
        Harness h = new Harness(settings(10, "foo"));
        assertOut(h.in("<presence to='" + R + "/carol' from='" + C + "'/>"),
                "<presence type='error' from='" + R + "/carol' to='" + C + "'>" + err(405) + "</presence>");
    }

    @Test
    void s52_legacyPresenceUpdate() {
        Harness h = aliceBobCarol();
        var out = h.in("<presence to='" + R + "/carol' from='" + C + "'><show>dnd</show></presence>");
        recipients(out)
                .to(A, presence(A, R + "/" + HC, "<show>dnd</show>"))
                .to(B, presence(B, R + "/" + HC, "<show>dnd</show>"))
                .to(C, presence(C, R + "/carol", "<show>dnd</show>"))
                .andNothingElse();

        // The update is cached: a later legacy joiner sees Carol dnd.
        var join = h.in("<presence to='" + R + "/dave' from='" + D + "'/>");
        Expect.seq(Harness.to(join, D).subList(0, 3), anyOrder(presence(D, R + "/alice", ""),
                presence(D, R + "/bob", ""), presence(D, R + "/carol", "<show>dnd</show>")));
    }

    @Test
    void s53_legacyJoinCreatesInstantRoom() {
        Harness h = harness();
        String fresh = "fresh@" + S;
        assertOut(h.in("<presence to='" + fresh + "/carol' from='" + C + "'/>"),
                presence(C, fresh + "/carol", ""),
                notice(C, fresh, "carol has become available"));

        // Carol is the owner: her in-room set may name the room (§5.3, §6.2.2) ...
        assertOut(h.in("<iq type='set' id='n1' to='" + fresh + "' from='" + C + "'>"
                        + "<query xmlns='jabber:iq:conference'><name>Fresh</name></query></iq>"),
                "<iq type='result' id='n1' from='" + fresh + "' to='" + C + "'/>");
        // ... which outsiders then see (a dynamic room allows privacy, §5.1).
        assertOut(h.in("<iq type='get' id='g1' to='" + fresh + "' from='" + D + "'>"
                        + "<query xmlns='jabber:iq:conference'/></iq>"),
                "<iq type='result' id='g1' from='" + fresh + "' to='" + D + "'><query xmlns='jabber:iq:conference'>"
                        + "<name>Fresh</name><nick/><privacy/></query></iq>");
    }
}
