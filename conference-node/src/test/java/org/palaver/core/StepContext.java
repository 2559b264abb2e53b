package org.palaver.core;

import static org.junit.jupiter.api.Assertions.fail;

import org.palaver.xml.Element;

/**
 * Where a seeded run of {@link RoomInvariantsPropertyTest} is: every failure names the seed, the
 * step and the stanza that led to it, because that is all one needs to replay it.
 */
final class StepContext {
    private final int seed;
    private int step;
    private Element input;

    StepContext(int seed) {
        this.seed = seed;
    }

    int seed() {
        return seed;
    }

    int step() {
        return step;
    }

    void step(int step) {
        this.step = step;
    }

    /** The stanza (or heartbeat marker) the core is handling now; the checks judge output against it. */
    Element input() {
        return input;
    }

    void input(Element input) {
        this.input = input;
    }

    void check(boolean ok, String what) {
        if (!ok) {
            fail(where() + what);
        }
    }

    /** Wraps something the core threw, keeping it as the cause so its stack trace is not lost. */
    AssertionError failure(String what, Throwable cause) {
        return new AssertionError(where() + what, cause);
    }

    private String where() {
        return "seed " + seed + ", step " + step + ", input " + input + ":\n  ";
    }
}
