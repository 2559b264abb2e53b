package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.R;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.xml.Element;

/**
 * Issue 10, limits per user and room: per sender (bare JID) and per room token buckets, and the size
 * of the presence a room keeps per occupant; refused with an error and counted.
 */
class RateLimitTest {
    private static Harness harness(Limits limits) {
        return new Harness(ServiceSettings.defaults(Harness.S).withLimits(limits));
    }

    private static String groupchat(String from, int i) {
        return "<message from='" + from + "' to='" + R + "' type='groupchat' id='m" + i + "'><body>" + i + "</body></message>";
    }

    private static String condition(List<Element> out) {
        return out.size() == 1 && "error".equals(out.get(0).attr("type"))
                ? out.get(0).child("error").firstElement().name() : null;
    }

    @Test
    void aSenderOverItsBurstGetsPolicyViolationUntilTokensRefill() {
        Harness h = harness(new Limits(2, 3, 0, 1, 16384));
        h.given("<presence from='" + A + "' to='" + R + "/a'/>"); // token 1
        h.given(groupchat(A, 1)).given(groupchat(A, 2)); // tokens 2, 3
        List<Element> out = h.in(groupchat(A, 3));
        assertEquals("policy-violation", condition(out), out.toString());
        assertEquals("wait", out.get(0).child("error").attr("type"));
        assertEquals("m3", out.get(0).attr("id"));
        assertEquals(1, h.service().senderRateLimited());
        h.advance(500); // one token back at 2 per second
        assertEquals(null, condition(h.in(groupchat(A, 4))));
        assertEquals("policy-violation", condition(h.in(groupchat("alice@example.org/phone", 5))),
                "the bucket is the bare JID's, shared by its resources");
        assertEquals(1, h.in("<presence from='" + A + "' to='" + R + "/a' type='unavailable'/>").size(),
                "leaving is never limited");
        assertEquals(2, h.service().senderRateLimited());
    }

    @Test
    void aRoomOverItsBurstGetsResourceConstraint() {
        Harness h = harness(new Limits(0, 1, 1, 4, 16384));
        h.given("<presence from='" + A + "' to='" + R + "/a'/>").given("<presence from='" + B + "' to='" + R + "/b'/>");
        h.given(groupchat(A, 1)).given(groupchat(B, 2));
        List<Element> out = h.in(groupchat(A, 3));
        assertEquals("resource-constraint", condition(out), out.toString());
        assertEquals(1, h.service().roomRateLimited());
        h.advance(1000);
        assertEquals(2, h.in(groupchat(B, 4)).size(), "delivered to both again");
    }

    @Test
    void theDefaultsLetAnyConversationThroughAndOffMeansOff() {
        for (Limits limits : new Limits[] {Limits.defaults(), Limits.off()}) {
            Harness h = harness(limits);
            h.given("<presence from='" + A + "' to='" + R + "/a'/>");
            for (int i = 0; i < 500; i++) {
                h.advance(100);
                assertEquals(1, h.in(groupchat(A, i)).size());
            }
            assertEquals(0, h.service().senderRateLimited() + h.service().roomRateLimited());
        }
        Harness off = harness(Limits.off());
        off.given("<presence from='" + A + "' to='" + R + "/a'/>");
        for (int i = 0; i < 20_000; i++) {
            off.given(groupchat(A, i));
        }
        assertEquals(0, off.service().senderRateLimited());
    }

    /** Issue 10: 200 resources with a 200 KB status held 40 MB, and every later join replayed it all. */
    @Test
    void anOversizedPresenceIsRefusedBeforeItIsKept() {
        Harness h = harness(new Limits(0, 1, 0, 1, 1024));
        String big = "s".repeat(2000);
        List<Element> out = h.in("<presence from='" + A + "' to='" + R + "/a'><status>" + big + "</status></presence>");
        assertEquals("not-acceptable", condition(out), out.toString());
        assertEquals(0, h.service().roomCount(), "no room created for it");
        assertEquals(1, h.service().refused(Refusal.PRESENCE_SIZE));
        h.given("<presence from='" + A + "' to='" + R + "/a'><status>fine</status></presence>");
        out = h.in("<presence from='" + A + "' to='" + R + "/a'><status>" + big + "</status></presence>");
        assertEquals("not-acceptable", condition(out), "an update is refused too: " + out);
        List<Element> join = h.in("<presence from='" + B + "' to='" + R + "/b'/>");
        assertEquals(true, join.stream().anyMatch(e -> "fine".equals(e.childText("status"))),
                "the kept presence is the last acceptable one: " + join);
    }
}
