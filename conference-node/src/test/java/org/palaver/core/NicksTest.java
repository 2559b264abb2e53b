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
        assertEquals("nick contains a control character (U+0085)", nicks.problem("a\u0085b"));
    }

    /** Issue 10, defect 6: nicks that impersonate (bidi override) or vanish are refused (RFC 8266). */
    @Test
    void precisNicknameProfile() {
        assertEquals("nick contains an invisible or direction-changing character (U+202E)",
                nicks.problem("a\u202Eevil"));
        assertEquals("nick contains an invisible or direction-changing character (U+200B)", nicks.problem("\u200B"));
        assertEquals("nick contains an invisible character (U+3164)", nicks.problem("\u3164"));
        assertEquals("nick has no visible character", nicks.problem("\u2800"));
        assertEquals("nick has no visible character", nicks.problem("\u0301\u0302"));
        assertEquals("nick has no visible character", nicks.problem("\u00A0"));
        assertEquals("nick is not in normalised form (RFC 8266), use 'a b'", nicks.problem("a\u00A0 b"));
        assertEquals("nick is not in normalised form (RFC 8266), use 'AB'", nicks.problem("\uFF21\uFF22"));
        assertEquals("nick is not in normalised form (RFC 8266), use 'x'", nicks.problem(" x"));
        assertNull(nicks.problem("x y"));
        assertNull(nicks.problem("\u00fcml\u00e4ut"));
        assertEquals("nick is not in normalised form (RFC 8266), use '\u00e9'", nicks.problem("e\u0301"));
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
