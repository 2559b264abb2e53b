package org.palaver.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class XmlLimitsTest {
    @Test
    void defaults() {
        assertEquals(new XmlLimits(262_144, 32, 64, 256), XmlLimits.defaults());
    }

    @Test
    void everyFieldMustBePositive() {
        assertRefused("maxStanzaBytes must be positive, got 0", () -> new XmlLimits(0, 1, 1, 1));
        assertRefused("maxDepth must be positive, got -1", () -> new XmlLimits(1, -1, 1, 1));
        assertRefused("maxAttributes must be positive, got 0", () -> new XmlLimits(1, 1, 0, 1));
        assertRefused("maxNameLength must be positive, got -5", () -> new XmlLimits(1, 1, 1, -5));
    }

    private static void assertRefused(String message, Runnable create) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, create::run).getMessage());
    }
}
