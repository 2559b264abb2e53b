package org.palaver.cluster;

import org.palaver.core.RoomState;
import org.palaver.metrics.RefusedReason;
import org.palaver.xml.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves rooms in and out of this node's core as ownership changes, on the node's event loop: hands
 * every room this node no longer owns to its new owner, takes over the rooms handed here, promotes
 * the backups of crashed nodes' rooms (with {@link Replication}) and discards every room when this
 * node was dropped from the view.
 */
final class RoomHandoff {
    private static final Logger log = LoggerFactory.getLogger(RoomHandoff.class);

    private final LocalNode node;
    private final CurrentView view;
    private final NodeChannel channel;
    /** {@code null} with {@code <backups>0</backups>}. */
    private final Replication replication;
    /** The rooms' marks travel with them. */
    private final Resend resend;

    RoomHandoff(LocalNode node, CurrentView view, NodeChannel channel, Replication replication, Resend resend) {
        this.resend = resend;
        this.node = node;
        this.view = view;
        this.channel = channel;
        this.replication = replication;
    }

    /** What moved when the view changed ({@link #viewChanged}). */
    record Moved(int promoted, int handedOff) {
    }

    /**
     * The view moved on from {@code before} to the current one: the backups of crashed nodes' rooms
     * this node now owns are promoted, every room it no longer owns is handed off, and every room
     * here gets the backups the new view names.
     */
    Moved viewChanged(OwnershipView before) {
        if (replication != null) {
            replication.present(before, view.now());
        }
        int promoted = replication == null ? 0 : replication.promoteCrashed(before);
        int handedOff = handOff();
        if (replication != null) {
            replication.establishAll();
        }
        return new Moved(promoted, handedOff);
    }

    /**
     * A cluster member left; if it crashed after it had left the view, the backups of its rooms
     * are promoted and moved on as the current view says.
     */
    void memberGone(String member, boolean fenced) {
        if (replication != null && replication.departed(member) && !fenced) {
            replication.promoteCrashed(view.previous());
            handOff();
            replication.establishAll();
        }
    }

    /** Exports every room this node no longer owns to its new owner; returns how many. */
    private int handOff() {
        OwnershipView current = view.now();
        int n = 0;
        for (Jid room : node.core().roomKeys()) {
            String owner = current.owner(room);
            if (owner == null) {
                log.warn("room {} is lost: no node owns rooms any more", room);
                continue;
            }
            if (owner.equals(node.self())) {
                continue;
            }
            long t0 = System.nanoTime();
            RoomState state = node.core().exportRoom(room);
            if (state == null) {
                continue;
            }
            if (replication != null) {
                replication.left(room);
            }
            byte[] bytes = state.bytes();
            channel.send(owner, new NodeMessage(NodeMessage.Type.HANDOFF, current.epoch(), node.self(), 0,
                    room.toString(), bytes, resend.marks(room.toString())));
            resend.left(room.toString());
            node.metrics().roomHandedOff();
            n++;
            log.info("handed room {} to {} (epoch {}, {} bytes, {} µs)", room, owner, current.epoch(), bytes.length,
                    (System.nanoTime() - t0) / 1000);
        }
        return n;
    }

    /** A room handed here ({@link NodeMessage.Type#HANDOFF}): imported, or passed on to its owner. */
    void takeOver(NodeMessage m) {
        OwnershipView current = view.now();
        String owner = current.owner(m.key());
        if (owner != null && !owner.equals(node.self())) {
            log.info("passing room {} from {} on to {} (epoch {})", m.key(), m.sender(), owner, current.epoch());
            channel.send(owner, m.relayedBy(node.self()));
            return;
        }
        RoomState state;
        try {
            state = RoomState.decode(m.payload());
        } catch (IllegalArgumentException e) {
            node.metrics().messageRefused(RefusedReason.BAD_PAYLOAD);
            log.error("room {} from {} is lost: its state does not decode: {}", m.key(), m.sender(), e.getMessage());
            return;
        }
        try {
            node.core().importRoom(state);
        } catch (IllegalStateException e) {
            log.error("room {} from {} (epoch {}) conflicts with the room of that name held here; kept ours: {}",
                    m.key(), m.sender(), m.epoch(), e.getMessage());
            return;
        }
        resend.arrived(m.key(), m.marks());
        node.metrics().roomTakenOver();
        log.info("took over room {} from {} (epoch {}, {} bytes)", m.key(), m.sender(), m.epoch(), m.payload().length);
        if (replication != null) {
            replication.establish(state.room());
        }
    }

    /**
     * This node was dropped from the view: the rooms it held are owned under {@code current} by
     * other nodes (from their backups, or anew), so its own are discarded, and so are its backups
     * of other nodes' rooms. Returns how many rooms it discarded.
     */
    int discardAll(OwnershipView current) {
        int discarded = 0;
        for (Jid room : node.core().roomKeys()) {
            if (node.core().exportRoom(room) != null) {
                resend.left(room.toString());
                discarded++;
            }
        }
        if (replication != null) {
            replication.reset();
            replication.present(OwnershipView.EMPTY, current); // it saw them leave from its side of the split
            replication.refuseBefore(current.epoch());
        }
        node.metrics().roomsDiscarded(discarded);
        return discarded;
    }
}
