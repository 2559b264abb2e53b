package org.palaver.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The project version this build is ({@code <revision>} in the parent pom, written into
 * {@code version.properties} by the build's resource filtering, so classes outside the jar know it
 * too): what {@code --version}, the start-up log line and the metric {@code palaver_build_info}
 * report.
 */
public final class Version {
    private static final String CURRENT = read();

    private Version() {
    }

    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").strip();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
