package org.palaver.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * Which node messages are stale after a node was dropped from the ownership view and came back
 * (docs/architecture.md, "Fencing: frozen nodes, partitions and double crashes (gray
 * failures)"): a room's state, a replication message, a handoff marker or relayed output sent by
 * a node before the epoch at which it was taken back into the view, or sent to this node before
 * the epoch at which this node was dropped. Such a message describes rooms as the sender held them
 * under an epoch the cluster has moved past, and is refused.
 *
 * <p>Stanzas are never stale, whatever form they travel in: a stanza is what a user said, not
 * state; it is routed by the receiver's current view to the room's current owner, and the room's
 * marks ({@link RoomMarks}) drop a copy already applied. Refusing one would lose it: a node dropped
 * from the view passes what its router queued meanwhile to the owners under the epoch it knows,
 * and those owners may have moved on to the epoch that takes it back in before the stanzas arrive.
 * Acknowledgements are never stale either (they only settle what was applied).
 *
 * <p>Pure: the caller runs it on the node's event loop.
 */
final class StaleMessages {
    /** Nodes that came back into the view, with the epoch of the first view that had them again. */
    private final Map<String, Long> rejoinedAt = new HashMap<>();
    /** This node was dropped before this epoch: what was sent to it under an older one is stale. */
    private long refuseBefore;

    /**
     * Whether a message of {@code type} can be stale at all: false for what is never refused for
     * its epoch (stanzas, acknowledgements, a backup's request for a snapshot). An exhaustive
     * switch, so that a new message type is decided here when it is added.
     */
    static boolean epochBound(NodeMessage.Type type) {
        return switch (type) {
            case STANZA, PARSED_STANZA, ACK, RESYNC -> false;
            case HANDOFF, FLUSH, DONE, SNAPSHOT, DELTA, PARSED_DELTA, KNOWN_DELTA, BEAT, DROP, OUTPUT, BATCH -> true;
        };
    }

    /** Whether a message of {@code type} from {@code sender}, sent under {@code epoch}, is stale. */
    boolean stale(NodeMessage.Type type, String sender, long epoch) {
        if (!epochBound(type)) {
            return false;
        }
        if (epoch < refuseBefore) {
            return true;
        }
        Long back = rejoinedAt.get(sender);
        return back != null && epoch < back;
    }

    /** {@code node} is back in the view from {@code epoch} on: what it sent under older epochs is stale. */
    void rejoined(String node, long epoch) {
        rejoinedAt.merge(node, epoch, Math::max);
    }

    /** This node was dropped from the view before {@code epoch}: what was sent to it under older epochs is stale. */
    void refuseBefore(long epoch) {
        refuseBefore = Math.max(refuseBefore, epoch);
    }
}
