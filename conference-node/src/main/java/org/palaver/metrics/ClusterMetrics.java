package org.palaver.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The meters of a clustered node (registered only when the node runs in a cluster). Rooms owned
 * are {@code palaver_rooms} of {@link NodeMetrics}; none of these carries a per-room label.
 */
public final class ClusterMetrics {
    private final Counter forwardedOut;
    private final Counter forwardedIn;
    private final Counter roomsHandedOff;
    private final Counter roomsTakenOver;
    private final Counter stanzasHeld;
    private final Timer handoff;
    private final Counter snapshotsSent;
    private final Counter deltasSent;
    private final Counter knownDeltasSent;
    private final Counter beatsSent;
    private final Counter roomsPromoted;
    private final Timer takeover;
    private final Counter outputRelayedOut;
    private final Counter outputRelayedIn;
    private final Counter outputRelayDropped;
    private final Counter[] refused;
    private final Counter nodeMessagesSent;
    private final Counter eventBusSends;
    private final Counter fenced;
    private final Counter fencedHeld;
    private final Counter fencedPassedOn;
    private final Counter fencedOverflow;
    private final Counter staleRefused;
    private final Counter roomsDiscarded;
    private final Counter resent;
    private final Counter duplicatesDropped;
    private final Counter unackedExpired;
    private final Counter unackedFull;
    private volatile LongSupplier unacked;
    private final Counter crashesDetected;
    private final Counter quorumLost;
    private volatile LongSupplier fencedNow;
    private volatile LongSupplier members;
    private volatile LongSupplier epoch;
    private volatile LongSupplier backupRooms;

