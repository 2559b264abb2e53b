package org.palaver.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JidTest {
    @Test
    void parsesAllThreeParts() {
        Jid j = Jid.parse("alice@example.org/home");
        assertEquals("alice", j.node());
        assertEquals("example.org", j.domain());
        assertEquals("home", j.resource());
        assertTrue(j.hasNode());
        assertTrue(j.hasResource());
        assertEquals("alice@example.org/home", j.toString());
    }

    @Test
    void nodeAndResourceAreOptional() {
        Jid domain = Jid.parse("conference.example.org");
        assertNull(domain.node());
        assertNull(domain.resource());
        assertFalse(domain.hasNode());
        Jid withResource = Jid.parse("example.org/admin");
        assertNull(withResource.node());
        assertEquals("admin", withResource.resource());
    }

    @Test
    void domainIsLowerCasedNodeAndResourceKeepTheirCase() {
        Jid j = Jid.parse("Alice@Example.ORG/Home");
        assertEquals("Alice@example.org/Home", j.toString());
        assertEquals(Jid.parse("Alice@example.org/Home"), j);
        assertNotEquals(Jid.parse("alice@example.org/Home"), j);
        assertNotEquals(Jid.parse("Alice@example.org/home"), j);
    }

    @Test
    void resourceMayContainSlashAndAt() {
        Jid j = Jid.parse("lounge@conference.example.org/nick/with@signs");
        assertEquals("lounge", j.node());
        assertEquals("nick/with@signs", j.resource());
    }

    @Test
    void roomKeyLowerCasesTheNodeAsciiOnlyAndDropsTheResource() {
        assertEquals("lounge@conference.example.org", Jid.parse("LoUnGe@Conference.Example.org/x").roomKey().toString());
        assertEquals("ÄÖü-abc@c.example.org", Jid.parse("ÄÖü-ABC@c.example.org").roomKey().toString());
        Jid already = Jid.parse("lounge@c.example.org");
        assertSame(already, already.roomKey());
    }

    @Test
    void bareAndWithResource() {
        Jid j = Jid.parse("Alice@example.org/home");
        assertEquals(Jid.parse("Alice@example.org"), j.bare());
        assertEquals(Jid.parse("Alice@example.org/work"), j.withResource("work"));
        assertEquals(j.hashCode(), Jid.parse("Alice@EXAMPLE.org/home").hashCode());
    }

    @Test
    void emptyPartsAreInvalid() {
        for (String s : new String[] {"", "@example.org", "alice@", "example.org/", "alice@example.org/",
                "@", "/", "@/", "."}) {
            assertNull(Jid.parse(s), s);
        }
        assertNull(Jid.parse(null));
    }

    @Test
    void forbiddenNodeCharactersAreInvalid() {
        for (char c : " \"&'<>:@".toCharArray()) {
            assertNull(Jid.parse("a" + c + "b@example.org"), "node with '" + c + "'");
        }
        // the first '/' starts the resource, so a slash can never end up in the node
        Jid slash = Jid.parse("a/b@example.org");
        assertNull(slash.node());
        assertEquals("b@example.org", slash.resource());
        assertNull(Jid.parse("a\tb@example.org"));
        assertNull(Jid.parse("a\u2003b@example.org"), "unicode white space");
        assertNull(Jid.parse("a\u0001b@example.org"));
    }

    @Test
    void forbiddenDomainAndResourceCharactersAreInvalid() {
        assertNull(Jid.parse("alice@exa mple.org"));
        assertNull(Jid.parse("alice@a@b.org"));
        assertNull(Jid.parse("alice@exa<mple.org"));
        assertNull(Jid.parse("alice@example.org/ctl\u0007"));
        assertEquals("with space", Jid.parse("alice@example.org/with space").resource());
    }

    @Test
    void partsLongerThan1023BytesAreInvalid() {
        String max = "n".repeat(Jid.MAX_PART);
        String over = "n".repeat(Jid.MAX_PART + 1);
        assertEquals(max, Jid.parse(max + "@example.org").node());
        assertNull(Jid.parse(over + "@example.org"));
        assertEquals(max, Jid.parse("a@example.org/" + max).resource());
        assertNull(Jid.parse("a@example.org/" + over));
        assertNull(Jid.parse("a@" + "d".repeat(Jid.MAX_PART - 3) + ".org"));
        // counted in UTF-8 bytes: 342 three-byte characters are 1026 bytes
        assertNull(Jid.parse("日".repeat(342) + "@example.org"));
        assertEquals(341, Jid.parse("日".repeat(341) + "@example.org").node().length());
        assertNull(Jid.parse("a@example.org/" + "🎉".repeat(256)), "256 four-byte characters");
        assertEquals(255 * 2, Jid.parse("a@example.org/" + "🎉".repeat(255)).resource().length());
    }

    @Test
    void escapedUtf8IsTheAttributeEscapedJid() {
        Jid j = Jid.parse("Bob@example.org/r&d 'ü'");
        assertEquals("Bob@example.org/r&amp;d &apos;ü&apos;", new String(j.escapedUtf8(), StandardCharsets.UTF_8));
        assertSame(j.escapedUtf8(), j.escapedUtf8());
    }
}
