package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicasTest {
    private final Replicas replicas = new Replicas();

    @Test
    void aNewRoomStartsWithASnapshotThenDeltasCountUp() {
        assertEquals(new Replicas.Plan(null, "b", null, 0), replicas.changed("r", true, "b", 100));
        assertEquals(new Replicas.Plan(null, null, "b", 1), replicas.changed("r", true, "b", 100));
        assertEquals(new Replicas.Plan(null, null, "b", 2), replicas.changed("r", true, "b", 100));
        assertEquals(Set.of("b"), replicas.backups());
        assertEquals(Set.of("r"), replicas.rooms());
    }

    @Test
    void aMovedBackupGetsASnapshotAndTheFormerOneDropsItsCopy() {
        replicas.changed("r", true, "b", 100);
        replicas.changed("r", true, "b", 100);
        assertEquals(new Replicas.Plan("b", "c", null, 0), replicas.establish("r", true, "c"));
        assertEquals(new Replicas.Plan(null, null, null, 0), replicas.establish("r", true, "c"), "already there");
        assertEquals(new Replicas.Plan(null, null, "c", 1), replicas.changed("r", true, "c", 100));
        assertEquals(new Replicas.Plan("c", "b", null, 0), replicas.changed("r", true, "b", 100), "changed and moved at once");
    }

    @Test
    void noBackupOrNoRoomMeansTheCopyGoes() {
        replicas.changed("r", true, "b", 100);
        assertEquals(new Replicas.Plan("b", null, null, 0), replicas.establish("r", true, null), "alone in the view");
        assertEquals(Set.of(), replicas.backups());
        replicas.changed("r", true, "b", 100);
        assertEquals(new Replicas.Plan("b", null, null, 0), replicas.changed("r", false, "b", 100), "the room went");
        assertEquals(new Replicas.Plan(null, null, null, 0), replicas.changed("nothing", false, "b", 100),
                "a stanza for a room that does not exist replicates nothing");
    }

    @Test
    void aResyncStartsOverWithASnapshotAndForgetNamesTheBackup() {
        replicas.changed("r", true, "b", 100);
        replicas.changed("r", true, "b", 100);
        replicas.resync("r");
        assertEquals(new Replicas.Plan(null, "b", null, 0), replicas.changed("r", true, "b", 100));
        assertEquals("b", replicas.forget("r"));
        assertNull(replicas.forget("r"));
        assertEquals(Set.of(), replicas.rooms());
    }

    /** The backup logs deltas after a snapshot; once they outweigh the snapshot a fresh one replaces them. */
    @Test
    void deltasOutweighingTheSnapshotBringAFreshOneWithTheNextSequenceNumber() {
        assertEquals(new Replicas.Plan(null, "b", null, 0), replicas.changed("r", true, "b", 100));
        replicas.snapshotSent("r", 20_000); // budget: 4 x 20,000 bytes
        long seq = 0;
        int sent = 0;
        Replicas.Plan plan;
        while ((plan = replicas.changed("r", true, "b", 1_000)).deltaTo() != null) {
            assertEquals(++seq, plan.seq(), "deltas are numbered on");
            sent += 1_000;
        }
        assertEquals(Replicas.RESNAPSHOT_FACTOR * 20_000, sent, "deltas up to the budget, then a snapshot");
        assertEquals(new Replicas.Plan(null, "b", null, seq + 1), plan, "the snapshot takes the next number");
        replicas.snapshotSent("r", 100);
        assertEquals(new Replicas.Plan(null, null, "b", seq + 2), replicas.changed("r", true, "b", 1_000),
                "the log starts over after the fresh snapshot");
        int deltas = 1;
        while (replicas.changed("r", true, "b", 1_000).deltaTo() != null) {
            deltas++;
        }
        assertEquals(Replicas.MIN_RESNAPSHOT_BYTES / 1_000, deltas, "a small room: the floor applies");
    }
}
