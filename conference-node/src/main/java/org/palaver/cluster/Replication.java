package org.palaver.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import org.palaver.component.LocalCore;
import org.palaver.core.RoomState;
import org.palaver.core.ServiceSettings;
import org.palaver.metrics.ClusterMetrics;
import org.palaver.metrics.RefusedReason;
import org.palaver.xml.Jid;
import org.palaver.xml.JidCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash takeover for one node (see docs/architecture.md, "Replication and crash takeover"), on the
 * node's event loop, driven by {@link StanzaRouter}, {@link RoomHandoff} and {@link ClusterRouting}.
 * As a room's owner it sends each applied
 * stanza with its time to the room's backup node (the runner-up of the ownership ranking), its
 * heartbeats to every node backing up its rooms, and snapshots to new backups ({@link BackupPlan}
 * decides); as a backup it keeps other nodes' rooms ({@link HeldBackups}), asks for a
 * snapshot when it sees a gap, and ignores nodes that have departed; when a crashed node has left
 * the view it promotes that node's backups into this node's core.
 */
final class Replication {
    private static final Logger log = LoggerFactory.getLogger(Replication.class);
    private static final byte[] NONE = new byte[0];

    private final LocalCore core;
    private final String self;
    private final ClusterMetrics metrics;
    private final JidCache jids;
    private final CurrentView view;
    private final BiConsumer<String, NodeMessage> send;
    /** The marks of the stanzas applied, for the backups and the acknowledgements. */
    private final Resend resend;
    private final BackupPlan backupPlan = new BackupPlan();
    /** Backups per room as configured: 1 or 2. */
    private final int backups;
    /** The protocol the cluster speaks: a second backup only when every member speaks {@link #SECOND_BACKUP_PROTOCOL}. */
    private final IntSupplier spoken;
    private final HeldBackups held;
    /** Backups whose owner was asked for a snapshot after a gap; further gaps are not asked again. */
    private final Set<String> resyncing = new HashSet<>();
    /**
     * Nodes Hazelcast reported gone, with when this node noticed (nano time): their replication
     * messages are fenced off, and the backups of their rooms are promoted once they left the view.
     * One small entry per node that ever left.
     */
    private final Map<String, Long> departed = new HashMap<>();
    private volatile int heldCount;
    /** Crashed owners whose backups wait here: the epoch of the first view without them. */
    private final Map<String, Long> outOfViewSince = new HashMap<>();
    /**
     * Nodes that left the cluster and came back (a frozen node merged back in), and this node's
     * own drop: their replication messages and handoffs from before are stale and refused.
     */
    private final StaleMessages staleMessages = new StaleMessages();

    /**
     * The protocol from which the cluster keeps a second backup: a node of release 0.1.0 (protocol 1)
     * knows one backup per room, the runner-up, and neither keeps nor promotes a second backup the way
     * this build does ({@code successor}), so a mixed cluster keeps one (docs/compatibility.md).
     */
    static final int SECOND_BACKUP_PROTOCOL = 2;

    /**
     * @param view    the view the node routes by now
     * @param send    sends a message to a node's address
     * @param backups backups per room as configured (1 or 2)
     * @param spoken  the protocol the cluster speaks now (the lowest among its members)
     * @param resend  the marks of the stanzas applied, acknowledged when a backup has them
     */
    Replication(LocalNode node, ServiceSettings service, CurrentView view, BiConsumer<String, NodeMessage> send,
                int backups, IntSupplier spoken, Resend resend) {
        this.resend = resend;
        this.core = node.core();
        this.backups = backups;
        this.spoken = spoken;
        this.self = node.self();
        this.metrics = node.metrics();
        this.jids = node.jids();
        this.view = view;
        this.send = send;
        this.held = new HeldBackups(service);
        metrics.bindBackupRooms(() -> heldCount);
        core.onHeartbeat(this::heartbeat);
    }

    // ---- this node as a room's owner -------------------------------------------------------

