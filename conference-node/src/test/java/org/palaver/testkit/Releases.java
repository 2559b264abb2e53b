package org.palaver.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's recorded releases: the file {@code RELEASES} at the project root, one
 * {@code VERSION COMMIT} per line ({@code #} comments and blank lines ignored), oldest first.
 */
public final class Releases {
    private static final Pattern LINE = Pattern.compile("(\\d+\\.\\d+\\.\\d+)\\s+([0-9a-f]{40})");
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(-[0-9A-Za-z.-]+)?");

    /** One recorded release. */
    public record Release(String version, String commit) {
    }

    private final List<Release> all;

    private Releases(List<Release> all) {
        this.all = List.copyOf(all);
    }

    /** {@code RELEASES} of the project under test. */
    public static Releases recorded() {
        return read(Jabberd2.projectRoot().resolve("RELEASES"));
    }

    public static Releases read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link IllegalArgumentException} naming the line for anything that is not a release line. */
    public static Releases parse(String text) {
        List<Release> all = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("RELEASES line " + (i + 1) + " is not 'X.Y.Z <40-hex commit>': " + line);
            }
            Release r = new Release(m.group(1), m.group(2));
            if (!all.isEmpty() && compare(all.get(all.size() - 1).version(), r.version()) >= 0) {
                throw new IllegalArgumentException("RELEASES line " + (i + 1) + ": " + r.version()
                        + " is not newer than the release above it");
            }
            all.add(r);
        }
        return new Releases(all);
    }

    public List<Release> all() {
        return all;
    }

    /** The newest release older than {@code version} (a {@code -SNAPSHOT} comes before its release). */
    public Optional<Release> newestOlderThan(String version) {
        return all.stream().filter(r -> compare(r.version(), version) < 0)
                .max(Comparator.comparing(Release::version, Releases::compare));
    }

    /**
     * Orders versions {@code X.Y.Z[-suffix]} numerically; a version with a suffix (a snapshot or
     * pre-release) comes before the same version without one.
     */
    public static int compare(String a, String b) {
        Matcher x = parts(a);
        Matcher y = parts(b);
        for (int g = 1; g <= 3; g++) {
            int c = Integer.compare(Integer.parseInt(x.group(g)), Integer.parseInt(y.group(g)));
            if (c != 0) {
                return c;
            }
        }
        boolean xPre = x.group(4) != null;
        boolean yPre = y.group(4) != null;
        return xPre == yPre ? (xPre ? x.group(4).compareTo(y.group(4)) : 0) : (xPre ? -1 : 1);
    }

    private static Matcher parts(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a version X.Y.Z[-suffix]: '" + version + "'");
        }
        return m;
    }
}
