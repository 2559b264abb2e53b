package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;

class TimestampsTest {
    @Test
    void formats() {
        assertEquals("20260102T03:04:05", Timestamps.legacy(Harness.T0));
        assertEquals("2026-01-02T03:04:05Z", Timestamps.xep82(Harness.T0));
        assertEquals("Fri Jan  2 03:04:05 2026", Timestamps.ctime(Harness.T0));
        assertEquals("Sat Jan 10 03:04:05 2026", Timestamps.ctime(Harness.T0 + 8 * 86_400_000L));
        assertEquals(3, Timestamps.secondsBetween(1_000, 4_999));
        assertEquals(0, Timestamps.secondsBetween(5_000, 1_000), "never negative");
    }
}