    /**
     * The stanza {@code bytes} (XML, or its parsed form if {@code parsed}: every member reads that)
     * was applied to {@code room} at {@code now}: send it to the room's backups, which the caller
     * has from the current view's {@code placement} (it ranked the members once for owner and
     * backups). {@code mark} names the stanza (null: unnumbered); the backups acknowledge it to its
     * ingress node, or this node does when the room has no backup to send it to.
     */
    void applied(Jid room, long now, byte[] bytes, boolean parsed, OwnershipView.Placement placement,
                 NodeMessage.Mark mark) {
        String key = room.toString();
        BackupPlan.Plan plan = backupPlan.changed(key, core.holds(room), placement.backups(backupsNow()), bytes.length);
        if (plan.deltaTo().isEmpty()) {
            carryOut(key, room, plan);
            if (plan.snapshotTo().isEmpty() && mark != null) {
                resend.held(key, List.of(mark));
            }
            return;
        }
        List<NodeMessage.Mark> marks = mark == null ? List.of() : List.of(mark);
        String known = knownAt(mark, plan.deltaTo());
        if (known != null) {
            send(known, NodeMessage.Type.KNOWN_DELTA, key, new BackupPayload(plan.seq(), now, NONE).encode(), marks);
            metrics.knownDeltaSent();
            return;
        }
        byte[] payload = new BackupPayload(plan.seq(), now, bytes).encode();
        for (String node : plan.deltaTo()) {
            send(node, parsed ? NodeMessage.Type.PARSED_DELTA : NodeMessage.Type.DELTA, key, payload, marks);
            metrics.deltaSent();
        }
    }

    /**
     * The backup that gets a {@link NodeMessage.Type#KNOWN_DELTA}, or null: the room's only backup
     * when it is the ingress node that {@code mark} names (it holds the stanza until acknowledged,
     * and only it acknowledges the stanza, after logging it). With two backups the other one's
     * acknowledgement could settle the ingress node's copy before this delta arrives, so both get
     * the stanza.
     */
    private String knownAt(NodeMessage.Mark mark, List<String> deltaTo) {
        if (mark == null || deltaTo.size() != 1 || spoken.getAsInt() < NodeMessage.KNOWN_DELTA_PROTOCOL) {
            return null;
        }
        return mark.id().equals(deltaTo.get(0)) ? mark.id() : null;
    }

    /** Gives every room held here the backup the current view names (a snapshot to a new backup), if it lacks it. */
    void establishAll() {
        core.roomKeys().forEach(this::establish);
    }

    /** Gives the room the backup the current view names, if it lacks it (a room that just arrived). */
    void establish(Jid room) {
        String key = room.toString();
        carryOut(key, room, backupPlan.establish(key, core.holds(room), view.now().placement(key).backups(backupsNow())));
    }

    /**
     * The backups each room gets now: as configured, but one while a member does not speak
     * {@link #SECOND_BACKUP_PROTOCOL}. A change of the cluster's protocol moves every room's backups
     * on its next change or view change ({@link BackupPlan}: a snapshot to a new second backup, a
     * {@code DROP} to one no longer wanted).
     */
    int backupsNow() {
        return backupsNow(backups, spoken.getAsInt());
    }

    /** {@link #backupsNow()} for {@code configured} backups in a cluster speaking {@code protocol}. */
    static int backupsNow(int configured, int protocol) {
        return protocol < SECOND_BACKUP_PROTOCOL ? Math.min(configured, 1) : configured;
    }

    /** The room left this node (handed off): its backups forget it. */
    void left(Jid room) {
        String key = room.toString();
        for (String backup : backupPlan.forget(key)) {
            dropAt(backup, key);
        }
    }

    private void carryOut(String key, Jid room, BackupPlan.Plan plan) {
        for (String node : plan.dropAt()) {
            dropAt(node, key);
        }
        if (!plan.snapshotTo().isEmpty()) {
            byte[] state = core.snapshotRoom(room).bytes();
            byte[] payload = new BackupPayload(plan.seq(), 0, state).encode();
            List<NodeMessage.Mark> marks = resend.marks(key);
            for (String node : plan.snapshotTo()) {
                send(node, NodeMessage.Type.SNAPSHOT, key, payload, marks);
                metrics.snapshotSent();
            }
            backupPlan.snapshotSent(key, state.length);
        }
    }

    private void dropAt(String node, String key) {
        send(node, NodeMessage.Type.DROP, key, NONE);
    }

    /** The heartbeat ran at {@code now}: the backups run it; backups of destroyed rooms go. */
    private void heartbeat(long now) {
        byte[] payload = new BackupPayload(0, now, NONE).encode();
        for (String node : backupPlan.backups()) {
            send(node, NodeMessage.Type.BEAT, "", payload);
            metrics.heartbeatSent();
        }
        for (String key : backupPlan.rooms()) {
            Jid room = jids.parse(key);
            if (!core.holds(room)) {
                left(room);
            }
        }
    }

    private void send(String node, NodeMessage.Type type, String key, byte[] payload) {
        send(node, type, key, payload, List.of());
    }

