package org.palaver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.palaver.app.config.Overrides;

class CommandLineTest {
    @Test
    void readsAllOptions() {
        CommandLine c = CommandLine.parse("--config", "c.xml", "--router", "host:5347", "--secret", "s",
                "--domain", "conference.localhost");
        assertEquals(Path.of("c.xml"), c.config());
        assertEquals(new Overrides("host", "5347", "s", "conference.localhost"), c.overrides());
    }

    @Test
    void nothingGivenOverridesNothing() {
        CommandLine c = CommandLine.parse();
        assertNull(c.config());
        assertEquals(Overrides.none(), c.overrides());
    }

    @Test
    void ipv6RouterInBrackets() {
        assertEquals(new Overrides("::1", "5347", null, null), CommandLine.parse("--router", "[::1]:5347").overrides());
    }

    @Test
    void help() {
        assertTrue(CommandLine.parse("--help").help());
    }

    @Test
    void readableErrors() {
        assertEquals("--router must be HOST:PORT, got 'host'",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.parse("--router", "host")).getMessage());
        assertEquals("--secret needs a value",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.parse("--secret")).getMessage());
        assertEquals("unknown option '--port'",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.parse("--port", "1")).getMessage());
    }
}
