package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StaleMessagesTest {
    @Test
    void whatANodeSentBeforeItWasTakenBackIntoTheViewIsStaleButItsStanzasAreNot() {
        StaleMessages stale = new StaleMessages();
        stale.rejoined("woken", 5); // dropped at epoch 4 (frozen), back at 5
        for (NodeMessage.Type t : new NodeMessage.Type[] {NodeMessage.Type.HANDOFF, NodeMessage.Type.SNAPSHOT,
                NodeMessage.Type.DELTA, NodeMessage.Type.PARSED_DELTA, NodeMessage.Type.BEAT, NodeMessage.Type.DROP,
                NodeMessage.Type.FLUSH, NodeMessage.Type.DONE, NodeMessage.Type.OUTPUT}) {
            assertTrue(stale.stale(t, "woken", 4), t + " under the epoch that did not have it");
            assertFalse(stale.stale(t, "woken", 5), t + " under the epoch that has it again");
            assertFalse(stale.stale(t, "other", 4), t + " from a node that never left");
        }
        // what its router queued while it was frozen, passed on under epoch 4 and arriving after the owner
        // moved to epoch 5: a user's stanza, to be applied once (the room's marks drop a second copy)
        assertFalse(stale.stale(NodeMessage.Type.PARSED_STANZA, "woken", 4), "a stanza in its parsed form");
        assertFalse(stale.stale(NodeMessage.Type.STANZA, "woken", 4), "a stanza as XML");
        assertFalse(stale.stale(NodeMessage.Type.ACK, "woken", 4), "an acknowledgement");
    }

    @Test
    void afterThisNodeWasDroppedWhatWasSentToItBeforeIsStaleButStanzasAreRoutedOn() {
        StaleMessages stale = new StaleMessages();
        stale.refuseBefore(4);
        stale.refuseBefore(3); // an older drop does not lower the bar
        assertTrue(stale.stale(NodeMessage.Type.DELTA, "owner", 3));
        assertTrue(stale.stale(NodeMessage.Type.HANDOFF, "owner", 3));
        assertFalse(stale.stale(NodeMessage.Type.DELTA, "owner", 4));
        assertFalse(stale.stale(NodeMessage.Type.PARSED_STANZA, "ingress", 3),
                "a stanza forwarded to it while it was frozen goes on to the room's owner");
        assertFalse(stale.stale(NodeMessage.Type.STANZA, "ingress", 3));
        assertFalse(stale.stale(NodeMessage.Type.RESYNC, "backup", 3), "a backup asking for a snapshot");
    }

    @Test
    void onlyRoomStateAndItsMarkersAreBoundToAnEpoch() {
        for (NodeMessage.Type t : NodeMessage.Type.values()) {
            boolean stanzaLike = t == NodeMessage.Type.STANZA || t == NodeMessage.Type.PARSED_STANZA
                    || t == NodeMessage.Type.ACK || t == NodeMessage.Type.RESYNC;
            assertTrue(StaleMessages.epochBound(t) != stanzaLike, t.toString());
        }
    }
}
