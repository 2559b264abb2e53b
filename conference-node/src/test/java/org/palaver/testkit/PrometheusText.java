package org.palaver.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, so tests check that every line of a scrape
 * is well formed and look up samples by their exact series text.
 */
public final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final String VALUE = "(?:[-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf)|NaN)";
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME + "(?:\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?\\})?) (" + VALUE + ")(?: -?[0-9]+)?");
    private static final Pattern COMMENT = Pattern.compile("# (?:HELP " + NAME + " .*|TYPE " + NAME
            + " (?:counter|gauge|summary|histogram|untyped))");

    private PrometheusText() {
    }

    /** Every sample of {@code text} by series (name plus labels as written); fails on a malformed line. */
    public static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        text.lines().forEach(line -> {
            if (line.isEmpty() || COMMENT.matcher(line).matches()) {
                return;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a Prometheus text line: " + line);
            }
            if (samples.put(m.group(1), Double.parseDouble(m.group(2).replace("Inf", "Infinity"))) != null) {
                throw new AssertionError("duplicate series: " + m.group(1));
            }
        });
        return samples;
    }

    /** The value of {@code series}; fails if absent. */
    public static double value(Map<String, Double> samples, String series) {
        Double v = samples.get(series);
        if (v == null) {
            throw new AssertionError("no series " + series + " in " + samples.keySet());
        }
        return v;
    }

    /** Whether some series has a name starting with {@code prefix}. */
    public static boolean hasPrefix(Map<String, Double> samples, String prefix) {
        return samples.keySet().stream().anyMatch(s -> s.startsWith(prefix));
    }
}
