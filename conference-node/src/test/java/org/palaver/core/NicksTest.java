package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.TestXml;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

class NicksTest {
    private final Nicks nicks = new Nicks(8);

    private static Room roomWith(String... taken) {
        Room room = new Room(Jid.parse("r@s.example"), false, new History(0, 1), new Notices(null, null, null), 0);
        int i = 0;
        for (String nick : taken) {
            Participant p = room.register(Jid.parse("u" + i++ + "@x.example/r"), 0);
            p.enter(room.jid.withResource("h" + i), room.jid.withResource(nick), false, false, false);
            room.addEntered(p);
        }
        return room;
    }

    private static Element query(String inner) {
        return TestXml.parse("<query xmlns='jabber:iq:conference'>" + inner + "</query>");
    }

    @Test
    void contentRules() {
        assertNull(nicks.problem("alice"));
        assertNull(nicks.problem("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00"),
                "8 emoji are 8 characters (code points), not 16");
        assertEquals("nick must not be empty", nicks.problem("   "));
        assertEquals("nick longer than 8 characters", nicks.problem("123456789"));
        assertEquals("nick contains control characters", nicks.problem("a\u0085b"));
    }

    @Test
    void firstFreeCandidateWins() {
        Room room = roomWith("alice");
        assertEquals(Nicks.Choice.of("alice_"),
                nicks.choose(room, query("<nick/><nick>alice</nick><nick>alice_</nick>"), Jid.parse("a@x/r")));
    }

    @Test
    void noneUsable() {
        Room room = roomWith("alice");
        Jid who = Jid.parse("a@x/r");
        assertEquals(StanzaError.CONFLICT, nicks.choose(room, query("<nick/>"), who).error());
        assertEquals(StanzaError.CONFLICT, nicks.choose(room, query("<nick>alice</nick>"), who).error());
        assertEquals(StanzaError.BAD_REQUEST, nicks.choose(room, query("<nick>far too long</nick>"), who).error());
        assertEquals("nick longer than 8 characters",
                nicks.choose(room, query("<nick>far too long</nick>"), who).text());
        // a taken candidate makes it a conflict even when another one was malformed
        assertEquals(StanzaError.CONFLICT,
                nicks.choose(room, query("<nick>far too long</nick><nick>alice</nick>"), who).error());
    }

    @Test
    void madeUpNick() {
        assertEquals("alice2", nicks.madeUp(roomWith("alice", "alice1"), Jid.parse("alice@x/r")));
        assertEquals("guest", nicks.madeUp(roomWith(), Jid.parse("x.example/r")), "DEV-10: no node");
        assertEquals("guest1", nicks.madeUp(roomWith("guest"), Jid.parse("x.example")));
        // cut to the limit, the counter still fits
        assertEquals("abcdefgh", nicks.madeUp(roomWith(), Jid.parse("abcdefghijk@x/r")));
        assertEquals("abcdefg1", nicks.madeUp(roomWith("abcdefgh"), Jid.parse("abcdefghijk@x/r")));
    }
}
