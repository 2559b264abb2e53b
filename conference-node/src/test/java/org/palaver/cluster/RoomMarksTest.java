package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomMarksTest {
    private static NodeMessage.Mark mark(String node, long seq) {
        return new NodeMessage.Mark(node, seq);
    }

    @Test
    void aStanzaAtOrBelowItsNodesMarkIsADuplicate() {
        RoomMarks marks = new RoomMarks();
        assertTrue(marks.admit("a@c", mark("n1", 5)));
        assertTrue(marks.admit("a@c", mark("n2", 3)), "another ingress node has its own numbers");
        assertTrue(marks.admit("b@c", mark("n1", 2)), "another room has its own marks");
        assertFalse(marks.admit("a@c", mark("n1", 5)), "the same stanza again");
        assertFalse(marks.admit("a@c", mark("n1", 4)), "an earlier one, resent after it was applied");
        assertTrue(marks.admit("a@c", mark("n1", 9)), "numbers of one node for one room may skip (other rooms)");
        assertEquals(9, marks.of("a@c", "n1"));
        assertEquals(0, marks.of("a@c", "n3"));
        assertEquals(Set.of(mark("n1", 9), mark("n2", 3)), new HashSet<>(marks.of("a@c")));
    }

    @Test
    void marksTravelWithTheRoomAndGoWhenItLeaves() {
        RoomMarks owner = new RoomMarks();
        owner.admit("a@c", mark("n1", 7));
        owner.admit("a@c", mark("n2", 2));
        RoomMarks next = new RoomMarks();
        next.put("a@c", owner.of("a@c"));
        owner.remove("a@c");
        assertEquals(List.of(), owner.of("a@c"));
        assertFalse(next.admit("a@c", mark("n1", 7)), "the new owner knows what the room applied");
        assertTrue(next.admit("a@c", mark("n2", 3)));

        next.admit("gone@c", mark("n1", 1));
        assertEquals(2, next.rooms());
        next.retain("a@c"::equals);
        assertEquals(1, next.rooms());
        next.put("a@c", List.of());
        assertEquals(0, next.rooms());
    }
}