    private void send(String node, NodeMessage.Type type, String key, byte[] payload, List<NodeMessage.Mark> marks) {
        send.accept(node, NodeMessage.about(type, view.now().epoch(), self, key, payload).withMarks(marks));
    }

    // ---- messages from other nodes ---------------------------------------------------------

    /** A replication message: SNAPSHOT, DELTA, PARSED_DELTA, KNOWN_DELTA, BEAT, DROP (this node as backup) or RESYNC (as owner). */
    void onMessage(NodeMessage m) {
        if (m.type() == NodeMessage.Type.RESYNC) {
            resync(m.key());
            return;
        }
        if (departed.containsKey(m.sender())) {
            log.info("ignored a late {} for {} from {}, which has left the cluster", m.type(), m.key(), m.sender());
            return;
        }
        try {
            switch (m.type()) {
                case SNAPSHOT -> {
                    BackupPayload p = BackupPayload.decode(m.payload());
                    held.snapshot(m.sender(), RoomState.decode(p.body()), p.seq(), m.marks());
                    resyncing.remove(m.key());
                    resend.held(m.key(), m.marks());
                }
                case DELTA, PARSED_DELTA -> delta(m, BackupPayload.decode(m.payload()),
                        m.type() == NodeMessage.Type.PARSED_DELTA);
                case KNOWN_DELTA -> knownDelta(m, BackupPayload.decode(m.payload()));
                case BEAT -> held.heartbeat(m.sender(), BackupPayload.decode(m.payload()).now());
                case DROP -> held.drop(m.sender(), jids.parse(m.key()));
                default -> throw new IllegalStateException("not a replication message: " + m.type());
            }
        } catch (IllegalArgumentException e) {
            metrics.messageRefused(RefusedReason.BAD_PAYLOAD);
            log.warn("refused a {} for {} from {}: {}", m.type(), m.key(), m.sender(), e.getMessage());
        }
        heldCount = held.rooms();
    }

    private void delta(NodeMessage m, BackupPayload p, boolean parsed) {
        Jid room = jids.parse(m.key());
        if (room == null) {
            throw new IllegalArgumentException("change " + p.seq() + " for no room");
        }
        // kept as bytes: parsed and run only if this backup is ever promoted (HeldBackups)
        if (held.delta(m.sender(), room, p.seq(), p.now(), p.body(), parsed, m.mark())) {
            resend.held(m.key(), m.marks());
        } else {
            missed(m, p.seq(), "missed a change before");
        }
    }

    /** A delta of a stanza this node forwarded: its bytes come from the ledger that kept them for a resend. */
    private void knownDelta(NodeMessage m, BackupPayload p) {
        NodeMessage.Mark mark = m.mark();
        ForwardLedger.Entry stanza = mark == null || !mark.id().equals(self) ? null : resend.kept(m.key(), mark.seq());
        if (stanza == null) { // evicted or expired before the owner applied it: the room's state comes anew
            missed(m, p.seq(), "no longer holds the forwarded stanza of change");
            return;
        }
        delta(m, new BackupPayload(p.seq(), p.now(), stanza.bytes()), stanza.parsed());
    }

    /** The backup of a room lacks a change: it asks the owner for a snapshot, once until one comes. */
    private void missed(NodeMessage m, long seq, String what) {
        if (resyncing.add(m.key())) {
            log.warn("the backup of {} from {} {} {}; asking for a snapshot", m.key(), m.sender(), what, seq);
            send(m.sender(), NodeMessage.Type.RESYNC, m.key(), NONE);
        }
    }

    /** A backup saw a gap in a room's changes: it gets a fresh snapshot if the room is still ours. */
    private void resync(String key) {
        Jid room = jids.parse(key);
        if (room != null) {
            backupPlan.resync(key);
            if (self.equals(view.now().owner(key))) {
                establish(room);
            }
        }
    }

    // ---- fencing ---------------------------------------------------------------------------

    /**
     * Whether {@code m} (a room's state, a replication message, a handoff marker, relayed output)
     * is stale: sent before the epoch at which its sender was taken back into the view, or before
     * this node was dropped. Stanzas, in either form, are never stale ({@link StaleMessages}).
     */
    boolean stale(NodeMessage m) {
        return staleMessages.stale(m.type(), m.sender(), m.epoch());
    }

