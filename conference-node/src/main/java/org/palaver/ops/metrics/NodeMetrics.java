package org.palaver.ops.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.palaver.core.RoomEvent;

/**
 * The meters of one node, registered once on a Prometheus registry.
 *
 * <p>Hot-path methods ({@link #stanzaIn}, {@link #addCopiesOut}, ...) are O(1) and allocation-free:
 * every labelled counter is resolved at construction and indexed by enum ordinal, so no tag lookup
 * happens per stanza. An increment costs about 10 ns (an uncontended {@code DoubleAdder}); that is
 * negligible per received stanza but not per fan-out copy at a million copies per second, hence
 * the {@code add...(n)} methods: count locally and add once per read batch or broadcast.
 *
 * <p>Gauges read suppliers bound later with {@code bind...}, because the objects they observe (the
 * router connection, the room table) are created after, and themselves need, this object. An
 * unbound gauge reads NaN ("unknown"), not a misleading 0. Suppliers are called on the scraping
 * thread, so they must be thread-safe and cheap (read a counter, never walk the rooms).
 */
public final class NodeMetrics implements AutoCloseable {
    /** Stream error conditions of RFC 6120 §4.9.3; any other name is counted as "other". */
    private static final Set<String> STREAM_ERROR_CONDITIONS = Set.of(
            "bad-format", "bad-namespace-prefix", "conflict", "connection-timeout", "host-gone",
            "host-unknown", "improper-addressing", "internal-server-error", "invalid-from",
            "invalid-namespace", "invalid-xml", "not-authorized", "not-well-formed",
            "policy-violation", "remote-connection-failed", "reset", "resource-constraint",
            "restricted-xml", "see-other-host", "system-shutdown", "undefined-condition",
            "unsupported-encoding", "unsupported-feature", "unsupported-stanza-type",
            "unsupported-version");
    private static final String OTHER_CONDITION = "other";

    private final PrometheusMeterRegistry registry;
    private final Counter[] stanzasIn;
    private final Counter stanzasOut;
    private final Counter copiesOut;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter routerReconnects;
    private final Counter[] participantsRemoved;
    private final Counter[] roomEvents;
    private final DistributionSummary fanoutRecipients;
    /** Stream errors are rare, so their counters are created on first use. */
    private final Map<String, Counter> streamErrors = new ConcurrentHashMap<>();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    private volatile LongSupplier rooms;
    private volatile LongSupplier participants;
    private volatile ToLongFunction<RouterState> routerConnections;

    /**
     * Registers the node's meters and the JVM meters on {@code registry}. Configure common tags on
     * the registry before this, since they only apply to meters registered afterwards.
     *
     * @throws IllegalStateException if node meters are already registered on {@code registry}
     *         (a second instance would silently share counters and feed none of its gauges)
     */
    public NodeMetrics(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        if (registry.find("palaver.rooms").gauge() != null) {
            throw new IllegalStateException("node metrics are already registered on this registry");
        }
        stanzasIn = new Counter[StanzaKind.values().length];
        for (StanzaKind kind : StanzaKind.values()) {
            stanzasIn[kind.ordinal()] = counter("palaver.stanzas.in", "Stanzas received from the router",
                    "kind", kind.label());
        }
        stanzasOut = counter("palaver.stanzas.out", "Single stanzas written to the router");
        copiesOut = counter("palaver.copies.out", "Fan-out copies written to the router");
        bytesIn = counter("palaver.bytes.in", "Bytes read from router connections");
        bytesOut = counter("palaver.bytes.out", "Bytes written to router connections");
        routerReconnects = counter("palaver.router.reconnects", "Router connection attempts after a loss");
        participantsRemoved = new Counter[RemovalReason.values().length];
        for (RemovalReason reason : RemovalReason.values()) {
            participantsRemoved[reason.ordinal()] = counter("palaver.participants.removed",
                    "Participants removed from rooms", "reason", reason.label());
        }
        roomEvents = new Counter[RoomEvent.values().length];
        for (RoomEvent event : RoomEvent.values()) {
            roomEvents[event.ordinal()] = counter("palaver.room.events",
                    "Moderation, history limit and ignored-error events in rooms", "event",
                    event.name().toLowerCase(Locale.ROOT));
        }
        fanoutRecipients = DistributionSummary.builder("palaver.fanout.recipients")
                .description("Recipients per broadcast (room size seen by traffic, no per-room label)")
                .register(registry);
        registerGauges();
        bindJvmMetrics();
    }

