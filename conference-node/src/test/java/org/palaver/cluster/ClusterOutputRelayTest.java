package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which node relays a cut-off node's output. */
class ClusterOutputRelayTest {
    private static final List<String> VIEW = List.of("n1", "n2", "n3", "n4");

    @Test
    void theNextLiveViewMemberAfterSelfWrappingAround() {
        assertEquals("n2", ClusterOutputRelay.peer("n1", VIEW, VIEW));
        assertEquals("n4", ClusterOutputRelay.peer("n3", VIEW, VIEW));
        assertEquals("n1", ClusterOutputRelay.peer("n4", VIEW, VIEW), "wraps around");
        assertEquals("n3", ClusterOutputRelay.peer("n1", VIEW, List.of("n1", "n3", "n4")), "a departed member is skipped");
        assertEquals("n1", ClusterOutputRelay.peer("n5", VIEW, List.of("n1", "n2", "n5")),
                "a node outside the view relays through a member");
    }

    @Test
    void membersOutsideTheViewOrTheClusterAreNeverChosen() {
        assertNull(ClusterOutputRelay.peer("n1", List.of("n1"), List.of("n1", "n2")), "n2 has no router yet: not in the view");
        assertNull(ClusterOutputRelay.peer("n1", VIEW, List.of("n1")));
        assertNull(ClusterOutputRelay.peer("n1", List.of(), List.of()));
    }
}
