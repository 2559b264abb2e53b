package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.WireCore;
import org.palaver.xml.Element;
import org.palaver.xml.StreamError;

/**
 * Issue 10, deliverable 8: a seeded fuzzer, run in every build, against the real stream parser and
 * core. 100,000+ inputs: generated stanzas of every kind (joins, nick changes, groupchat, private
 * messages, iqs in the protocol namespaces, errors, leaves) with random addresses, sizes and
 * characters, and byte-level mutations of them (flips, insertions of hostile bytes, truncations,
 * duplications) fed in random splits. Checked after each input: no exception escapes the core
 * (the parser would report it as internal-server-error), every output is namespace-well-formed
 * for a strict parser ({@link WireCore}), every iq get/set the core received for the service or a
 * room is answered exactly once, and state stays bounded by what the inputs can name.
 */
class CoreFuzzTest {
    private static final String S = Harness.S;
    private static final int INPUTS = 100_000;
    private static final String[] USERS = {"a@x.org/1", "b@x.org/2", "c@y.net/3", "A@X.ORG/1", "d@x.org", "x.org",
        "e@x.org/\u00e9", "bad user@x.org/r", S, "r0@" + S + "/z"};
    private static final String[] ROOMS = {"r0@" + S, "r1@" + S, "R1@" + S, "r2@" + S, "r 3@" + S, "@@" + S, S};
    private static final String[] NICKS = {"n", "N", "nick", "\u00fcml", "a b", "", " x", "\u202Eevil", "\u2800",
        "z".repeat(70), "n/x", "&amp;", "&lt;b&gt;"};
    private static final String[] IQ_NS = {"jabber:iq:conference", "jabber:iq:browse", "jabber:iq:version",
        "jabber:iq:time", "jabber:iq:last", "http://jabber.org/protocol/disco#info",
        "http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/muc#owner",
        "http://jabber.org/protocol/muc#admin", "vcard-temp", "urn:xmpp:ping", "urn:x"};
    private static final byte[][] HOSTILE = {"<".getBytes(StandardCharsets.UTF_8), "&".getBytes(StandardCharsets.UTF_8),
        "]]>".getBytes(StandardCharsets.UTF_8), "</".getBytes(StandardCharsets.UTF_8), {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xFF}, {0}, "<!DOCTYPE x>".getBytes(StandardCharsets.UTF_8), "<?pi?>".getBytes(StandardCharsets.UTF_8),
        "&#0;".getBytes(StandardCharsets.UTF_8), "xmlns:p=''".getBytes(StandardCharsets.UTF_8),
        "<stream:stream>".getBytes(StandardCharsets.UTF_8)};

