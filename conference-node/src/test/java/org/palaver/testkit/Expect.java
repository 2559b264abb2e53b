package org.palaver.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.palaver.xml.Element;

/**
 * Output assertions for scenarios where the spec fixes the order per recipient but not across
 * recipients, and where a few groups (other participants' presences, the users of an initial
 * browse push) have no specified order.
 *
 * <p>An expectation item is either an XML literal (one or more stanzas, strict order), an
 * {@link #anyOrder} group (those stanzas in any order, consecutively) or a
 * {@link #childrenAnyOrder} stanza (child elements compared as a multiset, at every depth).
 */
public final class Expect {
    private Expect() {
    }

    /** Stanzas that must appear consecutively but in no particular order. */
    public static Object anyOrder(String... stanzas) {
        List<Element> all = new ArrayList<>();
        for (String s : stanzas) {
            all.addAll(TestXml.parseAll(s));
        }
        return new Group(all);
    }

    /** One stanza whose child elements may come in any order (e.g. the users of a browse push). */
    public static Object childrenAnyOrder(String stanza) {
        return new Loose(TestXml.parse(stanza));
    }

    /** The whole output matches the items, in order. */
    public static void seq(List<Element> actual, Object... items) {
        List<Object> slots = slots(items);
        int i = 0;
        for (Object slot : slots) {
            if (slot instanceof Group g) {
                if (i + g.members.size() > actual.size()
                        || !multisetMatches(g.members, actual.subList(i, i + g.members.size()), false)) {
                    fail("stanzas " + i + ".." + (i + g.members.size() - 1) + " do not match the group"
                            + describe(slots, actual));
                }
                i += g.members.size();
            } else {
                if (i >= actual.size() || !matchSlot(slot, actual.get(i))) {
                    fail("stanza " + i + " differs" + describe(slots, actual));
                }
                i++;
            }
        }
        if (i != actual.size()) {
            fail("unexpected extra stanzas from " + i + describe(slots, actual));
        }
    }

    /** The output equals one of the alternatives (each a sequence of items). */
    public static void oneOf(List<Element> actual, Object[]... alternatives) {
        StringBuilder why = new StringBuilder();
        for (Object[] alt : alternatives) {
            try {
                seq(actual, alt);
                return;
            } catch (AssertionError e) {
                why.append("\n=== alternative failed: ").append(e.getMessage());
            }
        }
        fail("no alternative matched" + why);
    }

    /** Starts a per-recipient check of one output. */
    public static Recipients recipients(List<Element> out) {
        return new Recipients(out);
    }

    /** Per-recipient sequences; {@link #andNothingElse()} then proves nobody else got anything. */
    public static final class Recipients {
        private final List<Element> out;
        private int checked;

        private Recipients(List<Element> out) {
            this.out = out;
        }

        public Recipients to(String recipient, Object... items) {
            List<Element> mine = Harness.to(out, recipient);
            try {
                seq(mine, items);
            } catch (AssertionError e) {
                fail("to " + recipient + ": " + e.getMessage() + "\n--- whole output:\n" + lines(out));
            }
            checked += mine.size();
            return this;
        }

        public void andNothingElse() {
            if (checked != out.size()) {
                fail("stanzas to unexpected recipients:\n" + lines(out));
            }
        }
    }

    // ---- matching ---------------------------------------------------------------------------

    private static List<Object> slots(Object... items) {
        List<Object> slots = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof String s) {
                slots.addAll(TestXml.parseAll(s));
            } else if (item instanceof Group || item instanceof Loose) {
                slots.add(item);
            } else {
                throw new IllegalArgumentException("not an expectation: " + item);
            }
        }
        return slots;
    }

    private static boolean matchSlot(Object slot, Element actual) {
        if (slot instanceof Loose l) {
            return matchesUnordered(l.stanza, actual);
        }
        return TestXml.matches((Element) slot, actual);
    }

    /** Like {@link TestXml#matches} but child elements are compared as a multiset. */
    static boolean matchesUnordered(Element expected, Element actual) {
        if (!expected.name().equals(actual.name()) || !Objects.equals(expected.namespace(), actual.namespace())
                || expected.attrCount() != actual.attrCount()) {
            return false;
        }
        for (int i = 0; i < expected.attrCount(); i++) {
            String v = actual.attr(expected.attrName(i));
            if (v == null || !(expected.attrValue(i).equals("*") || expected.attrValue(i).equals(v))) {
                return false;
            }
        }
        if (!expected.text().isBlank() || !actual.text().isBlank()) {
            if (!expected.text().equals("*") && !expected.text().equals(actual.text())) {
                return false;
            }
        }
        return multisetMatches(expected.elements(), actual.elements(), true);
    }

    private static boolean multisetMatches(List<Element> expected, List<Element> actual, boolean deep) {
        if (expected.size() != actual.size()) {
            return false;
        }
        List<Element> left = new ArrayList<>(actual);
        for (Element e : expected) {
            int hit = -1;
            for (int i = 0; i < left.size(); i++) {
                if (deep ? matchesUnordered(e, left.get(i)) : TestXml.matches(e, left.get(i))) {
                    hit = i;
                    break;
                }
            }
            if (hit < 0) {
                return false;
            }
            left.remove(hit);
        }
        return true;
    }

    private static String describe(List<Object> slots, List<Element> actual) {
        StringBuilder sb = new StringBuilder("\n--- expected:\n");
        for (Object s : slots) {
            if (s instanceof Group g) {
                sb.append("  any order {\n");
                g.members.forEach(e -> sb.append("    ").append(e).append('\n'));
                sb.append("  }\n");
            } else if (s instanceof Loose l) {
                sb.append("  (children in any order) ").append(l.stanza).append('\n');
            } else {
                sb.append("  ").append(s).append('\n');
            }
        }
        return sb.append("--- actual:\n").append(lines(actual)).toString();
    }

    private static String lines(List<Element> out) {
        StringBuilder sb = new StringBuilder();
        out.forEach(e -> sb.append("  ").append(e).append('\n'));
        return sb.toString();
    }

    private record Group(List<Element> members) {
    }

    private record Loose(Element stanza) {
    }
}
