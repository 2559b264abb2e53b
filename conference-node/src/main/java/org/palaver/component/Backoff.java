package org.palaver.component;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code min}, capped at {@code max}, with jitter so that the
 * connections of many nodes do not hit a restarted router in lock-step. Delay number n (0-based)
 * lies in {@code [0.75 b, b]} with {@code b = min(max, min * 2^n)}; {@link #reset()} after a
 * successful handshake starts again at {@code min}. Never zero, so never a hot loop.
 */
public final class Backoff {
    /** Fraction of the base delay that jitter may take away. */
    static final double JITTER = 0.25;

    private final long minMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private int failures;

    /** @param random uniform values in [0, 1) */
    public Backoff(long minMillis, long maxMillis, DoubleSupplier random) {
        if (minMillis < 1 || maxMillis < minMillis) {
            throw new IllegalArgumentException("need 1 <= min <= max, got min " + minMillis + " max " + maxMillis);
        }
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    public Backoff(long minMillis, long maxMillis) {
        this(minMillis, maxMillis, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The delay before the next attempt; each call counts one more failure. */
    public long nextDelayMillis() {
        long base = baseMillis(failures);
        if (base < maxMillis) {
            failures++; // stop counting once capped: no overflow however long the outage
        }
        long delay = Math.round(base * (1 - JITTER * random.getAsDouble()));
        return Math.max(1, delay);
    }

    private long baseMillis(int n) {
        long base = minMillis;
        for (int i = 0; i < n && base < maxMillis; i++) {
            base *= 2;
        }
        return Math.min(base, maxMillis);
    }

    /** Consecutive failures counted so far (stops growing once the cap is reached). */
    public int failures() {
        return failures;
    }

    /** Called after a successful handshake: the next failure waits about {@code min} again. */
    public void reset() {
        failures = 0;
    }
}
