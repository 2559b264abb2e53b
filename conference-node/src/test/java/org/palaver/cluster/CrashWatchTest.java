package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The crash probe: only a port nobody listens on (a process that is gone) counts as proof of a crash. */
class CrashWatchTest {
    @Test
    void aListeningPortIsAliveAndAClosedOneRefuses() throws Exception {
        InetSocketAddress address;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            assertFalse(CrashWatch.refuses(address), "a process listening there, even one not accepting yet");
        }
        assertTrue(CrashWatch.refuses(address), "nobody listens any more: the process is gone");
    }

    @Test
    void aMemberOutsideTheViewThisNodeRoutesByLeftOnPurposeAndIsNoCrash() {
        OwnershipView afterLeave = new OwnershipView(7, List.of("b", "c"));
        assertTrue(CrashWatch.ownsNoRoom("a", afterLeave), "a left the view, then Hazelcast: a graceful leave");
        assertFalse(CrashWatch.ownsNoRoom("b", afterLeave), "an owner whose port refuses has crashed");
        assertFalse(CrashWatch.ownsNoRoom("a", OwnershipView.EMPTY), "no view yet: the port decides");
        assertFalse(CrashWatch.ownsNoRoom(null, afterLeave), "not a node of ours: the port decides");
    }

    @Test
    void membersThatCrashedTogetherAreReportedWithTheMasterLast() {
        assertEquals(List.of("b", "c", "a"), CrashWatch.masterLast(List.of("a", "b", "c"), "a"),
                "the master's suspicion starts the survivor's mastership claim: every other crash is known by then");
        assertEquals(List.of("c", "b"), CrashWatch.masterLast(List.of("c", "b"), "a"), "the master is alive: as confirmed");
        assertEquals(List.of("a"), CrashWatch.masterLast(List.of("a"), "a"));
    }
}
