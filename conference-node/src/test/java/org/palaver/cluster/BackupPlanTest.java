package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackupPlanTest {
    private final BackupPlan backupPlan = new BackupPlan();
    private static final List<String> NONE = List.of();

    private static BackupPlan.Plan plan(List<String> drop, List<String> snapshot, List<String> delta, long seq) {
        return new BackupPlan.Plan(drop, snapshot, delta, seq);
    }

    @Test
    void aNewRoomStartsWithASnapshotThenDeltasCountUp() {
        assertEquals(plan(NONE, List.of("b"), NONE, 0), backupPlan.changed("r", true, List.of("b"), 100));
        assertEquals(plan(NONE, NONE, List.of("b"), 1), backupPlan.changed("r", true, List.of("b"), 100));
        assertEquals(plan(NONE, NONE, List.of("b"), 2), backupPlan.changed("r", true, List.of("b"), 100));
        assertEquals(Set.of("b"), backupPlan.backups());
        assertEquals(Set.of("r"), backupPlan.rooms());
    }

    @Test
    void aMovedBackupGetsASnapshotAndTheFormerOneDropsItsCopy() {
        backupPlan.changed("r", true, List.of("b"), 100);
        backupPlan.changed("r", true, List.of("b"), 100);
        assertEquals(plan(List.of("b"), List.of("c"), NONE, 0), backupPlan.establish("r", true, List.of("c")));
        assertEquals(plan(NONE, NONE, NONE, 0), backupPlan.establish("r", true, List.of("c")), "already there");
        assertEquals(plan(NONE, NONE, List.of("c"), 1), backupPlan.changed("r", true, List.of("c"), 100));
        assertEquals(plan(List.of("c"), List.of("b"), NONE, 0), backupPlan.changed("r", true, List.of("b"), 100),
                "changed and moved at once");
    }

    @Test
    void twoBackupsGetTheSameChangesAndOnlyTheOneLeftDrops() {
        assertEquals(plan(NONE, List.of("b", "c"), NONE, 0), backupPlan.changed("r", true, List.of("b", "c"), 100));
        assertEquals(plan(NONE, NONE, List.of("b", "c"), 1), backupPlan.changed("r", true, List.of("b", "c"), 100));
        assertEquals(Set.of("b", "c"), backupPlan.backups());
        assertEquals(plan(List.of("c"), List.of("b", "d"), NONE, 0), backupPlan.establish("r", true, List.of("b", "d")),
                "a new second backup: both start over from a snapshot, the former one drops its backup");
        assertEquals(List.of("b", "d"), backupPlan.forget("r"));
    }

    @Test
    void noBackupOrNoRoomMeansTheCopyGoes() {
        backupPlan.changed("r", true, List.of("b"), 100);
        assertEquals(plan(List.of("b"), NONE, NONE, 0), backupPlan.establish("r", true, NONE), "alone in the view");
        assertEquals(Set.of(), backupPlan.backups());
        backupPlan.changed("r", true, List.of("b"), 100);
        assertEquals(plan(List.of("b"), NONE, NONE, 0), backupPlan.changed("r", false, List.of("b"), 100), "the room went");
        assertEquals(plan(NONE, NONE, NONE, 0), backupPlan.changed("nothing", false, List.of("b"), 100),
                "a stanza for a room that does not exist replicates nothing");
    }

    @Test
    void aResyncStartsOverWithASnapshotAndForgetNamesTheBackup() {
        backupPlan.changed("r", true, List.of("b"), 100);
        backupPlan.changed("r", true, List.of("b"), 100);
        backupPlan.resync("r");
        assertEquals(plan(NONE, List.of("b"), NONE, 0), backupPlan.changed("r", true, List.of("b"), 100));
        assertEquals(List.of("b"), backupPlan.forget("r"));
        assertEquals(NONE, backupPlan.forget("r"));
        assertEquals(Set.of(), backupPlan.rooms());
    }

    /** The backup logs deltas after a snapshot; once they outweigh the snapshot a fresh one replaces them. */
    @Test
    void deltasOutweighingTheSnapshotBringAFreshOneWithTheNextSequenceNumber() {
        assertEquals(plan(NONE, List.of("b"), NONE, 0), backupPlan.changed("r", true, List.of("b"), 100));
        backupPlan.snapshotSent("r", 20_000); // budget: 4 x 20,000 bytes
        long seq = 0;
        int sent = 0;
        BackupPlan.Plan plan;
        while (!(plan = backupPlan.changed("r", true, List.of("b"), 1_000)).deltaTo().isEmpty()) {
            assertEquals(++seq, plan.seq(), "deltas are numbered on");
            sent += 1_000;
        }
        assertEquals(BackupPlan.RESNAPSHOT_FACTOR * 20_000, sent, "deltas up to the budget, then a snapshot");
        assertEquals(plan(NONE, List.of("b"), NONE, seq + 1), plan, "the snapshot takes the next number");
        backupPlan.snapshotSent("r", 100);
        assertEquals(plan(NONE, NONE, List.of("b"), seq + 2), backupPlan.changed("r", true, List.of("b"), 1_000),
                "the log starts over after the fresh snapshot");
        int deltas = 1;
        while (!backupPlan.changed("r", true, List.of("b"), 1_000).deltaTo().isEmpty()) {
            deltas++;
        }
        assertEquals(BackupPlan.MIN_RESNAPSHOT_BYTES / 1_000, deltas, "a small room: the floor applies");
    }
}
