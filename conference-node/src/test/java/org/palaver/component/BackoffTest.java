package org.palaver.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void withoutJitterDoublesFromMinUpToMax() {
        Backoff b = new Backoff(1000, 30_000, () -> 0.0);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(b.nextDelayMillis());
        }
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16_000L, 30_000L, 30_000L, 30_000L), delays);
    }

    @Test
    void jitterTakesAtMostAQuarterOff() {
        Backoff b = new Backoff(1000, 30_000, () -> 0.999_999);
        assertEquals(750, b.nextDelayMillis());
        assertEquals(1500, b.nextDelayMillis());
    }

    @Test
    void jitteredDelaysStayWithinBoundsAndVary() {
        Random random = new Random(42);
        Backoff b = new Backoff(1000, 30_000, random::nextDouble);
        long base = 1000;
        List<Long> capped = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long d = b.nextDelayMillis();
            assertTrue(d >= Math.round(base * 0.75) && d <= base, "attempt " + i + ": " + d + " vs base " + base);
            if (base == 30_000) {
                capped.add(d);
            }
            base = Math.min(30_000, base * 2);
        }
        assertTrue(capped.stream().distinct().count() > 50, "capped delays are jittered: " + capped);
    }

    @Test
    void countingStopsAtTheCapSoLongOutagesCannotOverflow() {
        Backoff b = new Backoff(1, 1 << 20, () -> 0.0);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(b.nextDelayMillis() <= 1 << 20);
        }
        assertEquals(20, b.failures());
    }

    @Test
    void resetStartsAgainAtMin() {
        Backoff b = new Backoff(200, 5000, () -> 0.0);
        b.nextDelayMillis();
        b.nextDelayMillis();
        assertNotEquals(200, b.nextDelayMillis());
        b.reset();
        assertEquals(0, b.failures());
        assertEquals(200, b.nextDelayMillis());
    }

    @Test
    void refusesAZeroOrInvertedRange() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(10, 5));
    }
}