    public ClusterMetrics(MeterRegistry registry) {
        forwardedOut = forwarded(registry, "out", "Stanzas sent to another node (to the room's owner or relayed)");
        forwardedIn = forwarded(registry, "in", "Stanzas received from another node");
        roomsHandedOff = handoffs(registry, "out", "Rooms handed to another node with their state");
        roomsTakenOver = handoffs(registry, "in", "Rooms received from another node with their state");
        stanzasHeld = Counter.builder("palaver.cluster.stanzas.held")
                .description("Stanzas held back while their room's ownership moved to this node")
                .register(registry);
        handoff = Timer.builder("palaver.cluster.handoff")
                .description("Time from applying an ownership change to its settling at this node")
                .register(registry);
        snapshotsSent = replication(registry, "snapshot", "Full room states sent to a room's backup node");
        deltasSent = replication(registry, "delta", "Applied stanzas sent to a room's backup node");
        knownDeltasSent = replication(registry, "known_delta",
                "Applied stanzas announced to a room's backup node without their bytes: it forwarded them and holds them");
        beatsSent = replication(registry, "heartbeat", "Heartbeats sent to the nodes backing up this node's rooms");
        roomsPromoted = Counter.builder("palaver.cluster.takeovers")
                .description("Rooms of a crashed node served here from their backups")
                .register(registry);
        takeover = Timer.builder("palaver.cluster.takeover")
                .description("Time from noticing a crashed node to serving its rooms from their backups")
                .register(registry);
        outputRelayedOut = outputRelayed(registry, "out",
                "Output stanza copies sent to another node to write, while no own router connection was authenticated");
        outputRelayedIn = outputRelayed(registry, "in", "Output stanza copies of another node written on this node's router connection");
        outputRelayDropped = Counter.builder("palaver.cluster.output.relay.dropped")
                .description("Output stanza copies relayed here by another node and dropped: no router connection here either")
                .register(registry);
        refused = new Counter[RefusedReason.values().length];
        for (RefusedReason reason : RefusedReason.values()) {
            refused[reason.ordinal()] = tagged(registry, "palaver.cluster.messages.refused", "reason", reason.label(),
                    "Messages from other nodes refused as unreadable; the node changed nothing and kept serving");
        }
        nodeMessagesSent = sends(registry, "node-message", "Messages sent to other nodes (stanzas, deltas, snapshots, markers, output)");
        eventBusSends = sends(registry, "event-bus", "Event-bus messages carrying them: one per peer and event-loop turn when batched");
        fenced = Counter.builder("palaver.cluster.fenced")
                .description("Times this node fenced itself: it may have been dropped from the ownership view")
                .register(registry);
        fencedHeld = fence(registry, "held", "Stanzas and node messages that arrived while this node was fenced");
        fencedPassedOn = fence(registry, "passed_on",
                "Stanzas and node messages passed to the rooms' current owners after this node was dropped from the view");
        fencedOverflow = fence(registry, "dropped", "Stanzas and node messages dropped: the fence's queue was full");
        staleRefused = Counter.builder("palaver.cluster.stale.refused")
                .description("Room states and replication messages refused: sent under an epoch before their sender"
                        + " (or this node) was dropped from the view")
                .register(registry);
        roomsDiscarded = Counter.builder("palaver.cluster.rooms.discarded")
                .description("Rooms this node discarded on learning it had been dropped from the view (the newer epoch's backup won)")
                .register(registry);
        resent = Counter.builder("palaver.cluster.resent")
                .description("Forwarded stanzas sent again to a room's new owner: the node they went to crashed before"
                        + " acknowledging them")
                .register(registry);
        duplicatesDropped = Counter.builder("palaver.cluster.duplicates.dropped")
                .description("Forwarded stanzas dropped by a room's owner as applied already (a resend, or a late original)")
                .register(registry);
        unackedExpired = unackedDropped(registry, "expired", "Forwarded stanzas no longer kept for a resend: no"
                + " acknowledgement came within the time limit");
        unackedFull = unackedDropped(registry, "full", "Forwarded stanzas not kept for a resend: too many waited");
        Gauge.builder("palaver.cluster.unacked", this, m -> read(m.unacked))
                .description("Forwarded stanzas kept for a resend until the room's owner (with its backup) acknowledges them")
                .strongReference(true).register(registry);
        crashesDetected = Counter.builder("palaver.cluster.crashes.detected")
                .description("Members reported to Hazelcast as gone because their connection closed and their port"
                        + " refused connections (a crashed process), before the heartbeat timeout")
                .register(registry);
        quorumLost = Counter.builder("palaver.cluster.quorum.lost")
                .description("Times this node saw no majority of the ownership view's members after a departure and"
                        + " fenced itself (the minority side of a partition)")
                .register(registry);
        Gauge.builder("palaver.cluster.fenced.now", this, m -> read(m.fencedNow))
                .description("1 while this node is fenced, else 0").strongReference(true).register(registry);
        Gauge.builder("palaver.cluster.backup.rooms", this, m -> read(m.backupRooms))
                .description("Backups of other nodes' rooms held here").strongReference(true).register(registry);
        Gauge.builder("palaver.cluster.members", this, m -> read(m.members))
                .description("Members of the Hazelcast cluster seen by this node").strongReference(true).register(registry);
        Gauge.builder("palaver.cluster.ownership.epoch", this, m -> read(m.epoch))
                .description("Epoch of the ownership view this node routes by").strongReference(true).register(registry);
    }

    /** One series of a counter family told apart by one tag (direction, or kind of replication). */
    private static Counter tagged(MeterRegistry r, String name, String tag, String value, String description) {
        return Counter.builder(name).description(description).tag(tag, value).register(r);
    }

    private static Counter fence(MeterRegistry r, String kind, String description) {
        return tagged(r, "palaver.cluster.fenced.stanzas", "kind", kind, description);
    }

    private static Counter unackedDropped(MeterRegistry r, String reason, String description) {
        return tagged(r, "palaver.cluster.unacked.dropped", "reason", reason, description);
    }

    private static Counter forwarded(MeterRegistry r, String direction, String description) {
        return tagged(r, "palaver.cluster.forwarded", "direction", direction, description);
    }

