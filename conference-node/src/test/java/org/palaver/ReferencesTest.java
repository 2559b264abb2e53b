package org.palaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every reference that the sources and documents cite resolves inside the repository: protocol
 * sections, deviations, error rows and scenarios to docs/protocol.md, decisions to
 * docs/protocol-decisions.md, invariants and anchors to docs/architecture.md (and any other
 * document a link names). A failure names the file and line of each citation that leads nowhere.
 */
class ReferencesTest {
    private static final String SECTION = "\u00a7";

    /** A section sign and number, with the words before it that may say whose section it is. */
    private static final Pattern SECTION_REF = Pattern.compile(
            "([\\w.-]+[ ,]+)?([\\w.-]+[ ,]*)?" + SECTION + " ?(\\d+(?:\\.\\d+)*)");
    private static final Pattern DEVIATION_REF = Pattern.compile("\\bDEV[-\u2011](\\d+)");
    /** "E7", "E-7"; not a byte of a hex sequence such as "E0 80 AF". */
    private static final Pattern ERROR_ROW_REF = Pattern.compile("\\bE-?(\\d{1,2})\\b(?! [0-9A-F]{2}\\b)");
    private static final Pattern TRANSPORT_SCENARIO_REF = Pattern.compile("\\bT([1-9]\\d*)\\b");
    private static final Pattern SCENARIO_REF = Pattern.compile(
            "(?i)\\bscenarios? (\\d+(?:(?:, (?:and )?| and | or |[-\u2013])\\d+)*)");
    private static final Pattern DECISION_REF = Pattern.compile(
            "(?i)\\bdecisions? (\\d+(?:(?:, (?:and )?| and | or )\\d+)*)");
    private static final Pattern INVARIANT_REF = Pattern.compile(
            "(?i)\\binvariants? (\\d+(?:(?:, (?:and )?| and | or )\\d+)*)");
    /** A document and an anchor, as written in Java sources and prose: {@code docs/architecture.md#invariants}. */
    private static final Pattern DOC_ANCHOR_REF = Pattern.compile("\\b([\\w-]+\\.md)#([\\w-]+)");
    /** A document and a quoted section title: {@code docs/architecture.md, "Clustering"}. */
    private static final Pattern DOC_TITLE_REF = Pattern.compile("\\b([\\w-]+\\.md), \"([^\"]+)\"");
    /** A Markdown link to a local document and anchor, or to an anchor of the same document. */
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([\\w./-]*\\.md)?(#[\\w-]+)?\\)");
    private static final Pattern NUMBERED_HEADING = Pattern.compile("^#{2,4} (\\d+(?:\\.\\d+)*)\\.? ");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+?)\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a id=\"([\\w-]+)\"></a>");

    private final Path root = repositoryRoot();
    private final Path docs = root.resolve("docs");
    private final Doc protocol = Doc.read(docs.resolve("protocol.md"));
    private final Doc decisions = Doc.read(docs.resolve("protocol-decisions.md"));
    private final Doc architecture = Doc.read(docs.resolve("architecture.md"));
    private final Map<Path, Doc> linked = new HashMap<>();

    @Test
    void everyCitationInSourcesAndDocumentsResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : citingFiles()) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                for (String problem : problems(file, lines.get(i))) {
                    broken.add(root.relativize(file) + ":" + (i + 1) + ": " + problem);
                }
            }
        }
        assertTrue(broken.isEmpty(), broken.size() + " citation(s) lead nowhere:\n" + String.join("\n", broken));
    }

    /** The targets exist at all: a parsing slip here would let every citation pass unchecked. */
    @Test
    void theCitedDocumentsHoldWhatTheirCitationsName() {
        assertTrue(protocol.sections.containsAll(Set.of("0.1", "1.4", "3", "6.1.2", "13.2", "18.13")),
                "protocol.md sections: " + protocol.sections);
        assertEquals(numbers(1, 21), protocol.deviations, "DEV-1..DEV-21 in protocol.md §15");
        assertEquals(numbers(1, 23), protocol.errorRows, "E1..E23 in protocol.md §14.2");
        assertEquals(numbers(1, 94), protocol.scenarios, "scenarios 1..94 in protocol.md §18");
        assertEquals(numbers(1, 7), protocol.transportScenarios, "T1..T7 in protocol.md §18.1");
        assertEquals(numbers(1, decisions.decisionCount()), decisions.decisions(), "decisions numbered without gaps");
        assertEquals(numbers(1, 6), architecture.invariants, "invariants 1..6 in architecture.md");
    }

    private List<Path> citingFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String tree : List.of("conference-node/src/main/java", "conference-node/src/test/java")) {
            try (Stream<Path> walk = Files.walk(root.resolve(tree))) {
                walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
            }
        }
        try (Stream<Path> list = Files.list(docs)) {
            list.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        files.add(root.resolve("README.md"));
        return files;
    }

    private List<String> problems(Path file, String line) {
        List<String> out = new ArrayList<>();
        boolean markdown = file.toString().endsWith(".md");
        Matcher m = SECTION_REF.matcher(line);
        while (m.find()) {
            String owner = owner(m.group(1), m.group(2));
            String number = m.group(3);
            if (owner.equals("external")) {
                continue;
            }
            Doc target = owner.equals("architecture") ? architecture : protocol;
            if (!target.sections.contains(number)) {
                out.add("'" + SECTION + number + "' is no numbered section of " + target.name);
            }
        }
        check(out, DEVIATION_REF, line, protocol.deviations, "DEV-", "no deviation in protocol.md " + SECTION + "15");
        check(out, ERROR_ROW_REF, line, protocol.errorRows, "E", "no error row in protocol.md " + SECTION + "14.2");
        check(out, TRANSPORT_SCENARIO_REF, line, protocol.transportScenarios, "T",
                "no transport scenario in protocol.md " + SECTION + "18.1");
        checkLists(out, SCENARIO_REF, line, protocol.scenarios, "scenario ", "protocol.md " + SECTION + "18");
        checkLists(out, DECISION_REF, line, decisions.decisions(), "decision ", "protocol-decisions.md");
        checkLists(out, INVARIANT_REF, line, architecture.invariants, "invariant ", "architecture.md, \"Invariants\"");
        Matcher anchor = DOC_ANCHOR_REF.matcher(line);
        while (anchor.find()) {
            anchorProblem(file, anchor.group(1), "#" + anchor.group(2)).ifPresent(out::add);
        }
        Matcher title = DOC_TITLE_REF.matcher(line);
        while (title.find()) {
            Doc doc = doc(docs.resolve(title.group(1)));
            if (doc == null) {
                out.add("'" + title.group(1) + "' does not exist");
            } else if (!doc.hasTitle(title.group(2))) {
                out.add("'" + title.group(2) + "' is no section title of " + doc.name);
            }
        }
        if (markdown) {
            Matcher link = MARKDOWN_LINK.matcher(line);
            while (link.find()) {
                if (link.group(1) == null && link.group(2) == null) {
                    continue;
                }
                String target = link.group(1) == null ? file.getFileName().toString() : link.group(1);
                if (link.group(2) == null) {
                    if (!Files.exists(file.getParent().resolve(target))) {
                        out.add("link to '" + target + "', which does not exist");
                    }
                } else {
                    anchorProblem(file, target, link.group(2)).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /**
     * Whose section a section sign names: RFCs and XEPs are external; "architecture" is
     * docs/architecture.md; anything else (bare, "spec", "protocol.md") is docs/protocol.md.
     */
    private static String owner(String twoBefore, String oneBefore) {
        String words = ((twoBefore == null ? "" : twoBefore) + (oneBefore == null ? "" : oneBefore))
                .toLowerCase(Locale.ROOT);
        if (words.matches(".*\\b(rfc ?\\d+|xep-\\d+)[ ,]*$")) {
            return "external";
        }
        return words.matches(".*\\barchitecture(\\.md)?[ ,]*$") ? "architecture" : "protocol";
    }

    private java.util.Optional<String> anchorProblem(Path citing, String document, String anchor) {
        Path base = citing.toString().endsWith(".md") ? citing.getParent() : docs;
        Doc doc = Stream.of(base, docs, root).map(dir -> doc(dir.resolve(document).normalize()))
                .filter(d -> d != null).findFirst().orElse(null);
        if (doc == null) {
            return java.util.Optional.of("'" + document + "' does not exist");
        }
        if (!doc.anchors.contains(anchor.substring(1))) {
            return java.util.Optional.of("'" + document + anchor + "' names no heading or anchor of " + doc.name);
        }
        return java.util.Optional.empty();
    }

    private Doc doc(Path path) {
        return Files.isRegularFile(path) ? linked.computeIfAbsent(path, Doc::read) : null;
    }

    private static void check(List<String> out, Pattern p, String line, Set<Integer> known, String prefix, String why) {
        Matcher m = p.matcher(line);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (!known.contains(n)) {
                out.add("'" + prefix + n + "': " + why);
            }
        }
    }

    private static void checkLists(List<String> out, Pattern p, String line, Set<Integer> known, String word,
            String where) {
        Matcher m = p.matcher(line);
        while (m.find()) {
            for (String n : m.group(1).split("\\D+")) {
                if (!known.contains(Integer.parseInt(n))) {
                    out.add("'" + word + n + "' is not in " + where);
                }
            }
        }
    }

    private static Set<Integer> numbers(int from, int to) {
        Set<Integer> s = new LinkedHashSet<>();
        for (int i = from; i <= to; i++) {
            s.add(i);
        }
        return s;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/protocol.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/protocol.md above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** What one Markdown document offers as citation targets. */
    private static final class Doc {
        final String name;
        final Set<String> sections = new LinkedHashSet<>();
        final Set<String> titles = new LinkedHashSet<>();
        final Set<String> anchors = new LinkedHashSet<>();
        final Set<Integer> deviations = new LinkedHashSet<>();
        final Set<Integer> errorRows = new LinkedHashSet<>();
        final Set<Integer> scenarios = new LinkedHashSet<>();
        final Set<Integer> transportScenarios = new LinkedHashSet<>();
        final Set<Integer> invariants = new LinkedHashSet<>();
        private final Set<Integer> decisionIds = new LinkedHashSet<>();

        static Doc read(Path path) {
            try {
                return new Doc(path.getFileName().toString(), Files.readAllLines(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Doc(String name, List<String> lines) {
            this.name = name;
            String topSection = "";
            String heading = "";
            boolean fenced = false;
            for (String line : lines) {
                if (line.startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    continue;
                }
                Matcher h = HEADING.matcher(line);
                if (h.matches()) {
                    heading = h.group(1);
                    titles.add(heading);
                    anchors.add(slug(heading));
                    Matcher numbered = NUMBERED_HEADING.matcher(line);
                    if (numbered.find()) {
                        sections.add(numbered.group(1));
                        topSection = numbered.group(1).split("\\.")[0];
                    }
                    continue;
                }
                Matcher a = HTML_ANCHOR.matcher(line);
                while (a.find()) {
                    anchors.add(a.group(1));
                    if (a.group(1).matches("d\\d+")) {
                        decisionIds.add(Integer.parseInt(a.group(1).substring(1)));
                    }
                }
                row(line, "^\\| DEV-(\\d+) \\|", deviations);
                row(line, "^\\| E(\\d+) \\|", errorRows);
                if (topSection.equals("18")) {
                    row(line, "^(\\d+)\\. ", scenarios);
                    row(line, "^\\* \\*\\*T(\\d+)\\*\\*", transportScenarios);
                }
                if (heading.equals("Invariants")) {
                    row(line, "^(\\d+)\\. ", invariants);
                }
            }
        }

        /** A heading with this title, possibly followed by a parenthesis ("Title (invariant 3)"). */
        boolean hasTitle(String title) {
            return titles.stream().anyMatch(t -> t.equals(title) || t.startsWith(title + " ("));
        }

        Set<Integer> decisions() {
            return decisionIds;
        }

        int decisionCount() {
            return decisionIds.size();
        }

        private static void row(String line, String regex, Set<Integer> into) {
            Matcher m = Pattern.compile(regex).matcher(line);
            if (m.find()) {
                into.add(Integer.parseInt(m.group(1)));
            }
        }

        /** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
        static String slug(String heading) {
            String text = heading.replaceAll("`", "").toLowerCase(Locale.ROOT);
            return text.codePoints()
                    .filter(c -> Character.isLetterOrDigit(c) || c == ' ' || c == '-' || c == '_')
                    .mapToObj(c -> c == ' ' ? "-" : Character.toString(c))
                    .collect(Collectors.joining());
        }
    }
}
