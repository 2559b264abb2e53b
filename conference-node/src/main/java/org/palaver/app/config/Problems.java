package org.palaver.app.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects configuration problems so that one start-up reports all of them, and turns raw element
 * text into checked values. Every message names the element path and the offending value.
 */
final class Problems {
    static final String PREFIX = "config error: ";

    private final List<String> lines = new ArrayList<>();

    void add(String path, String problem) {
        lines.add(PREFIX + path + " " + problem);
    }

    /** A whole number in {@code [min, max]}; {@code fallback} when the element is absent. */
    long number(String path, String raw, long fallback, long min, long max) {
        if (raw == null) {
            return fallback;
        }
        String text = raw.trim();
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            add(path, "must be " + min + ".." + max + ", got '" + raw + "'");
            return fallback;
        }
        add(path, "must be " + min + ".." + max + ", got " + text);
        return fallback;
    }

    int integer(String path, String raw, int fallback, int min, int max) {
        return (int) number(path, raw, fallback, min, max);
    }

    /**
     * A switch written either as an empty element ({@code <public/>}, meaning on) or with the text
     * {@code true}/{@code false}; {@code absent} when the element is missing.
     */
    boolean flag(String path, String raw, boolean absent) {
        if (raw == null) {
            return absent;
        }
        String text = raw.trim();
        if (text.isEmpty() || text.equals("true")) {
            return true;
        }
        if (text.equals("false")) {
            return false;
        }
        add(path, "must be empty, true or false, got '" + raw + "'");
        return absent;
    }

    /** Text with surrounding white space removed; {@code null} when absent or blank. */
    static String trimmed(String raw) {
        if (raw == null) {
            return null;
        }
        String t = raw.strip();
        return t.isEmpty() ? null : t;
    }

    void throwIfAny() throws ConfigException {
        if (!lines.isEmpty()) {
            throw new ConfigException(lines);
        }
    }
}
