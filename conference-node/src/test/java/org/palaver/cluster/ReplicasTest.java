package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicasTest {
    private final Replicas replicas = new Replicas();
    private static final List<String> NONE = List.of();

    private static Replicas.Plan plan(List<String> drop, List<String> snapshot, List<String> delta, long seq) {
        return new Replicas.Plan(drop, snapshot, delta, seq);
    }

    @Test
    void aNewRoomStartsWithASnapshotThenDeltasCountUp() {
        assertEquals(plan(NONE, List.of("b"), NONE, 0), replicas.changed("r", true, List.of("b")));
        assertEquals(plan(NONE, NONE, List.of("b"), 1), replicas.changed("r", true, List.of("b")));
        assertEquals(plan(NONE, NONE, List.of("b"), 2), replicas.changed("r", true, List.of("b")));
        assertEquals(Set.of("b"), replicas.backups());
        assertEquals(Set.of("r"), replicas.rooms());
    }

    @Test
    void aMovedBackupGetsASnapshotAndTheFormerOneDropsItsCopy() {
        replicas.changed("r", true, List.of("b"));
        replicas.changed("r", true, List.of("b"));
        assertEquals(plan(List.of("b"), List.of("c"), NONE, 0), replicas.establish("r", true, List.of("c")));
        assertEquals(plan(NONE, NONE, NONE, 0), replicas.establish("r", true, List.of("c")), "already there");
        assertEquals(plan(NONE, NONE, List.of("c"), 1), replicas.changed("r", true, List.of("c")));
        assertEquals(plan(List.of("c"), List.of("b"), NONE, 0), replicas.changed("r", true, List.of("b")),
                "changed and moved at once");
    }

    @Test
    void twoBackupsGetTheSameChangesAndOnlyTheOneLeftDrops() {
        assertEquals(plan(NONE, List.of("b", "c"), NONE, 0), replicas.changed("r", true, List.of("b", "c")));
        assertEquals(plan(NONE, NONE, List.of("b", "c"), 1), replicas.changed("r", true, List.of("b", "c")));
        assertEquals(Set.of("b", "c"), replicas.backups());
        assertEquals(plan(List.of("c"), List.of("b", "d"), NONE, 0), replicas.establish("r", true, List.of("b", "d")),
                "a new second backup: both start over from a snapshot, the former one drops its copy");
        assertEquals(List.of("b", "d"), replicas.forget("r"));
    }

    @Test
    void noBackupOrNoRoomMeansTheCopyGoes() {
        replicas.changed("r", true, List.of("b"));
        assertEquals(plan(List.of("b"), NONE, NONE, 0), replicas.establish("r", true, NONE), "alone in the view");
        assertEquals(Set.of(), replicas.backups());
        replicas.changed("r", true, List.of("b"));
        assertEquals(plan(List.of("b"), NONE, NONE, 0), replicas.changed("r", false, List.of("b")), "the room went");
        assertEquals(plan(NONE, NONE, NONE, 0), replicas.changed("nothing", false, List.of("b")),
                "a stanza for a room that does not exist replicates nothing");
    }

    @Test
    void aResyncStartsOverWithASnapshotAndForgetNamesTheBackup() {
        replicas.changed("r", true, List.of("b"));
        replicas.changed("r", true, List.of("b"));
        replicas.resync("r");
        assertEquals(plan(NONE, List.of("b"), NONE, 0), replicas.changed("r", true, List.of("b")));
        assertEquals(List.of("b"), replicas.forget("r"));
        assertEquals(NONE, replicas.forget("r"));
        assertEquals(Set.of(), replicas.rooms());
    }
}
