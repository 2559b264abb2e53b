package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.groupchat;
import static org.palaver.e2e.Received.presenceFrom;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.palaver.testkit.Await;
import org.palaver.xml.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 10, the heap budget: one node process under {@code -Xmx256m} with the default limits, behind
 * the real jabberd2. One abusive user (bare JID {@code u01}, five resources) runs every trick of
 * the issue: more rooms than allowed, 200 KB messages into all of them, 200 KB topics, room names
 * and descriptions, huge and long statuses from many resources, more user records than allowed, and a
 * flood. It gets an error for every refusal, the metrics count them, and meanwhile a legitimate
 * user's joins and messages go through and the node stays ready.
 */
class HeapBudgetIT {
    private static final Logger log = LoggerFactory.getLogger(HeapBudgetIT.class);
    private static final String SECRET = "limits-heap";
    private static final String DOMAIN = "@conference.localhost";
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** The defaults of Limits and ServiceSettings (the node runs without a {@code <limits>} section). */
    private static final int ROOMS_PER_USER = 100;
    private static final int REGISTRATIONS_PER_USER = 200;
    private static final int MAX_STATUS = 1024;
    private static final int USER_BURST = 2000;
    private static final String HUGE = "x".repeat(200 * 1024);

    @RegisterExtension
    static final RouterPerClass ROUTER = new RouterPerClass(SECRET);

    private static String room(int i) {
        return "abuse-" + i + DOMAIN;
    }

    @Test
    void anAbusiveUserCannotStopALegitimateOne() throws Exception {
        try (NodeProcesses processes = new NodeProcesses(ROUTER.jabberd2(), SECRET, 1, 0)) {
            processes.configure(xml -> xml.replace("<max-participants>0</max-participants>", ""));
            NodeProcesses.Node node = processes.start("heap");
            List<SmackClient> abuser = new ArrayList<>();
            try (SmackClient alice = SmackClient.login(ROUTER.jabberd2().c2sPort(), "alice", "legit");
                 SmackClient bob = SmackClient.login(ROUTER.jabberd2().c2sPort(), "bob", "legit")) {
                for (int r = 0; r < 5; r++) {
                    abuser.add(SmackClient.login(ROUTER.jabberd2().c2sPort(), "u01", "r" + r));
                }
                SmackClient main = abuser.get(0);
                String lounge = "lounge" + DOMAIN;
                alice.presence(lounge + "/alice");
                bob.presence(lounge + "/bob");
                bob.await(presenceFrom(lounge + "/alice"), "alice in the lounge");

                // more rooms than one user may hold: the rest are refused
                int tries = ROOMS_PER_USER + 20;
                for (int i = 0; i < tries; i++) {
                    main.presence(room(i) + "/boss");
                }
                main.await(error("resource-constraint"), tries - ROOMS_PER_USER, "rooms-per-user refusals");
                main.await(presenceFrom(room(ROOMS_PER_USER - 1) + "/boss"), "its last allowed room");
                awaitRefused(node, "rooms-per-user", tries - ROOMS_PER_USER);

                // 200 KB messages into every room: broadcast, never kept (larger than <history-bytes>)
                for (int i = 0; i < ROOMS_PER_USER; i++) {
                    main.say(room(i), HUGE);
                }
                legitimateUsersGetThrough(alice, bob, lounge, "during the 200 KB messages");
                main.await(groupchatBody(HUGE), ROOMS_PER_USER, "its own 200 KB messages");
                Await.until(WAIT, () -> metric(node, "palaver_room_events_total", "event=\"history_refused\"")
                        >= ROOMS_PER_USER, "every 200 KB message refused by history");

                // 200 KB topics, names and descriptions
                for (int i = 0; i < 10; i++) {
                    main.topic(room(i), HUGE);
                }
                Element name = main.iq(IQ.Type.set, room(0), "query", SmackClient.CONFERENCE, "<name>" + HUGE + "</name>");
                assertEquals("not-acceptable", condition(name), SmackClient.abbreviated(name));
                Element desc = main.iq(IQ.Type.set, room(0), "query", "http://jabber.org/protocol/muc#owner",
                        "<x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_roomdesc'><value>" + HUGE
                                + "</value></field></x>");
                assertEquals("not-acceptable", condition(desc), SmackClient.abbreviated(desc));
                main.await(error("not-acceptable"), 10, "topic refusals");
                awaitRefused(node, "topic-size", 11);
                awaitRefused(node, "room-name-size", 1);

                // many resources with huge and with long statuses
                for (SmackClient r : abuser) {
                    r.presence(room(0) + "/" + r.jid().getResourceOrEmpty(), HUGE);
                    r.presence(room(1) + "/" + r.jid().getResourceOrEmpty(), "s".repeat(MAX_STATUS + 1));
                }
                for (SmackClient r : abuser) {
                    r.await(error("not-acceptable"), r == main ? 14 : 2, "status refusals");
                }
                awaitRefused(node, "presence-size", abuser.size());
                awaitRefused(node, "status-size", abuser.size());

                // more user records than allowed: four more resources in half of its rooms
                for (SmackClient r : abuser.subList(1, abuser.size())) {
                    for (int i = 0; i < ROOMS_PER_USER / 2; i++) {
                        r.presence(room(i) + "/" + r.jid().getResourceOrEmpty(), "here");
                    }
                }
                int overRecords = ROOMS_PER_USER + 4 * ROOMS_PER_USER / 2 - REGISTRATIONS_PER_USER;
                awaitRefused(node, "registrations-per-user", overRecords);

                // a flood into a room where it is alone with its own resources
                String flooded = room(ROOMS_PER_USER - 1);
                int sent = 0;
                while (main.received(error("policy-violation")).isEmpty() && sent < 20 * USER_BURST) {
                    // rounds until the node refuses: how fast the flood arrives depends on the machine
                    for (int i = 0; i < USER_BURST; i++) {
                        main.say(flooded, "flood " + sent++);
                    }
                    main.await(groupchatBody("flood " + (sent - 1)).or(error("policy-violation")), "the round's end");
                }
                main.await(error("policy-violation"), "a rate-limit refusal");
                Await.until(WAIT, () -> metric(node, "palaver_rate_limited_total", "scope=\"user\"") > 0,
                        "the flood counted");
                legitimateUsersGetThrough(alice, bob, lounge, "after the abuse");
                String abused = room(0);
                alice.presence(abused + "/alice");
                alice.await(presenceFrom(abused + "/alice"), "alice's join to a room full of the abuser's resources");
                alice.say(abused, "I am still welcome");
                alice.await(groupchat(abused + "/alice", "I am still welcome"), "alice's message there");

                assertTrue(node.ready(), "the node stays ready");
                assertTrue(node.process().isAlive());
                assertFalse(node.logText().contains("OutOfMemoryError"), "the node ran out of memory");
                log.info("heap used after the abuse: {} bytes of {}",
                        metric(node, "jvm_memory_used_bytes", "area=\"heap\""),
                        metric(node, "jvm_memory_max_bytes", "area=\"heap\""));
            } finally {
                abuser.forEach(SmackClient::close);
            }
        }
    }

