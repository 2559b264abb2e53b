package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FenceTest {
    private static final long MS = 1_000_000;

    @Test
    void aStalledEventLoopFencesBeforeTheFirstStanzaAfterIt() {
        Fence<String> fence = new Fence<>(2_500 * MS, 10, 0);
        assertFalse(fence.tick(200 * MS));
        assertTrue(fence.admits(2_000 * MS), "a short gap is no stall");
        // frozen for 14 s: the first stanza read afterwards finds the stall before any timer ran
        assertFalse(fence.admits(16_000 * MS));
        assertTrue(fence.fenced());
        assertTrue(fence.reason().contains("stood still"), fence.reason());
        assertTrue(fence.hold("first"));
        assertTrue(fence.hold("second"));
        assertFalse(fence.admits(16_100 * MS), "stays fenced until lifted, whatever the ticks say");
        assertFalse(fence.tick(16_200 * MS), "the fence was up already: nothing raised anew");
        assertFalse(fence.admits(16_300 * MS));
        assertEquals(List.of("first", "second"), fence.lift(17_000 * MS), "what waited, in arrival order");
        assertTrue(fence.admits(17_100 * MS));
        assertEquals(0, fence.waiting());
    }

    @Test
    void aFullFenceDropsAndCounts() {
        Fence<Integer> fence = new Fence<>(MS, 2, 0);
        assertTrue(new Fence<Integer>(MS, 2, 0).tick(5 * MS), "a tick after a stall raises the fence");
        assertTrue(fence.raise("test", 0));
        assertFalse(fence.raise("again", 1), "already fenced");
        assertEquals("test", fence.reason());
        assertTrue(fence.hold(1));
        assertTrue(fence.hold(2));
        assertFalse(fence.hold(3));
        assertEquals(1, fence.overflowed());
        assertEquals(List.of(1, 2), fence.lift(2));
    }

    @Test
    void quorumIsAMajorityOfTheViewsMembers() {
        OwnershipView three = new OwnershipView(3, List.of("a", "b", "c"));
        assertTrue(Fence.quorum(three, List.of("a", "b")));
        assertTrue(Fence.quorum(three, List.of("a", "b", "x")));
        assertFalse(Fence.quorum(three, List.of("c")), "the frozen or cut-off node alone");
        assertFalse(Fence.quorum(three, List.of("c", "x", "y")), "members outside the view do not count");
        OwnershipView four = new OwnershipView(4, List.of("a", "b", "c", "d"));
        assertFalse(Fence.quorum(four, List.of("a", "b")), "half is no majority");
        assertTrue(Fence.quorum(three, List.of("c"), List.of("a", "b")),
                "two crashed (their ports refuse connections): the survivor is the majority of what is left");
        assertFalse(Fence.quorum(three, List.of("c"), List.of("a")), "one crashed, one silent: no majority");
        assertTrue(Fence.quorum(new OwnershipView(2, List.of("a", "b")), List.of("a")),
                "two nodes cannot tell a crash from a partition: the survivor goes on");
    }
}
