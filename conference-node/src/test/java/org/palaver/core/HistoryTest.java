package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.RecordingOutbox;
import org.palaver.testkit.TestXml;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlWriter;

class HistoryTest {
    private static final Jid ROOM = Jid.parse("r@s.example");
    private static final long NOW = 1_000_000_000L;

    private static Participant participant(String name, boolean legacy, boolean muc) {
        Participant p = new Participant(Jid.parse(name + "@x.example/r"), 0);
        p.enter(ROOM.withResource("hash-" + name), ROOM.withResource(name), legacy, muc, false);
        return p;
    }

    private static Participant participant(String name, boolean legacy) {
        return participant(name, legacy, false);
    }

    /** The broadcast template as Traffic stores it: from the author's R/hash. */
    private static Element message(Participant author, String inner) {
        return TestXml.parse("<message type='groupchat' from='" + author.hashJid() + "'>" + inner + "</message>");
    }

    private static void say(History h, Participant author, String body, long stamp, Tally tally) {
        h.add(message(author, "<body>" + body + "</body>"), author.nickJid(), stamp, tally);
    }

    private static List<String> replayBodies(History h, Participant joiner, HistoryRequest request) {
        RecordingOutbox out = new RecordingOutbox();
        h.replay(joiner, ROOM, request, NOW, out);
        assertEquals(List.of(), out.fanouts(), "replay sends one by one");
        List<String> bodies = new ArrayList<>();
        out.sends().forEach(stanza -> bodies.add(stanza.attr("from") + ":" + stanza.childText("body")));
        return bodies;
    }

    private static List<String> replayBodies(History h, Participant joiner) {
        return replayBodies(h, joiner, HistoryRequest.ALL);
    }

    private static HistoryRequest request(String attrs) {
        return HistoryRequest.of(TestXml.parse("<presence><x xmlns='http://jabber.org/protocol/muc'><history "
                + attrs + "/></x></presence>"));
    }

    @Test
    void keepsTheLastNOldestFirst() {
        Participant bob = participant("bob", false);
        History h = new History(3, 65536);
        for (int i = 1; i <= 5; i++) {
            say(h, bob, "m" + i, i, new Tally());
        }
        assertEquals(List.of("r@s.example/hash-bob:m3", "r@s.example/hash-bob:m4", "r@s.example/hash-bob:m5"),
                replayBodies(h, participant("joiner", false)));
        assertEquals(List.of("r@s.example/bob:m3", "r@s.example/bob:m4", "r@s.example/bob:m5"),
                replayBodies(h, participant("legacy", true)), "gc-1.0 joiners see the author's nick");
    }

    @Test
    void authorsAreKeptByValue() {
        Participant bob = participant("bob", true);
        History h = new History(10, 65536);
        say(h, bob, "before", 1, new Tally());
        bob.rename(ROOM.withResource("robert"));
        say(h, bob, "after", 2, new Tally());
        assertEquals(List.of("r@s.example/bob:before", "r@s.example/robert:after"),
                replayBodies(h, participant("legacy", true)), "the nick the occupants saw at the time");
    }

    @Test
    void onlyMessagesWithABodyAndWithoutStoreHintsAreKept() {
        Participant a = participant("a", false);
        History h = new History(10, 65536);
        Tally t = new Tally();
        h.add(message(a, "<active xmlns='http://jabber.org/protocol/chatstates'/>"), a.nickJid(), 1, t);
        h.add(message(a, "<subject>only a subject</subject>"), a.nickJid(), 2, t);
        h.add(message(a, "<body>secret</body><no-store xmlns='urn:xmpp:hints'/>"), a.nickJid(), 3, t);
        h.add(message(a, "<body>otr</body><no-permanent-store xmlns='urn:xmpp:hints'/>"), a.nickJid(), 4, t);
        h.add(message(a, "<body>kept</body><store xmlns='urn:xmpp:hints'/>"), a.nickJid(), 5, t);
        assertEquals(List.of("r@s.example/hash-a:kept"), replayBodies(h, participant("j", false)));
    }

    @Test
    void theByteLimitDropsTheOldestAndCountsIt() {
        Participant a = participant("a", false);
        Element probe = message(a, "<body>0123456789</body>");
        int one = History.weight(probe);
        History h = new History(100, one * 3);
        Tally t = new Tally();
        for (int i = 0; i < 5; i++) {
            h.add(message(a, "<body>012345678" + i + "</body>"), a.nickJid(), i, t);
        }
        assertEquals(3, h.size());
        assertEquals(3L * one, h.bytes());
        assertEquals(2, t.count(RoomEvent.HISTORY_TRIMMED));
        assertEquals(List.of("r@s.example/hash-a:0123456782", "r@s.example/hash-a:0123456783",
                "r@s.example/hash-a:0123456784"), replayBodies(h, participant("j", false)));
    }