    @Test
    void seededInputsNeverBreakTheCoreOrTheOutput() {
        long seed = Long.getLong("fuzz.seed", 20261206L);
        Random rnd = new Random(seed);
        WireCore wire = new WireCore(new ConferenceService(ServiceSettings.defaults(S).withHistorySize(5), Harness.T0),
                Harness.T0);
        int streamErrors = 0;
        int iqsChecked = 0;
        for (int i = 0; i < INPUTS; i++) {
            String xml = stanza(rnd, i);
            byte[] input = rnd.nextInt(4) == 0 ? mutate(rnd, xml.getBytes(StandardCharsets.UTF_8))
                    : xml.getBytes(StandardCharsets.UTF_8);
            List<Element> out;
            try {
                out = wire.in(input);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ", input " + i + ": "
                        + new String(input, StandardCharsets.UTF_8) + ": " + e.getMessage(), e);
            }
            StreamError error = wire.lastError();
            if (error != null) {
                streamErrors++;
                assertTrue(!error.condition().equals(StreamError.INTERNAL_SERVER_ERROR),
                        "seed " + seed + ", input " + i + ": the core failed: " + error);
            }
            iqsChecked += checkIqsAnswered(wire.parsed(), out, seed, i);
            if (rnd.nextInt(500) == 0) {
                wire.advance(130_000).heartbeat();
            } else {
                wire.advance(rnd.nextInt(50));
            }
            assertTrue(wire.service().roomCount() <= ROOMS.length + 2, "rooms bounded by the names used");
            assertTrue(wire.service().participantCount() <= ROOMS.length * USERS.length, "participants bounded");
        }
        assertTrue(streamErrors > INPUTS / 100, "mutations reach the parser's refusals: " + streamErrors);
        assertTrue(streamErrors < INPUTS / 2, "most inputs are stanzas: " + streamErrors);
        assertTrue(iqsChecked > INPUTS / 40, "iqs checked: " + iqsChecked);
    }

    /** Every iq get/set to the service or a room (not to an occupant, which is relayed) is answered once. */
    private static int checkIqsAnswered(List<Element> in, List<Element> out, long seed, int step) {
        int checked = 0;
        for (Element iq : in) {
            String type = iq.attr("type");
            String to = iq.attr("to");
            String id = iq.attr("id");
            String from = iq.attr("from");
            if (!iq.name().equals("iq") || iq.namespace() != null || !("get".equals(type) || "set".equals(type))
                    || id == null || from == null || to == null || to.indexOf('/') >= 0 || !isUser(from)
                    || !(to.equals(S) || to.endsWith("@" + S))) {
                continue;
            }
            long answers = out.stream().filter(o -> o.name().equals("iq") && id.equals(o.attr("id"))
                    && from.equals(o.attr("to")) && ("result".equals(o.attr("type")) || "error".equals(o.attr("type"))))
                    .count();
            assertEquals(1, answers, "seed " + seed + ", input " + step + ": " + iq + " answered " + answers
                    + " times: " + out);
            checked++;
        }
        return checked;
    }

    /** A sender the core answers (DEV-8): a JID that parses, outside our domain. */
    private static boolean isUser(String from) {
        org.palaver.xml.Jid jid = org.palaver.xml.Jid.parse(from);
        return jid != null && !jid.domainIs(S);
    }

    private static String stanza(Random rnd, int i) {
        String from = pick(rnd, USERS);
        String room = pick(rnd, ROOMS);
        String nick = pick(rnd, NICKS);
        String id = "f" + i;
        switch (rnd.nextInt(9)) {
            case 0:
            case 1:
                return "<presence from='" + from + "' to='" + room + "/" + nick + "'>" + maybe(rnd, "<status>"
                        + text(rnd) + "</status>") + maybe(rnd, "<x xmlns='http://jabber.org/protocol/muc'/>") + "</presence>";
            case 2:
                return "<message from='" + from + "' to='" + room + "' type='groupchat' id='" + id + "'><body>"
                        + text(rnd) + "</body>" + maybe(rnd, "<subject>" + text(rnd) + "</subject>") + "</message>";
            case 3:
                return "<message from='" + from + "' to='" + room + "/" + nick + "' type='" + pick(rnd,
                        new String[] {"chat", "normal", "error", "headline"}) + "'><body>" + text(rnd) + "</body></message>";
            case 4:
            case 5:
                String to = rnd.nextInt(3) == 0 ? room + "/" + nick : rnd.nextBoolean() ? S : room;
                return "<iq from='" + from + "' to='" + to + "' id='" + id + "' type='" + pick(rnd,
                        new String[] {"get", "set", "get", "result", "error", "bogus"}) + "'>" + query(rnd) + "</iq>";
            case 6:
                return "<presence from='" + from + "' to='" + room + "/" + nick + "' type='" + pick(rnd,
                        new String[] {"unavailable", "probe", "error", "subscribe", "weird"}) + "'/>";
            case 7:
                return "<message from='" + from + "' to='" + room + "'><x xmlns='jabber:x:conference' jid='" + room
                        + "'/><body>invite:" + pick(rnd, USERS) + "</body></message>";
            default:
                String name = pick(rnd, new String[] {"message", "iq", "presence", "foo"});
                return "<" + name + " from='" + from + "' to='" + room + "' id='" + id + "' type='get'"
                        + maybe(rnd, " xmlns='urn:elsewhere'") + ">" + text(rnd) + "</" + name + ">";
        }
    }

    private static String query(Random rnd) {
        String ns = pick(rnd, IQ_NS);
        switch (rnd.nextInt(4)) {
            case 0:
                return "";
            case 1:
                return "<query xmlns='" + ns + "'/>";
            case 2:
                return "<query xmlns='" + ns + "'><nick>" + pick(rnd, NICKS) + "</nick><name>" + text(rnd)
                        + "</name><secret/><privacy/><item jid='" + pick(rnd, USERS) + "'/></query>";
            default:
                return "<ping xmlns='urn:xmpp:ping'/>";
        }
    }

    private static String text(Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0:
                return "";
            case 1:
                return "&lt;&amp;&gt;\u00e4\uD83D\uDE00&#x10FFFD;";
            case 2:
                return "x".repeat(rnd.nextInt(rnd.nextInt(10) == 0 ? 3000 : 100));
            case 3:
                return "<![CDATA[<b>]]>";
            default:
                return "hello " + rnd.nextInt(1000);
        }
    }

    private static String maybe(Random rnd, String s) {
        return rnd.nextBoolean() ? s : "";
    }

    private static String pick(Random rnd, String[] options) {
        return options[rnd.nextInt(options.length)];
    }

    private static byte[] mutate(Random rnd, byte[] in) {
        byte[] b = in.clone();
        switch (rnd.nextInt(5)) {
            case 0: // flip a byte
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                return b;
            case 1: { // insert a hostile fragment
                byte[] h = HOSTILE[rnd.nextInt(HOSTILE.length)];
                int at = rnd.nextInt(b.length + 1);
                byte[] out = new byte[b.length + h.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(h, 0, out, at, h.length);
                System.arraycopy(b, at, out, at + h.length, b.length - at);
                return out;
            }
            case 2: // truncate: the rest arrives with the next input, or never
                return java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
            case 3: { // duplicate a slice
                int from = rnd.nextInt(b.length);
                int len = rnd.nextInt(b.length - from) + 1;
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, from + len);
                System.arraycopy(b, from, out, from + len, b.length - from);
                return out;
            }
            default: // swap quotes and brackets
                for (int k = 0; k < 3; k++) {
                    int at = rnd.nextInt(b.length);
                    if (b[at] == '\'' || b[at] == '<' || b[at] == '>' || b[at] == '/') {
                        b[at] = (byte) "'<>/\"=".charAt(rnd.nextInt(6));
                    }
                }
                return b;
        }
    }
}
