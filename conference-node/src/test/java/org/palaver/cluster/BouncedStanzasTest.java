package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BouncedStanzasTest {
    @Test
    void whatCameBackFromAPeerWaitsForThatPeerInArrivalOrder() {
        BouncedStanzas<String> bounced = new BouncedStanzas<>();
        assertTrue(bounced.hold("b", "s1"), "the first for b: the caller arms the fallback");
        assertFalse(bounced.hold("b", "s2"));
        assertTrue(bounced.hold("c", "t1"));
        assertEquals(3, bounced.size());
        assertEquals(List.of(), bounced.release("a"), "nothing came back from a");
        assertEquals(List.of("s1", "s2"), bounced.release("b"), "b moved on: its stanzas, in order");
        assertEquals(1, bounced.size());
        assertEquals(List.of(), bounced.release("b"), "released once");
        assertTrue(bounced.hold("b", "s3"), "the first for b again");
    }

    @Test
    void aNewViewHereReleasesEverything() {
        BouncedStanzas<String> bounced = new BouncedStanzas<>();
        bounced.hold("c", "t1");
        bounced.hold("b", "s1");
        bounced.hold("c", "t2");
        assertEquals(List.of("t1", "t2", "s1"), bounced.releaseAll());
        assertEquals(0, bounced.size());
        assertEquals(List.of(), bounced.releaseAll());
    }
}
