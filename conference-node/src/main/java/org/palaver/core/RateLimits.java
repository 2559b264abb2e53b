package org.palaver.core;

/**
 * Token-bucket rate limits (issue 10): stanzas per second and burst per sender (bare JID) and per
 * room. A rate of 0 switches that limit off. The defaults are far above what a person types or a
 * client sends on its own, so they only stop floods.
 *
 * @param userRate  stanzas per second one bare JID may send, sustained (0 = no limit)
 * @param userBurst stanzas one bare JID may send at once after a quiet period
 * @param roomRate  stanzas per second one room accepts from all senders together (0 = no limit)
 * @param roomBurst stanzas one room accepts at once
 */
public record RateLimits(int userRate, int userBurst, int roomRate, int roomBurst) {
    public RateLimits {
        if (userRate < 0 || roomRate < 0 || userBurst < 1 || roomBurst < 1) {
            throw new IllegalArgumentException("need rates >= 0 and bursts >= 1");
        }
    }

    public static RateLimits defaults() {
        return new RateLimits(100, 1000, 1000, 5000);
    }

    /** No limits (benchmarks, the start-up warm-up). */
    public static RateLimits off() {
        return new RateLimits(0, 1, 0, 1);
    }
}
