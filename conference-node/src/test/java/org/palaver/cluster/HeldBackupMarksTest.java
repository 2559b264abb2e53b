package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.palaver.core.ConferenceService;
import org.palaver.core.RoomState;
import org.palaver.testkit.RecordingOutbox;
import org.palaver.testkit.Scenes;
import org.palaver.xml.ElementReader;
import org.palaver.xml.Jid;

/**
 * What a backup's copy knows it has applied: the marks of the snapshot it started from, raised by
 * every delta's stanza, kept through compaction and handed out on promotion; a copy with a gap is
 * dropped with its marks (its owner sends a fresh snapshot with the room's marks).
 */
class HeldBackupMarksTest {
    private static final long T0 = 1_767_323_045_000L;
    private static final Jid ROOM = Jid.parse("room@" + Scenes.settings().domain());

    private static RoomState room() {
        ConferenceService owner = new ConferenceService(Scenes.settings(), T0);
        String join = "<presence from='alice@localhost/a' to='room@" + Scenes.settings().domain() + "/alice'/>";
        owner.handle(ElementReader.unbounded().read(join.getBytes(StandardCharsets.UTF_8)), T0, new RecordingOutbox());
        RoomState state = owner.snapshotRoom(ROOM);
        assertNotNull(state, "the join created the room");
        return state;
    }

    private static byte[] say(String body) {
        return ("<message type='groupchat' from='alice@localhost/a' to='room@" + Scenes.settings().domain()
                + "'><body>" + body + "</body></message>").getBytes(StandardCharsets.UTF_8);
    }

    private static NodeMessage.Mark mark(String node, long seq) {
        return new NodeMessage.Mark(node, seq);
    }

    @Test
    void theCopysMarksAreTheSnapshotsRaisedByEachDelta() {
        HeldBackups held = new HeldBackups(Scenes.settings());
        held.snapshot("owner", room(), 0, List.of(mark("n1", 10), mark("n2", 4)));
        assertTrue(held.delta("owner", ROOM, 1, T0 + 1, say("one"), false, mark("n1", 12)));
        assertTrue(held.delta("owner", ROOM, 2, T0 + 2, say("own"), false, null), "the owner's own stanza: unnumbered");
        assertTrue(held.delta("owner", ROOM, 3, T0 + 3, say("two"), false, mark("n3", 1)));
        assertEquals(Set.of(mark("n1", 12), mark("n2", 4), mark("n3", 1)),
                new HashSet<>(held.marks("owner", ROOM)));

        assertFalse(held.delta("owner", ROOM, 5, T0 + 5, say("gap"), false, mark("n1", 14)), "a gap drops the copy");
        assertEquals(List.of(), held.marks("owner", ROOM));
    }

    @Test
    void compactionKeepsTheMarks() {
        HeldBackups held = new HeldBackups(Scenes.settings());
        held.snapshot("owner", room(), 0, List.of(mark("n2", 4)));
        byte[] big = say("x".repeat(4000));
        long seq = 0;
        while (held.replayed() == 0) { // until the log was replayed into a new snapshot
            seq++;
            assertTrue(held.delta("owner", ROOM, seq, T0 + seq, big, false, mark("n1", 100 + seq)));
        }
        assertEquals(Set.of(mark("n1", 100 + seq), mark("n2", 4)), new HashSet<>(held.marks("owner", ROOM)));
        assertTrue(held.delta("owner", ROOM, seq + 1, T0 + seq + 1, say("after"), false, mark("n1", 200 + seq)));
        assertEquals(Set.of(mark("n1", 200 + seq), mark("n2", 4)), new HashSet<>(held.marks("owner", ROOM)));
    }
}
