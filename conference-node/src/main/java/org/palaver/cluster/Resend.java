package org.palaver.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.palaver.metrics.ClusterMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No loss of accepted stanzas on a crash (docs/architecture.md, "No loss of accepted stanzas"),
 * on the node's event loop, driven by {@link ClusterRouting} and {@link Replication}:
 *
 * <ul>
 *   <li>as an ingress node it numbers every stanza it forwards and keeps it in its
 *       {@link ForwardLedger} until acknowledged; when the node it was sent to has crashed and
 *       left the view, the stanza goes again to the room's owner under the new view;</li>
 *   <li>as a room's owner it keeps the room's {@link RoomMarks}, drops a stanza it already
 *       applied, and gives the marks to the room's backups (with each delta and snapshot) and to
 *       the room's next owner (with the handoff);</li>
 *   <li>as a backup it acknowledges to each ingress node the stanzas whose deltas it now holds (a
 *       promotion would apply them); an owner without a backup acknowledges itself.</li>
 * </ul>
 *
 * <p>Acknowledgements are collected during the event-loop turn and leave at its end, one
 * {@link NodeMessage.Type#ACK} per ingress node with one cumulative mark per room. Stanzas are
 * numbered only with backups on and while every member speaks
 * {@value NodeMessage#MARKS_PROTOCOL} (with a release 0.1.0 node in the cluster: the old
 * behaviour); an ACK goes only to a node that numbered a stanza, which reads it.
 */
final class Resend {
    private static final Logger log = LoggerFactory.getLogger(Resend.class);
    /** Most stanzas kept for a resend. */
    static final int MAX_ENTRIES = 100_000;
    /** Most stanza bytes kept for a resend. */
    static final long MAX_BYTES = 64L * 1024 * 1024;
    /** An acknowledgement later than this will not come (far beyond failure detection plus handoff). */
    static final long MAX_AGE_MS = 120_000;
    /** How often the ledger's upkeep runs. */
    static final long TICK_MS = 1000;
    /** The room marks of rooms no longer held are dropped every this many ticks. */
    static final int PRUNE_TICKS = 10;
    /** An entry waiting this long for its acknowledgement is logged (once): acknowledgements take a round trip. */
    static final long LATE_MS = 10_000;

    private final LocalNode node;
    private final String self;
    private final CurrentView view;
    private final ClusterProtocol protocol;
    private final boolean backedUp;
    private final ClusterMetrics metrics;
    private final NodeChannel channel;
    private final ForwardLedger ledger = new ForwardLedger(MAX_ENTRIES, MAX_BYTES, MAX_AGE_MS * 1_000_000);
    private final RoomMarks marks = new RoomMarks();
    /** Acknowledgements of this turn: ingress node → room → highest sequence number. */
    private final Map<String, Map<String, Long>> acks = new LinkedHashMap<>();
    /**
     * Members Hazelcast reported gone, until a view has them again or Hazelcast lists them again
     * (checked at each view change): nothing is forwarded to them.
     */
    private final Set<String> departed = new HashSet<>();
    private long ticks;
    private long evictedSeen;
    private long lateLogged;
    private volatile int unacked;

    /**
     * Starts its upkeep timer; must be created on the node's context.
     *
     * @param backedUp whether rooms have backups (without, a crashed owner's rooms are gone and nothing is resent)
     * @param channel  the node's messages to other nodes; this turn's acknowledgements join its batches
     */
    Resend(LocalNode node, CurrentView view, ClusterProtocol protocol, boolean backedUp, NodeChannel channel) {
        this.node = node;
        this.self = node.self();
        this.view = view;
        this.protocol = protocol;
        this.backedUp = backedUp;
        this.metrics = node.metrics();
        this.channel = channel;
        channel.atTurnEnd(this::flushAcks);
        metrics.bindUnacked(() -> unacked);
        node.vertx().setPeriodic(TICK_MS, id -> tick(System.nanoTime(), room -> node.core().holds(node.jids().parse(room))));
    }

    // ---- this node as the ingress node ----------------------------------------------------------

    /**
     * A stanza for {@code room} is forwarded to {@code owner}: returns the mark it travels with.
     * A stanza this node accepted from the router ({@code mark} null) is numbered and kept until
     * acknowledged (when numbering is on, else null); one of its own sent again is re-targeted; a
     * stanza relayed for another node keeps that node's mark. {@code routedAt}: the epoch it was
     * first routed under, which a resend keeps (the new owner releases older-epoch stanzas first:
     * a resend must not come after what this node sent since).
     */
    NodeMessage.Mark forwarding(String room, byte[] bytes, boolean parsed, String owner, NodeMessage.Mark mark,
                                long routedAt) {
        if (mark == null) {
            if (!backedUp || !protocol.allSpeak(NodeMessage.MARKS_PROTOCOL)) {
                return null;
            }
            long seq = ledger.record(room, bytes, parsed, owner, System.nanoTime(), routedAt);
            unacked = ledger.size();
            return new NodeMessage.Mark(self, seq);
        }
        if (mark.id().equals(self)) {
            ledger.retarget(room, mark.seq(), owner);
        }
        return mark;
    }

    /** Whether {@code node} has left the cluster (and not come back): stanzas for its rooms wait for the next view. */
    boolean departed(String node) {
        return departed.contains(node);
    }

    /**
     * Hazelcast reported {@code node} gone; the node routes by {@code view}. Returns what to send
     * again at once should {@code view} no longer have it (the view came first): see {@link #viewChanged}.
     */
    List<ForwardLedger.Entry> memberGone(String node, OwnershipView view) {
        departed.add(node);
        return view.contains(node) ? List.of() : again(view);
    }

    /**
     * The view changes from {@code before} to {@code next}: members it has again came back;
     * returns this node's unacknowledged stanzas last sent to a crashed node that {@code next}
     * no longer has, in the order they were numbered, for the caller to route anew (with their marks).
     */
    List<ForwardLedger.Entry> viewChanged(OwnershipView before, OwnershipView next) {
        for (String member : next.members()) {
            if (!before.contains(member)) {
                departed.remove(member);
            }
        }
        // members Hazelcast lists again came back (a node merged back after a freeze saw the others leave)
        departed.removeAll(Set.copyOf(view.members()));
        return again(next);
    }

    /** The entries last sent to a node that left the cluster and is not in {@code next}. */
    private List<ForwardLedger.Entry> again(OwnershipView next) {
        Set<String> alive = Set.copyOf(view.members());
        List<ForwardLedger.Entry> stranded = ledger.stranded(n -> !next.contains(n)
                && (departed.contains(n) || !alive.contains(n)));
        if (!stranded.isEmpty()) {
            metrics.resent(stranded.size());
            Set<String> targets = new HashSet<>();
            Set<String> rooms = new TreeSet<>();
            stranded.forEach(e -> {
                targets.add(e.target());
                rooms.add(e.room());
            });
            stranded.forEach(e -> e.target = self); // routed anew now: forwarded (and re-targeted) or kept here
            log.info("resending {} forwarded stanza(s) not acknowledged by {}, which crashed, to the rooms' owners"
                    + " under epoch {} (rooms {})", stranded.size(), targets, next.epoch(), rooms);
        }
        return stranded;
    }

    /** The stanza numbered {@code seq} that this node forwarded for {@code room}, while kept (not yet acknowledged), or null. */
    ForwardLedger.Entry kept(String room, long seq) {
        return ledger.entry(room, seq);
    }

    /** An ACK from another node: its marks settle this node's stanzas per room. */
    void onAck(NodeMessage m) {
        for (NodeMessage.Mark mark : m.marks()) {
            ledger.acked(mark.id(), mark.seq());
        }
        unacked = ledger.size();
    }

    // ---- this node as a room's owner ------------------------------------------------------------

    /**
     * Whether the stanza named {@code mark} (null: unnumbered) is to be applied to {@code room}:
     * false for one applied already, which is dropped, counted, and acknowledged again.
     */
    boolean admit(String room, NodeMessage.Mark mark) {
        if (mark == null || marks.admit(room, mark)) {
            return true;
        }
        metrics.duplicateDropped();
        log.info("dropped a stanza for {} from {} applied already (number {}; applied up to {})", room, mark.id(),
                mark.seq(), marks.of(room, mark.id()));
        acknowledge(mark.id(), room, marks.of(room, mark.id()));
        return false;
    }

    /** The marks of a room held here, for its snapshot or handoff. */
    List<NodeMessage.Mark> marks(String room) {
        return marks.of(room);
    }

    /** A room arrived here (handoff, promotion) with {@code roomMarks}. */
    void arrived(String room, List<NodeMessage.Mark> roomMarks) {
        marks.put(room, roomMarks);
    }

    /** A room left this node (handed off, discarded). */
    void left(String room) {
        marks.remove(room);
    }

    // ---- acknowledgements ---------------------------------------------------------------------

    /**
     * The stanzas named by {@code stanzaMarks} are applied to {@code room} and held by a node that
     * would serve the room should its owner crash (a backup that logged them, or an owner without
     * backup): each ingress node is told, at the end of the turn.
     */
    void held(String room, List<NodeMessage.Mark> stanzaMarks) {
        for (NodeMessage.Mark m : stanzaMarks) {
            acknowledge(m.id(), room, m.seq());
        }
    }

    private void acknowledge(String origin, String room, long seq) {
        if (origin.equals(self)) {
            ledger.acked(room, seq);
            unacked = ledger.size();
            return;
        }
        acks.computeIfAbsent(origin, n -> new HashMap<>()).merge(room, seq, Math::max);
        channel.openTurn(); // they leave with this turn's batches (flushAcks)
    }

    /** This turn's acknowledgements, one ACK per ingress node, into the turn's batches. */
    private void flushAcks() {
        if (acks.isEmpty()) {
            return;
        }
        acks.forEach((origin, rooms) -> {
            List<NodeMessage.Mark> ms = new ArrayList<>(rooms.size());
            rooms.forEach((room, seq) -> ms.add(new NodeMessage.Mark(room, seq)));
            channel.send(origin, new NodeMessage(NodeMessage.Type.ACK, view.now().epoch(), self, 0, "", new byte[0], ms));
        });
        acks.clear();
    }

    // ---- upkeep -------------------------------------------------------------------------------

    /** Every tick: expires what will not be acknowledged any more; now and then forgets the marks of rooms gone. */
    void tick(long now, Predicate<String> holds) {
        int expired = ledger.expire(now);
        if (expired > 0) {
            metrics.unackedDropped("expired", expired);
            log.warn("{} forwarded stanza(s) were never acknowledged within {} s; no longer kept for a resend",
                    expired, MAX_AGE_MS / 1000);
        }
        long evicted = ledger.evicted();
        if (evicted > evictedSeen) {
            metrics.unackedDropped("full", evicted - evictedSeen);
            log.warn("{} forwarded stanza(s) not kept for a resend: more than {} or {} bytes wait for acknowledgement",
                    evicted - evictedSeen, MAX_ENTRIES, MAX_BYTES);
            evictedSeen = evicted;
        }
        unacked = ledger.size();
        ForwardLedger.Entry late = ledger.oldestWaiting();
        if (late != null && late.seq() > lateLogged && now - late.firstSent() > LATE_MS * 1_000_000) {
            lateLogged = late.seq();
            log.warn("forwarded stanza {} for {} waits {} ms for its acknowledgement (last sent to {}; {} waiting)",
                    late.seq(), late.room(), (now - late.firstSent()) / 1_000_000, late.target(), ledger.size());
        }
        if (++ticks % PRUNE_TICKS == 0) {
            marks.retain(holds);
        }
    }

    /** Forwarded stanzas waiting for their acknowledgement. */
    int unacked() {
        return ledger.size();
    }
}
