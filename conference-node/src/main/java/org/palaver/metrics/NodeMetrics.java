package org.palaver.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

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
    /**
     * The label naming the node on every series. Not {@code node}: in Kubernetes that is the
     * machine (kube-state-metrics, the kubelet), while a Palaver node is a pod.
     */
    public static final String NODE_LABEL = "palaver_node";
    /**
     * Buckets of {@code palaver_stanza_latency_seconds}: from the sub-millisecond latency of an idle
     * node up to the seconds of an overloaded one, so any SLO threshold in between is a bucket.
     */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)};
    /** Stanza error conditions of RFC 6120 §8.3.3; any other name is counted as "other". */
    private static final Set<String> STANZA_ERROR_CONDITIONS = Set.of(
            "bad-request", "conflict", "feature-not-implemented", "forbidden", "gone",
            "internal-server-error", "item-not-found", "jid-malformed", "not-acceptable", "not-allowed",
            "not-authorized", "policy-violation", "recipient-unavailable", "redirect",
            "registration-required", "remote-server-not-found", "remote-server-timeout",
            "resource-constraint", "service-unavailable", "subscription-required",
            "undefined-condition", "unexpected-request");
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
    private final Counter turnYields;
    private final Counter[] participantsRemoved;
    /** Room events by label, registered by {@link #registerRoomEvents} (the labels are the core's, which this layer does not import). */
    private final Map<String, Counter> roomEvents = new ConcurrentHashMap<>();
    private final DistributionSummary fanoutRecipients;
    private final Timer stanzaLatency;
    /** Stream errors are rare, so their counters are created on first use. */
    private final Map<String, Counter> streamErrors = new ConcurrentHashMap<>();
    /** The same for error stanzas, by condition. */
    private final Map<String, Counter> errorStanzas = new ConcurrentHashMap<>();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    private volatile LongSupplier rooms;
    private volatile LongSupplier participants;
    private final Counter senderRateLimited;
    private final Counter roomRateLimited;
    /** {@code palaver_limit_refused_total} by limit (registered up front by {@link #registerLimits}). */
    private final Map<String, Counter> limitRefused = new ConcurrentHashMap<>();
    private volatile ToLongFunction<RouterState> routerConnections;
    private volatile BooleanSupplier ready;

    /**
     * A registry for one node: every series carries {@link #NODE_LABEL} = {@code nodeName}, and
     * the JVM meters are named as {@code promtool check metrics} wants them (see {@link #promtoolNames}).
     * Create the node's meters on it with {@link #NodeMetrics(PrometheusMeterRegistry)}.
     */
    public static PrometheusMeterRegistry newRegistry(String nodeName) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(NODE_LABEL, nodeName).meterFilter(promtoolNames());
        return registry;
    }

    /**
     * Micrometer's {@code process.cpu.time} is a counter in nanoseconds ({@code
     * process_cpu_time_ns_total}: an abbreviated unit, not the base unit) and {@code system.cpu.count}
     * a gauge whose Prometheus name ends in {@code _count}, which means a histogram's or summary's
     * sample count: {@code promtool check metrics} flags both. The first is replaced by {@code
     * process_cpu_seconds_total} (the name every Prometheus client library uses), the second is
     * renamed to {@code system_cpu_processors}.
     */
    static MeterFilter promtoolNames() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.processors") : id;
            }

            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return id.getName().equals("process.cpu.time")
                        ? MeterFilterReply.DENY
                        : MeterFilterReply.NEUTRAL;
            }
        };
    }

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
        turnYields = counter("palaver.router.turn.yields",
                "Reads whose remaining stanzas waited because the turn write budget was reached");
        participantsRemoved = new Counter[RemovalReason.values().length];
        for (RemovalReason reason : RemovalReason.values()) {
            participantsRemoved[reason.ordinal()] = counter("palaver.participants.removed",
                    "Participants removed from rooms", "reason", reason.label());
        }
        senderRateLimited = counter("palaver.rate.limited", "Stanzas refused by a rate limit", "scope", "user");
        roomRateLimited = counter("palaver.rate.limited", "Stanzas refused by a rate limit", "scope", "room");
        fanoutRecipients = DistributionSummary.builder("palaver.fanout.recipients")
                .description("Recipients per broadcast (room size seen by traffic, no per-room label)")
                .register(registry);
        stanzaLatency = Timer.builder("palaver.stanza.latency")
                .description("From reading a stanza off a router connection to handing its output to that "
                        + "connection's socket; once per stanza, however many copies it made")
                .serviceLevelObjectives(LATENCY_BUCKETS)
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

    /** {@code stanzas} stanzas whose output was written {@code nanos} after they were read. */
    public void stanzaLatency(long nanos, int stanzas) {
        for (int i = 0; i < stanzas; i++) {
            stanzaLatency.record(nanos, TimeUnit.NANOSECONDS);
        }
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

    /**
     * An error stanza with {@code condition} (the RFC 6120 condition element's name, {@code null}
     * for a legacy error with a code only) was sent. Unknown names count as "other".
     */
    public void errorStanzaOut(String condition) {
        String label = condition == null ? "none"
                : STANZA_ERROR_CONDITIONS.contains(condition) ? condition : OTHER_CONDITION;
        errorStanzas.computeIfAbsent(label, c -> counter("palaver.error.stanzas.out",
                "Error stanzas sent, by condition", "condition", c)).increment();
    }

    /** A new attempt to connect to the router after the connection was lost or refused. */
    public void routerReconnect() {
        routerReconnects.increment();
    }

    /** A read's remaining stanzas wait for the router to drain: the turn write budget was reached. */
    public void turnYield() {
        turnYields.increment();
    }

    /** {@code n} participants were removed from rooms for {@code reason} (the node adds what the core counted). */
    public void addParticipantsRemoved(RemovalReason reason, long n) {
        participantsRemoved[reason.ordinal()].increment(n);
    }

    /** {@code n} stanzas were refused by the per-sender ({@code room == false}) or per-room rate limit. */
    public void addRateLimited(boolean room, long n) {
        (room ? roomRateLimited : senderRateLimited).increment(n);
    }

    /** {@code n} stanzas were refused by the size or count limit named {@code limit}. */
    public void addLimitRefused(String limit, long n) {
        limitRefused.computeIfAbsent(limit, this::limitCounter).increment(n);
    }

    /** Registers {@code palaver_limit_refused_total} for each of {@code limits}, so that every series exists from the start at 0. */
    public void registerLimits(Iterable<String> limits) {
        limits.forEach(l -> limitRefused.computeIfAbsent(l, this::limitCounter));
    }

    private Counter limitCounter(String limit) {
        return counter("palaver.limit.refused", "Stanzas refused by a size or count limit", "limit", limit);
    }

    /** {@code n} more {@code event}s happened in this node's rooms (the node adds what the core counted). */
    public void addRoomEvents(String event, long n) {
        roomEvents.computeIfAbsent(event, this::roomEventCounter).increment(n);
    }

    /** Registers {@code palaver_room_events_total} for each of {@code events}, so that every series exists from the start at 0. */
    public void registerRoomEvents(Iterable<String> events) {
        events.forEach(e -> roomEvents.computeIfAbsent(e, this::roomEventCounter));
    }

    private Counter roomEventCounter(String event) {
        return counter("palaver.room.events", "Moderation, history limit and ignored-error events in rooms", "event", event);
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

    /** Feeds {@code palaver_ready}: 1 while {@code /health/ready} would answer 200, else 0. */
    public void bindReady(BooleanSupplier isReady) {
        ready = Objects.requireNonNull(isReady, "isReady");
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
        gauge("palaver.ready", "1 while the node is ready (as /health/ready says), else 0",
                m -> m.ready == null ? Double.NaN : m.ready.getAsBoolean() ? 1 : 0);
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
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, b -> b.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time used by the JVM process")
                    .register(registry);
        }
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }
}