    /** The registry holding these meters (and JVM and Vert.x meters), for scraping. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    // ---- hot path -------------------------------------------------------------------------

    /** One stanza of {@code kind} received. */
    public void stanzaIn(StanzaKind kind) {
        stanzasIn[kind.ordinal()].increment();
    }

    /** {@code n} stanzas of {@code kind} received, counted by the caller over a read batch. */
    public void addStanzasIn(StanzaKind kind, long n) {
        stanzasIn[kind.ordinal()].increment(n);
    }

    /**
     * {@code n} bytes read. Bytes are counted per network read, not per stanza: a read holds parts
     * of several stanzas, so per-stanza sizes are unknown without extra work.
     */
    public void addBytesIn(long n) {
        bytesIn.increment(n);
    }

    /** {@code n} single (non-broadcast) stanzas written. */
    public void addStanzasOut(long n) {
        stanzasOut.increment(n);
    }

    /** {@code n} fan-out copies written; add once per broadcast or write batch, not per copy. */
    public void addCopiesOut(long n) {
        copiesOut.increment(n);
    }

    /** {@code n} bytes written. */
    public void addBytesOut(long n) {
        bytesOut.increment(n);
    }

    /** One broadcast to {@code recipients} recipients (the room-size distribution seen by traffic). */
    public void fanout(int recipients) {
        fanoutRecipients.record(recipients);
    }

    // ---- rare events ----------------------------------------------------------------------

    /**
     * A stream error with {@code condition} (the element name, e.g. {@code not-well-formed}) was
     * sent or received. Names outside RFC 6120 count as "other", so a peer cannot grow the label set.
     */
    public void streamError(String condition) {
        String label = STREAM_ERROR_CONDITIONS.contains(condition) ? condition : OTHER_CONDITION;
        streamErrors.computeIfAbsent(label, c -> counter("palaver.stream.errors",
                "Stream errors sent or received, by condition", "condition", c)).increment();
    }

    /** A new attempt to connect to the router after the connection was lost or refused. */
    public void routerReconnect() {
        routerReconnects.increment();
    }

    /** {@code n} participants were removed from rooms for {@code reason} (the node adds what the core counted). */
    public void addParticipantsRemoved(RemovalReason reason, long n) {
        participantsRemoved[reason.ordinal()].increment(n);
    }

    /** {@code n} more {@code event}s happened in this node's rooms (the node adds what the core counted). */
    public void addRoomEvents(RoomEvent event, long n) {
        roomEvents[event.ordinal()].increment(n);
    }

    // ---- gauges -----------------------------------------------------------------------------

    /** Feeds {@code palaver_rooms}: rooms owned by this node. */
    public void bindRooms(LongSupplier count) {
        rooms = Objects.requireNonNull(count, "count");
    }

    /** Feeds {@code palaver_participants}: participants in the rooms owned by this node. */
    public void bindParticipants(LongSupplier count) {
        participants = Objects.requireNonNull(count, "count");
    }

    /** Feeds {@code palaver_router_connections{state}}: how many router connections are in a state. */
    public void bindRouterConnections(ToLongFunction<RouterState> countInState) {
        routerConnections = Objects.requireNonNull(countInState, "countInState");
    }

    /** Releases the JVM GC listener; the registry itself belongs to the caller. */
    @Override
    public void close() {
        gcMetrics.close();
    }

    private void registerGauges() {
        gauge("palaver.rooms", "Rooms owned by this node", m -> read(m.rooms));
        gauge("palaver.participants", "Participants in the rooms owned by this node",
                m -> read(m.participants));
        for (RouterState state : RouterState.values()) {
            Gauge.builder("palaver.router.connections", this, m -> m.routerConnectionsIn(state))
                    .description("Router connections by state")
                    .tag("state", state.label())
                    .strongReference(true)
                    .register(registry);
        }
    }

    private double routerConnectionsIn(RouterState state) {
        ToLongFunction<RouterState> f = routerConnections;
        return f == null ? Double.NaN : f.applyAsLong(state);
    }

    private static double read(LongSupplier supplier) {
        return supplier == null ? Double.NaN : supplier.getAsLong();
    }

    private void gauge(String name, String description,
                       ToDoubleFunction<NodeMetrics> value) {
        Gauge.builder(name, this, value).description(description).strongReference(true).register(registry);
    }

    private void bindJvmMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }
}
