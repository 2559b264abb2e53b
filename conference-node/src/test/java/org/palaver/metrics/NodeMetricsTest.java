package org.palaver.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.testkit.PrometheusText.value;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.PrometheusText;

class NodeMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final NodeMetrics metrics = new NodeMetrics(registry);

    @AfterEach
    void close() {
        metrics.close();
    }

    private Map<String, Double> scrape() {
        return PrometheusText.parse(registry.scrape());
    }

    @Test
    void countsStanzasInByKindWithEveryKindExposedFromTheStart() {
        metrics.stanzaIn(StanzaKind.MESSAGE);
        metrics.stanzaIn(StanzaKind.MESSAGE);
        metrics.addStanzasIn(StanzaKind.IQ, 5);

        Map<String, Double> s = scrape();
        assertEquals(2, value(s, "palaver_stanzas_in_total{kind=\"message\"}"));
        assertEquals(5, value(s, "palaver_stanzas_in_total{kind=\"iq\"}"));
        assertEquals(0, value(s, "palaver_stanzas_in_total{kind=\"presence\"}"));
        assertEquals(0, value(s, "palaver_stanzas_in_total{kind=\"other\"}"));
    }

    @Test
    void classifiesStanzaKindsByElementName() {
        assertEquals(StanzaKind.MESSAGE, StanzaKind.of("message"));
        assertEquals(StanzaKind.PRESENCE, StanzaKind.of("presence"));
        assertEquals(StanzaKind.IQ, StanzaKind.of("iq"));
        assertEquals(StanzaKind.OTHER, StanzaKind.of("handshake"));
        assertEquals(StanzaKind.OTHER, StanzaKind.of("Message"));
    }

    @Test
    void countsBatchedTrafficOut() {
        metrics.addStanzasOut(3);
        metrics.addCopiesOut(1000);
        metrics.addCopiesOut(24);
        metrics.addBytesIn(4096);
        metrics.addBytesOut(70_000);

        Map<String, Double> s = scrape();
        assertEquals(3, value(s, "palaver_stanzas_out_total"));
        assertEquals(1024, value(s, "palaver_copies_out_total"));
        assertEquals(4096, value(s, "palaver_bytes_in_total"));
        assertEquals(70_000, value(s, "palaver_bytes_out_total"));
    }

    @Test
    void recordsFanoutRecipientsAsOneUnlabelledDistribution() {
        metrics.fanout(3);
        metrics.fanout(40);

        Map<String, Double> s = scrape();
        assertEquals(2, value(s, "palaver_fanout_recipients_count"));
        assertEquals(43, value(s, "palaver_fanout_recipients_sum"));
        assertEquals(40, value(s, "palaver_fanout_recipients_max"));
    }

    @Test
    void countsStreamErrorsByConditionAndFoldsUnknownNamesIntoOther() {
        metrics.streamError("not-well-formed");
        metrics.streamError("not-well-formed");
        metrics.streamError("made-up-by-a-peer");
        metrics.streamError("another-invention");

        Map<String, Double> s = scrape();
        assertEquals(2, value(s, "palaver_stream_errors_total{condition=\"not-well-formed\"}"));
        assertEquals(2, value(s, "palaver_stream_errors_total{condition=\"other\"}"));
        assertFalse(s.keySet().stream().anyMatch(k -> k.contains("made-up")));
    }

    @Test
    void countsReconnectsAndRemovalsByReason() {
        metrics.routerReconnect();
        metrics.addParticipantsRemoved(RemovalReason.LEAVE, 2);
        metrics.addParticipantsRemoved(RemovalReason.EXPIRED, 1);

        Map<String, Double> s = scrape();
        assertEquals(1, value(s, "palaver_router_reconnects_total"));
        assertEquals(2, value(s, "palaver_participants_removed_total{reason=\"leave\"}"));
        assertEquals(0, value(s, "palaver_participants_removed_total{reason=\"error\"}"));
        assertEquals(1, value(s, "palaver_participants_removed_total{reason=\"expired\"}"));
    }

    @Test
    void gaugesReadNaNUntilBoundThenFollowTheirSuppliers() {
        Map<String, Double> before = scrape();
        assertTrue(Double.isNaN(value(before, "palaver_rooms")));
        assertTrue(Double.isNaN(value(before, "palaver_participants")));
        assertTrue(Double.isNaN(value(before, "palaver_router_connections{state=\"authenticated\"}")));

        AtomicLong rooms = new AtomicLong(7);
        metrics.bindRooms(rooms::get);
        metrics.bindParticipants(() -> 31);
        metrics.bindRouterConnections(state -> state == RouterState.AUTHENTICATED ? 2 : 0);
        rooms.set(9);

        Map<String, Double> after = scrape();
        assertEquals(9, value(after, "palaver_rooms"));
        assertEquals(31, value(after, "palaver_participants"));
        assertEquals(2, value(after, "palaver_router_connections{state=\"authenticated\"}"));
        assertEquals(0, value(after, "palaver_router_connections{state=\"connecting\"}"));
        assertEquals(0, value(after, "palaver_router_connections{state=\"down\"}"));
    }

    @Test
    void bindsJvmMetrics() {
        Map<String, Double> s = scrape();
        assertTrue(PrometheusText.hasPrefix(s, "jvm_memory_used_bytes{"), "memory");
        assertTrue(PrometheusText.hasPrefix(s, "jvm_gc_max_data_size_bytes"), "gc");
        assertTrue(value(s, "jvm_threads_live_threads") > 0, "threads");
        assertTrue(value(s, "system_cpu_count") > 0, "processor (Micrometer's name on a plain registry)");
        assertTrue(value(s, "process_cpu_seconds_total") > 0, "CPU time in seconds");
        assertTrue(value(s, "process_uptime_seconds") > 0, "uptime");
    }

    @Test
    void recordsStanzaLatencyAsAHistogramWithSloBuckets() {
        metrics.stanzaLatency(300_000, 3);   // 0.3 ms, three stanzas of one read
        metrics.stanzaLatency(20_000_000, 1); // 20 ms

        Map<String, Double> s = scrape();
        assertEquals(4, value(s, "palaver_stanza_latency_seconds_count"));
        assertEquals(0.0209, value(s, "palaver_stanza_latency_seconds_sum"), 1e-9);
        assertEquals(0, value(s, "palaver_stanza_latency_seconds_bucket{le=\"2.5E-4\"}"));
        assertEquals(3, value(s, "palaver_stanza_latency_seconds_bucket{le=\"5.0E-4\"}"));
        assertEquals(3, value(s, "palaver_stanza_latency_seconds_bucket{le=\"0.01\"}"));
        assertEquals(4, value(s, "palaver_stanza_latency_seconds_bucket{le=\"0.025\"}"));
        assertEquals(4, value(s, "palaver_stanza_latency_seconds_bucket{le=\"+Inf\"}"));
        assertEquals(NodeMetrics.LATENCY_BUCKETS.length + 1,
                s.keySet().stream().filter(k -> k.startsWith("palaver_stanza_latency_seconds_bucket")).count());
    }

    @Test
    void countsErrorStanzasByConditionWithLegacyAndUnknownOnesApart() {
        metrics.errorStanzaOut("item-not-found");
        metrics.errorStanzaOut("item-not-found");
        metrics.errorStanzaOut("not-allowed");
        metrics.errorStanzaOut(null);
        metrics.errorStanzaOut("invented-here");

        Map<String, Double> s = scrape();
        assertEquals(2, value(s, "palaver_error_stanzas_out_total{condition=\"item-not-found\"}"));
        assertEquals(1, value(s, "palaver_error_stanzas_out_total{condition=\"not-allowed\"}"));
        assertEquals(1, value(s, "palaver_error_stanzas_out_total{condition=\"none\"}"));
        assertEquals(1, value(s, "palaver_error_stanzas_out_total{condition=\"other\"}"));
    }

    @Test
    void aNodeRegistryLabelsEverySeriesWithTheNodeAndUsesPrometheusNames() {
        PrometheusMeterRegistry named = NodeMetrics.newRegistry("palaver-1");
        try (NodeMetrics m = new NodeMetrics(named)) {
            Map<String, Double> s = PrometheusText.parse(named.scrape());
            assertTrue(s.keySet().stream().allMatch(k -> k.contains("palaver_node=\"palaver-1\"")), s.keySet().toString());
            assertFalse(s.keySet().stream().anyMatch(k -> k.contains("{node=") || k.contains(",node=")));
            assertTrue(value(s, "system_cpu_processors{palaver_node=\"palaver-1\"}") > 0);
            assertTrue(value(s, "process_cpu_seconds_total{palaver_node=\"palaver-1\"}") > 0);
            assertFalse(PrometheusText.hasPrefix(s, "system_cpu_count"));
            assertFalse(PrometheusText.hasPrefix(s, "process_cpu_time_ns"));
        }
    }

    @Test
    void refusesASecondRegistrationOnTheSameRegistry() {
        assertThrows(IllegalStateException.class, () -> new NodeMetrics(registry));
    }
}
