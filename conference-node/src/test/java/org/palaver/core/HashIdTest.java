package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.xml.Jid;

/** The hash ids of spec §1.4 are real SHA-1 values of the full real JIDs. */
class HashIdTest {
    @Test
    void matchesTheSpecTable() {
        assertEquals(Harness.HA, HashId.of(Jid.parse(Harness.A)));
        assertEquals(Harness.HB, HashId.of(Jid.parse(Harness.B)));
        assertEquals(Harness.HC, HashId.of(Jid.parse(Harness.C)));
        assertEquals(Harness.HD, HashId.of(Jid.parse(Harness.D)));
        assertEquals("59c94c3d4b33bc643d4e03eea8dd1184727ff85a", HashId.of(Jid.parse(Harness.A2)));
    }

    @Test
    void hashesUtf8AndNormalisedDomain() {
        // the domain is lower-cased by the JID parser before hashing; non-ASCII goes in as UTF-8
        assertEquals(HashId.of(Jid.parse("alice@example.org/home")), HashId.of(Jid.parse("alice@EXAMPLE.org/home")));
        assertEquals(HashId.sha1Hex("jos\u00e9@example.org/r"), HashId.of(Jid.parse("jos\u00e9@example.org/r")));
        assertEquals("da39a3ee5e6b4b0d3255bfef95601890afd80709", HashId.sha1Hex(""));
    }
}
