package org.palaver.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JidCacheTest {
    @Test
    void answersLikeParseAndReusesTheInstance() {
        JidCache cache = new JidCache(16);
        Jid first = cache.parse("Alice@Example.ORG/Home");
        assertEquals(Jid.parse("Alice@Example.ORG/Home"), first);
        assertEquals("Alice@example.org/Home", first.toString());
        assertSame(first, cache.parse(new String("Alice@Example.ORG/Home")));
    }

    @Test
    void invalidAndMissingAddressesAreNullAndNotKept() {
        JidCache cache = new JidCache(1);
        assertNull(cache.parse(null));
        assertNull(cache.parse("a b@example.org"));
        Jid ok = cache.parse("a@example.org");
        assertNull(cache.parse("a b@example.org"));
        assertSame(ok, cache.parse("a@example.org"), "the invalid string did not evict the valid one");
    }

    @Test
    void aCollisionReplacesTheSlotAndStaysCorrect() {
        JidCache cache = new JidCache(1); // every string shares the one slot
        Jid a = cache.parse("a@example.org");
        Jid b = cache.parse("b@example.org");
        assertEquals(Jid.parse("b@example.org"), b);
        Jid again = cache.parse("a@example.org");
        assertEquals(a, again);
        assertSame(again, cache.parse("a@example.org"));
    }

    @Test
    void theSizeMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new JidCache(3));
        assertThrows(IllegalArgumentException.class, () -> new JidCache(0));
    }
}