    /** Alice says something in the lounge and Bob hears it. */
    private static void legitimateUsersGetThrough(SmackClient alice, SmackClient bob, String lounge, String when)
            throws Exception {
        String text = "hello " + when;
        alice.say(lounge, text);
        bob.await(groupchat(lounge + "/alice", text), "alice's message " + when);
    }

    private static Predicate<Element> groupchatBody(String body) {
        return e -> e.name().equals("message") && "groupchat".equals(e.attr("type")) && body.equals(e.childText("body"));
    }

    private static Predicate<Element> error(String condition) {
        return e -> condition.equals(condition(e));
    }

    /** The defined condition of an error stanza; {@code null} for anything else. */
    private static String condition(Element e) {
        Element err = "error".equals(e.attr("type")) ? e.child("error") : null;
        if (err != null) {
            for (Element c : err.elements()) {
                if (!c.name().equals("text")) {
                    return c.name();
                }
            }
        }
        return null;
    }

    private static void awaitRefused(NodeProcesses.Node node, String limit, double atLeast) {
        Await.until(WAIT, () -> metric(node, "palaver_limit_refused_total", "limit=\"" + limit + "\"") >= atLeast,
                () -> "palaver_limit_refused_total{limit=\"" + limit + "\"} never reached " + atLeast + ": "
                        + metric(node, "palaver_limit_refused_total", "limit=\"" + limit + "\""));
    }

    /** The sum of the series of {@code metric} whose labels contain {@code label}. */
    private static double metric(NodeProcesses.Node node, String metric, String label) {
        double sum = 0;
        for (Map.Entry<String, Double> e : node.ops().scrape().entrySet()) {
            if (e.getKey().startsWith(metric + "{") && e.getKey().contains(label)) {
                sum += e.getValue();
            }
        }
        return sum;
    }
}
