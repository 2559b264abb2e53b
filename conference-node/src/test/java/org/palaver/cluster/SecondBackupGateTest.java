package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The second backup copy exists only while every member speaks the protocol that introduced it: a
 * member of release 0.1.0 (no protocol attribute, protocol 1) keeps one backup per room, and the
 * room's backups move to two again once it has left (docs/compatibility.md).
 */
class SecondBackupGateTest {
    private static final OwnershipView VIEW = new OwnershipView(7, List.of("a", "b", "c"));

    /** The backups a room gets with {@code configured} copies among members publishing {@code attributes}. */
    private static List<String> backups(String room, int configured, String... attributes) {
        int spoken = ClusterProtocol.lowest(Arrays.stream(attributes));
        return VIEW.placement(room).backups(Replication.backupsNow(configured, spoken));
    }

    @Test
    void twoBackupsOnlyWhenEveryMemberSpeaksProtocolTwo() {
        OwnershipView.Placement p = VIEW.placement("r@conference.localhost");
        assertEquals(List.of(p.backup(), p.second()), backups("r@conference.localhost", 2, "2", "2", "2"));
        assertEquals(List.of(p.backup()), backups("r@conference.localhost", 2, "2", null, "2"),
                "a 0.1.0 member (no attribute): the runner-up only, as 0.1.0 places it");
        assertEquals(List.of(p.backup()), backups("r@conference.localhost", 2, "2", "1", "2"));
        assertEquals(List.of(p.backup()), backups("r@conference.localhost", 1, "2", "2", "2"), "one configured");
        assertEquals(List.of(), backups("r@conference.localhost", 0, "2", "2", "2"), "none configured");
        assertEquals(List.of(), backups("r@conference.localhost", 0, "2", null), "none configured, mixed");
    }

    @Test
    void theRoomsBackupsFollowTheProtocolOfTheMembers() {
        Replicas replicas = new Replicas();
        String room = "r@conference.localhost";
        OwnershipView.Placement p = VIEW.placement(room);
        List<String> both = List.of(p.backup(), p.second());

        assertEquals(both, replicas.changed(room, true, backups(room, 2, "2", "2", "2"), 100).snapshotTo());
        Replicas.Plan mixed = replicas.changed(room, true, backups(room, 2, "2", null, "2"), 100);
        assertEquals(new Replicas.Plan(List.of(p.second()), List.of(p.backup()), List.of(), 0), mixed,
                "a 0.1.0 member joined: the second copy is dropped, the runner-up starts over from a snapshot");
        assertEquals(List.of(p.backup()), replicas.changed(room, true, backups(room, 2, "2", null, "2"), 100)
                .deltaTo(), "deltas to the runner-up alone while the 0.1.0 member stays");
        assertEquals(both, replicas.changed(room, true, backups(room, 2, "2", "2", "2"), 100).snapshotTo(),
                "it left: both copies again");
    }
}
