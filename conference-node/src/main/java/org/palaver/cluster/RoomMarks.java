package org.palaver.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The owner's side of "no loss of accepted stanzas": per room it holds, per ingress node, the
 * highest sequence number of that node's stanzas applied to the room (its <em>marks</em>). A
 * stanza numbered at or below its node's mark was applied already (it is a resend after a crash,
 * or the original arriving late from a node that was frozen) and is dropped. The marks travel with
 * the room: in its snapshots and deltas to the backups (so a promoted copy has exactly the marks of
 * the stanzas in it) and in its handoff.
 *
 * <p>Bounded: one entry per room held and ingress node that forwarded to it; a room's marks go
 * when it leaves this node. Pure: the caller runs it on the node's event loop.
 */
final class RoomMarks {
    private final Map<String, Map<String, Long>> byRoom = new HashMap<>();

    /**
     * Whether {@code mark} (an ingress node and its sequence number) is new for {@code room}; if
     * so it becomes the room's mark for that node.
     */
    boolean admit(String room, NodeMessage.Mark mark) {
        Map<String, Long> marks = byRoom.computeIfAbsent(room, r -> new HashMap<>(4));
        Long last = marks.get(mark.id());
        if (last != null && last >= mark.seq()) {
            return false;
        }
        marks.put(mark.id(), mark.seq());
        return true;
    }

    /** The highest sequence number of {@code node}'s stanzas applied to {@code room}, 0 for none. */
    long of(String room, String node) {
        Map<String, Long> marks = byRoom.get(room);
        Long last = marks == null ? null : marks.get(node);
        return last == null ? 0 : last;
    }

    /** The room's marks, to send with its state. */
    List<NodeMessage.Mark> of(String room) {
        return list(byRoom.get(room));
    }

    /** Installs the marks a room's state came with (handoff, promotion), replacing any. */
    void put(String room, List<NodeMessage.Mark> marks) {
        if (marks.isEmpty()) {
            byRoom.remove(room);
            return;
        }
        Map<String, Long> m = new HashMap<>(4);
        merge(m, marks);
        byRoom.put(room, m);
    }

    /** The room left this node. */
    void remove(String room) {
        byRoom.remove(room);
    }

    /** Keeps the marks of the rooms {@code held} accepts (the others left or were destroyed). */
    void retain(Predicate<String> held) {
        byRoom.keySet().removeIf(room -> !held.test(room));
    }

    /** Rooms with marks. */
    int rooms() {
        return byRoom.size();
    }

    /** Raises {@code into}'s marks to {@code marks} (the higher number of each node wins). */
    static void merge(Map<String, Long> into, List<NodeMessage.Mark> marks) {
        for (NodeMessage.Mark m : marks) {
            into.merge(m.id(), m.seq(), Math::max);
        }
    }

    static List<NodeMessage.Mark> list(Map<String, Long> marks) {
        if (marks == null || marks.isEmpty()) {
            return List.of();
        }
        List<NodeMessage.Mark> out = new ArrayList<>(marks.size());
        marks.forEach((node, seq) -> out.add(new NodeMessage.Mark(node, seq)));
        return out;
    }
}
