package org.palaver.ops.metrics;

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
    private volatile LongSupplier members;
    private volatile LongSupplier epoch;

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
        Gauge.builder("palaver.cluster.members", this, m -> read(m.members))
                .description("Members of the Hazelcast cluster seen by this node").strongReference(true).register(registry);
        Gauge.builder("palaver.cluster.ownership.epoch", this, m -> read(m.epoch))
                .description("Epoch of the ownership view this node routes by").strongReference(true).register(registry);
    }

    private static Counter forwarded(MeterRegistry r, String direction, String description) {
        return Counter.builder("palaver.cluster.forwarded").description(description)
                .tag("direction", direction).register(r);
    }

    private static Counter handoffs(MeterRegistry r, String direction, String description) {
        return Counter.builder("palaver.cluster.handoffs").description(description)
                .tag("direction", direction).register(r);
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
