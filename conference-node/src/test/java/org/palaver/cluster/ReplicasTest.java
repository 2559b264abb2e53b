package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicasTest {
    private final Replicas replicas = new Replicas();

    @Test
    void aNewRoomStartsWithASnapshotThenDeltasCountUp() {
        assertEquals(new Replicas.Plan(null, "b", null, 0), replicas.changed("r", true, "b"));
        assertEquals(new Replicas.Plan(null, null, "b", 1), replicas.changed("r", true, "b"));
        assertEquals(new Replicas.Plan(null, null, "b", 2), replicas.changed("r", true, "b"));
        assertEquals(Set.of("b"), replicas.backups());
        assertEquals(Set.of("r"), replicas.rooms());
    }

    @Test
    void aMovedBackupGetsASnapshotAndTheFormerOneDropsItsCopy() {
        replicas.changed("r", true, "b");
        replicas.changed("r", true, "b");
        assertEquals(new Replicas.Plan("b", "c", null, 0), replicas.establish("r", true, "c"));
        assertEquals(new Replicas.Plan(null, null, null, 0), replicas.establish("r", true, "c"), "already there");
        assertEquals(new Replicas.Plan(null, null, "c", 1), replicas.changed("r", true, "c"));
        assertEquals(new Replicas.Plan("c", "b", null, 0), replicas.changed("r", true, "b"), "changed and moved at once");
    }

    @Test
    void noBackupOrNoRoomMeansTheCopyGoes() {
        replicas.changed("r", true, "b");
        assertEquals(new Replicas.Plan("b", null, null, 0), replicas.establish("r", true, null), "alone in the view");
        assertEquals(Set.of(), replicas.backups());
        replicas.changed("r", true, "b");
        assertEquals(new Replicas.Plan("b", null, null, 0), replicas.changed("r", false, "b"), "the room went");
        assertEquals(new Replicas.Plan(null, null, null, 0), replicas.changed("nothing", false, "b"),
                "a stanza for a room that does not exist replicates nothing");
    }

    @Test
    void aResyncStartsOverWithASnapshotAndForgetNamesTheBackup() {
        replicas.changed("r", true, "b");
        replicas.changed("r", true, "b");
        replicas.resync("r");
        assertEquals(new Replicas.Plan(null, "b", null, 0), replicas.changed("r", true, "b"));
        assertEquals("b", replicas.forget("r"));
        assertNull(replicas.forget("r"));
        assertEquals(Set.of(), replicas.rooms());
    }
}
