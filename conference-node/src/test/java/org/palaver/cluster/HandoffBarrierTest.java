package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class HandoffBarrierTest {
    @Test
    void doneIsDueOnceEveryFlushIsInAndSettlesOnEveryDone() {
        HandoffBarrier b = new HandoffBarrier();
        b.start(5, Set.of("p", "q"));
        b.flushFrom("p", 5);
        assertFalse(b.takeDoneDue(), "q has not flushed");
        b.flushFrom("q", 5);
        assertTrue(b.takeDoneDue());
        assertFalse(b.takeDoneDue(), "DONE goes out once per epoch");
        b.doneFrom("p", 5);
        assertFalse(b.settled());
        assertEquals(Set.of("q"), b.awaiting());
        b.doneFrom("q", 5);
        assertTrue(b.settled());
    }

    @Test
    void markersOfALaterEpochCountAndOlderOnesDoNot() {
        HandoffBarrier b = new HandoffBarrier();
        b.flushFrom("p", 4); // from the previous change
        b.flushFrom("q", 6); // a quicker peer is already past this change
        b.start(5, Set.of("p", "q"));
        assertFalse(b.takeDoneDue());
        b.flushFrom("p", 5);
        assertTrue(b.takeDoneDue());
    }

    @Test
    void aPeerThatLeavesIsNotWaitedFor() {
        HandoffBarrier b = new HandoffBarrier();
        b.start(2, Set.of("p", "crashed"));
        b.flushFrom("p", 2);
        b.gone("crashed");
        assertTrue(b.takeDoneDue());
        b.doneFrom("p", 2);
        assertTrue(b.settled());
    }

    @Test
    void withoutPeersItSettlesAtOnce() {
        HandoffBarrier b = new HandoffBarrier();
        assertFalse(b.settled(), "not before the first change");
        b.start(1, Set.of());
        assertTrue(b.takeDoneDue());
        assertTrue(b.settled());
    }
}