    private static Counter outputRelayed(MeterRegistry r, String direction, String description) {
        return tagged(r, "palaver.cluster.output.relayed", "direction", direction, description);
    }

    private static Counter handoffs(MeterRegistry r, String direction, String description) {
        return tagged(r, "palaver.cluster.handoffs", "direction", direction, description);
    }

    private static Counter sends(MeterRegistry r, String unit, String description) {
        return tagged(r, "palaver.cluster.sent", "unit", unit, description);
    }

    /** {@code messages} node messages left in {@code sends} event-bus messages (once per peer and turn). */
    public void sent(int messages, int sends) {
        nodeMessagesSent.increment(messages);
        eventBusSends.increment(sends);
    }

    private static Counter replication(MeterRegistry r, String kind, String description) {
        return tagged(r, "palaver.cluster.replication", "kind", kind, description);
    }

    public void outputRelayedOut(int copies) {
        outputRelayedOut.increment(copies);
    }

    public void outputRelayedIn(int copies) {
        outputRelayedIn.increment(copies);
    }

    public void outputRelayDropped(int copies) {
        outputRelayDropped.increment(copies);
    }

    /** A message from another node that this node cannot read, refused (and logged by the caller). */
    public void messageRefused(RefusedReason reason) {
        refused[reason.ordinal()].increment();
    }

    public void fenced() {
        fenced.increment();
    }

    public void fencedHeld() {
        fencedHeld.increment();
    }

    public void fencedPassedOn(int n) {
        fencedPassedOn.increment(n);
    }

    public void fencedOverflow() {
        fencedOverflow.increment();
    }

    public void crashDetected() {
        crashesDetected.increment();
    }

    public void quorumLost() {
        quorumLost.increment();
    }

    public void staleRefused() {
        staleRefused.increment();
    }

    public void roomsDiscarded(int n) {
        roomsDiscarded.increment(n);
    }

    /** {@code n} forwarded stanzas sent again after the node they went to crashed. */
    public void resent(int n) {
        resent.increment(n);
    }

    public void duplicateDropped() {
        duplicatesDropped.increment();
    }

    /** {@code n} forwarded stanzas no longer kept for a resend; {@code reason}: {@code expired} or {@code full}. */
    public void unackedDropped(String reason, long n) {
        ("full".equals(reason) ? unackedFull : unackedExpired).increment(n);
    }

    public void bindUnacked(LongSupplier count) {
        unacked = Objects.requireNonNull(count, "count");
    }

    public void bindFenced(LongSupplier value) {
        fencedNow = Objects.requireNonNull(value, "value");
    }

    public void snapshotSent() {
        snapshotsSent.increment();
    }

    public void knownDeltaSent() {
        knownDeltasSent.increment();
    }

    public void deltaSent() {
        deltasSent.increment();
    }

    public void heartbeatSent() {
        beatsSent.increment();
    }

    /** {@code rooms} rooms of a crashed node promoted, {@code took} after its departure was noticed. */
    public void tookOver(int rooms, Duration took) {
        roomsPromoted.increment(rooms);
        takeover.record(took);
    }

    public void bindBackupRooms(LongSupplier count) {
        backupRooms = Objects.requireNonNull(count, "count");
    }

    public void forwardedOut() {
        forwardedOut.increment();
    }

    public void forwardedIn() {
        forwardedIn.increment();
    }

    public void roomHandedOff() {
        roomsHandedOff.increment();
    }

    public void roomTakenOver() {
        roomsTakenOver.increment();
    }

    public void stanzaHeld() {
        stanzasHeld.increment();
    }

    public void handoffSettled(Duration took) {
        handoff.record(took);
    }

    public void bindMembers(LongSupplier count) {
        members = Objects.requireNonNull(count, "count");
    }

    public void bindEpoch(LongSupplier value) {
        epoch = Objects.requireNonNull(value, "value");
    }

    private static double read(LongSupplier s) {
        return s == null ? Double.NaN : s.getAsLong();
    }
}