    /**
     * A view is applied after {@code before}: departed nodes it has again (absent from
     * {@code before}: they rejoined) are members anew from its epoch on. A departed node still in
     * the view (it crashed and is not removed yet) stays departed.
     */
    void present(OwnershipView before, OwnershipView next) {
        for (String member : next.members()) {
            if (!before.contains(member) && departed.remove(member) != null) {
                staleMessages.rejoined(member, next.epoch());
                log.info("{} is back in the ownership view at epoch {}; its older messages are refused", member,
                        next.epoch());
            }
        }
    }

    /** This node was dropped from the view: the backups of its rooms and those it held are void (the newer epoch's backups won). */
    void reset() {
        for (String key : backupPlan.rooms()) {
            backupPlan.forget(key);
        }
        for (String owner : held.owners()) {
            held.promote(owner);
        }
        resyncing.clear();
        heldCount = held.rooms();
    }

    /** Replication messages sent before {@code epoch} are refused (this node was dropped before it). */
    void refuseBefore(long epoch) {
        staleMessages.refuseBefore(epoch);
    }

    // ---- takeover --------------------------------------------------------------------------

    /**
     * A cluster member left. Returns whether backups of its rooms wait here although it has already
     * left the view (it crashed while leaving): the caller then promotes them at once.
     */
    boolean departed(String node) {
        departed.putIfAbsent(node, System.nanoTime());
        return !view.now().contains(node) && held.owners().contains(node);
    }

    /**
     * Promotes every backup of the rooms of nodes that crashed (left the cluster while still in the
     * view) and are no longer in the current view into this node's core, where they are listed
     * again. Returns how many rooms were promoted; the caller hands off those it does not own.
     */
    int promoteCrashed(OwnershipView previous) {
        Set<String> alive = Set.copyOf(view.members());
        OwnershipView current = view.now();
        int promoted = 0;
        for (String owner : held.owners()) {
            if (current.contains(owner) || alive.contains(owner) && !departed.containsKey(owner)) {
                continue; // still serving, or leaving in an orderly way (it hands its rooms off itself)
            }
            long noticed = departed.computeIfAbsent(owner, o -> System.nanoTime());
            long firstWithout = outOfViewSince.computeIfAbsent(owner, o -> current.epoch());
            int n = 0;
            int waiting = 0;
            for (Jid room : held.roomsOf(owner)) {
                switch (successor(room.toString(), current, previous, alive, current.epoch() > firstWithout)) {
                    case WAIT -> waiting++;
                    case DROP -> held.drop(owner, room);
                    case PROMOTE -> {
                        List<NodeMessage.Mark> marks = held.marks(owner, room);
                        if (promote(owner, held.take(owner, room))) {
                            resend.arrived(room.toString(), marks);
                            n++;
                        }
                    }
                }
            }
            if (n > 0) {
                Duration took = Duration.ofNanos(System.nanoTime() - noticed);
                metrics.tookOver(n, took);
                log.info("took over {} room(s) of {}, which crashed, from their backups ({} ms after it left; epoch {}{})",
                        n, owner, took.toMillis(), current.epoch(),
                        waiting == 0 ? "" : "; " + waiting + " backup(s) wait for a better-placed backup to leave the view");
            }
            promoted += n;
        }
        outOfViewSince.keySet().retainAll(held.owners());
        heldCount = held.rooms();
        return promoted;
    }

    private enum Successor { PROMOTE, WAIT, DROP }

    /**
     * Whether this node's backup of a crashed owner's room is the one to serve on. Backups sit on the
     * owner's runners-up; a member ranked above this node for the room that was also in the
     * previous view is a better-placed backup: while it is alive it serves the room (this backup is
     * dropped, but only from the next view on: both may have crashed at once and Hazelcast may not
     * have reported the second yet), while it is dead but still in the view this backup waits; without one this node
     * promotes its backup (and hands it off should the view give the room to a newcomer).
     */
    private Successor successor(String key, OwnershipView current, OwnershipView previous, Set<String> alive,
                                boolean settledSince) {
        boolean waiting = false;
        for (String m : current.members()) {
            if (!m.equals(self) && previous.contains(m) && current.ranksAbove(key, m, self)) {
                if (alive.contains(m) && settledSince) {
                    return Successor.DROP;
                }
                waiting = true;
            }
        }
        return waiting ? Successor.WAIT : Successor.PROMOTE;
    }

    private boolean promote(String owner, RoomState state) {
        if (state == null) {
            return false;
        }
        try {
            core.importRoom(state);
            return true;
        } catch (IllegalStateException e) {
            log.error("the backup of room {} from {}, which crashed, conflicts with the room held here; kept ours",
                    state.room(), owner);
            return false;
        }
    }
}