    @Test
    void aMessageLargerThanTheWholeLimitIsNotKept() {
        Participant a = participant("a", false);
        History h = new History(10, 200);
        Tally t = new Tally();
        say(h, a, "small", 1, t);
        say(h, a, "x".repeat(300), 2, t);
        assertEquals(1, t.count(RoomEvent.HISTORY_REFUSED));
        assertEquals(0, t.count(RoomEvent.HISTORY_TRIMMED));
        assertEquals(List.of("r@s.example/hash-a:small"), replayBodies(h, participant("j", false)));
    }

    @Test
    void theCountLimitIsNoTrim() {
        Participant a = participant("a", false);
        History h = new History(2, 65536);
        Tally t = new Tally();
        for (int i = 0; i < 5; i++) {
            say(h, a, "m" + i, i, t);
        }
        assertEquals(0, t.count(RoomEvent.HISTORY_TRIMMED));
    }

    @Test
    void weightIsTheUtf8SizeOfTheUnescapedXml() {
        Participant a = participant("a", false);
        for (String body : List.of("plain", "caf\u00e9 \u20ac \uD83D\uDE00", "")) {
            Element m = message(a, "<body>" + body + "</body><x xmlns='urn:example' k='v'><y/></x>");
            int written = XmlWriter.toXml(m).getBytes(StandardCharsets.UTF_8).length;
            // an estimate: never less than what is written, at most a few bytes per element more
            // (every element counted with an end tag, namespace declarations counted where set)
            int weight = History.weight(m);
            assertTrue(weight >= written && weight <= written + 4 * 4, body + ": " + weight + " vs " + written);
        }
    }

    @Test
    void disabledHistoryStoresNothing() {
        History h = new History(0, 65536);
        say(h, participant("a", false), "x", 1, new Tally());
        assertEquals(0, h.size());
        assertTrue(replayBodies(h, participant("j", false)).isEmpty());
    }

    @Test
    void mucJoinersGetNoSubjectChangesOthersDo() {
        History h = new History(5, 65536);
        Participant a = participant("a", true);
        h.add(message(a, "<subject>T</subject><body>topic and text</body>"), a.nickJid(), 1, new Tally());
        say(h, a, "x", 2, new Tally());
        Outbox ignore = new RecordingOutbox();
        assertTrue(h.replay(participant("legacy", true), ROOM, HistoryRequest.ALL, NOW, ignore));
        assertEquals(List.of("r@s.example/a:x"), replayBodies(h, participant("muc", true, true)));
        assertFalse(h.replay(participant("muc", true, true), ROOM, HistoryRequest.ALL, NOW, ignore));
    }

    @Test
    void mucHistoryRequestsAreHonoured() {
        Participant a = participant("a", true);
        History h = new History(10, 65536);
        for (int i = 1; i <= 5; i++) {
            say(h, a, "m" + i, NOW - (6 - i) * 60_000L, new Tally()); // m5 one minute old, m1 five
        }
        Participant muc = participant("muc", true, true);
        assertEquals(List.of(), replayBodies(h, muc, request("maxstanzas='0'")));
        assertEquals(List.of("r@s.example/a:m4", "r@s.example/a:m5"), replayBodies(h, muc, request("maxstanzas='2'")));
        assertEquals(List.of("r@s.example/a:m3", "r@s.example/a:m4", "r@s.example/a:m5"),
                replayBodies(h, muc, request("seconds='180'")));
        assertEquals(List.of("r@s.example/a:m4", "r@s.example/a:m5"),
                replayBodies(h, muc, request("since='" + Timestamps.xep82(NOW - 120_000) + "'")));
        assertEquals(List.of("r@s.example/a:m5"), replayBodies(h, muc, request("seconds='180' maxstanzas='1'")));
        assertEquals(List.of(), replayBodies(h, muc, request("maxchars='0'")));
        assertEquals(5, replayBodies(h, muc, request("maxstanzas='x' seconds='-1' since='yesterday'")).size(),
                "unparseable attributes are ignored");
        assertEquals(5, replayBodies(h, participant("legacy", true), request("maxstanzas='0'")).size(),
                "only MUC joiners ask");
    }

    @Test
    void maxcharsCountsWholeReplayedStanzas() {
        Participant a = participant("a", true);
        History h = new History(10, 65536);
        for (int i = 1; i <= 3; i++) {
            say(h, a, "m" + i, NOW, new Tally());
        }
        Participant muc = participant("muc", true, true);
        RecordingOutbox out = new RecordingOutbox();
        h.replay(muc, ROOM, HistoryRequest.ALL, NOW, out);
        int last = History.chars(out.sends().get(2));
        int lastTwo = last + History.chars(out.sends().get(1));
        assertEquals(List.of("r@s.example/a:m3"), replayBodies(h, muc, request("maxchars='" + last + "'")));
        assertEquals(List.of("r@s.example/a:m3"), replayBodies(h, muc, request("maxchars='" + (lastTwo - 1) + "'")));
        assertEquals(List.of("r@s.example/a:m2", "r@s.example/a:m3"),
                replayBodies(h, muc, request("maxchars='" + lastTwo + "'")));
    }
}
