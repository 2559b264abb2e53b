package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.RecordingOutbox;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

class HistoryTest {
    private static final Jid ROOM = Jid.parse("r@s.example");

    private static Participant participant(String name, boolean legacy) {
        Participant p = new Participant(Jid.parse(name + "@x.example/r"), 0);
        p.enter(ROOM.withResource("hash-" + name), ROOM.withResource(name), legacy, false, false);
        return p;
    }

    private static Element message(String body) {
        return new Element("message").attr("type", "groupchat").add(new Element("body").addText(body));
    }

    private static List<String> replayBodies(History h, Participant joiner) {
        RecordingOutbox out = new RecordingOutbox();
        h.replay(joiner, ROOM, out);
        assertEquals(List.of(), out.fanouts(), "replay sends one by one");
        List<String> bodies = new ArrayList<>();
        out.sends().forEach(stanza -> bodies.add(stanza.attr("from") + ":" + stanza.childText("body")));
        return bodies;
    }

    @Test
    void keepsTheLastNOldestFirst() {
        Participant bob = participant("bob", false);
        History h = new History(3);
        for (int i = 1; i <= 5; i++) {
            h.add(message("m" + i), bob, i);
        }
        assertEquals(List.of("r@s.example/hash-bob:m3", "r@s.example/hash-bob:m4", "r@s.example/hash-bob:m5"),
                replayBodies(h, participant("joiner", false)));
        assertEquals(List.of("r@s.example/bob:m3", "r@s.example/bob:m4", "r@s.example/bob:m5"),
                replayBodies(h, participant("legacy", true)), "gc-1.0 joiners see the author's nick");
    }

    @Test
    void chopDropsTheLeaversLastMessageAndEverythingOlder() {
        Participant a = participant("a", false);
        Participant b = participant("b", false);
        History h = new History(10);
        h.add(message("1"), b, 1);
        h.add(message("2"), a, 2);
        h.add(message("3"), b, 3);
        h.add(message("4"), a, 4);
        h.chop(b);
        assertEquals(List.of("r@s.example/hash-a:4"), replayBodies(h, participant("j", false)));
        h.chop(b); // nothing of b's left: no change
        assertEquals(1, h.size());
    }

    @Test
    void chopWorksAcrossTheWrapAround() {
        Participant a = participant("a", false);
        Participant b = participant("b", false);
        History h = new History(3);
        h.add(message("1"), a, 1);
        h.add(message("2"), b, 2);
        h.add(message("3"), a, 3);
        h.add(message("4"), b, 4); // buffer now 2,3,4 with start != 0
        h.add(message("5"), a, 5); // 3,4,5
        h.chop(b);
        assertEquals(List.of("r@s.example/hash-a:5"), replayBodies(h, participant("j", false)));
        h.add(message("6"), a, 6);
        assertEquals(List.of("r@s.example/hash-a:5", "r@s.example/hash-a:6"), replayBodies(h, participant("j", false)));
    }

    @Test
    void disabledHistoryStoresNothing() {
        History h = new History(0);
        h.add(message("x"), participant("a", false), 1);
        assertEquals(0, h.size());
        assertTrue(replayBodies(h, participant("j", false)).isEmpty());
    }

    @Test
    void replayReportsASubject() {
        History h = new History(2);
        Participant a = participant("a", false);
        h.add(message("x"), a, 1);
        Outbox ignore = new RecordingOutbox();
        assertFalse(h.replay(a, ROOM, ignore));
        h.add(new Element("message").add(new Element("subject").addText("T")), a, 2);
        assertTrue(h.replay(a, ROOM, ignore));
    }
}
