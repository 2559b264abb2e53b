package org.palaver.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.palaver.core.ConferenceService;
import org.palaver.core.Outbox;
import org.palaver.core.ServiceSettings;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * Drives the pure protocol core in scenario tests: stanzas in as XML literals, every output
 * stanza collected (fan-outs expanded into one element per recipient, in order), a manual clock.
 */
public final class Harness implements Outbox {
    public static final String S = "conference.example.org";
    public static final String R = "lounge@conference.example.org";
    public static final String A = "alice@example.org/home";
    public static final String B = "bob@example.org/laptop";
    public static final String C = "carol@example.net/gc";
    public static final String D = "dave@example.org/work";
    public static final String A2 = "alice@example.org/phone";
    public static final String HA = "9429de0c12f7f6af1a338783fea3a05d6d83b189";
    public static final String HB = "01204bd9b0f1cdf802dd7ef5bda4d666dd8b91ff";
    public static final String HC = "42ffe3785629e445ec81386ec06c31b20a79d6c9";
    public static final String HD = "7f1ecfe80f66ea946c7c6afe559b4be7d3130f74";

    /** 2026-01-02T03:04:05Z: a fixed start so delay stamps are predictable. */
    public static final long T0 = 1767323045000L;

    private final ConferenceService service;
    private final List<Element> sent = new ArrayList<>();
    private long now = T0;

    public Harness(ServiceSettings settings) {
        this(new ConferenceService(settings, T0), T0);
    }

    /** Drives a given core (e.g. a cluster-style one) from {@code now} on. */
    public Harness(ConferenceService service, long now) {
        this.service = service;
        this.now = now;
    }

    /** The §18 defaults: public service {@link #S}, history 10, classic notices. */
    public Harness() {
        this(ServiceSettings.defaults(S));
    }

    public ConferenceService service() {
        return service;
    }

    public long now() {
        return now;
    }

    /** Advances the clock without running the heartbeat. */
    public Harness advance(long millis) {
        now += millis;
        return this;
    }

    /** Advances the clock in 120 s steps, running the heartbeat after each step (spec §5.4). */
    public Harness advanceWithHeartbeats(long millis) {
        long end = now + millis;
        while (now + 120_000 <= end) {
            now += 120_000;
            service.heartbeat(now, this);
        }
        now = end;
        return this;
    }

    /** Feeds one stanza (an XML literal) and returns everything the core produced for it. */
    public List<Element> in(String xml) {
        return in(TestXml.parse(xml));
    }

    public List<Element> in(Element stanza) {
        sent.clear();
        service.handle(stanza, now, this);
        return new ArrayList<>(sent);
    }

    /** Feeds a stanza and discards the output (for preconditions). */
    public Harness given(String xml) {
        in(xml);
        return this;
    }

    @Override
    public void send(Element stanza) {
        if (stanza.attr("to") == null) {
            fail("core sent a stanza without 'to': " + stanza);
        }
        sent.add(stanza);
    }

    @Override
    public void fanout(Element template, List<Jid> recipients) {
        if (template.attr("to") != null) {
            fail("fan-out template carries 'to': " + template);
        }
        for (Jid r : recipients) {
            Element copy = template.shallowCopy();
            copy.attr("to", r.toString());
            sent.add(copy);
        }
    }

    // ---- assertions -------------------------------------------------------------------------

    /** The output equals exactly these stanzas, in this order. */
    public static void assertOut(List<Element> actual, String... expected) {
        List<Element> exp = new ArrayList<>();
        for (String s : expected) {
            exp.addAll(TestXml.parseAll(s));
        }
        if (exp.size() != actual.size()) {
            fail("expected " + exp.size() + " stanzas, got " + actual.size() + describe(exp, actual));
        }
        for (int i = 0; i < exp.size(); i++) {
            if (!TestXml.matches(exp.get(i), actual.get(i))) {
                fail("stanza " + i + " differs" + describe(exp, actual));
            }
        }
    }

    /** The output contains exactly these stanzas, in any order. */
    public static void assertOutAnyOrder(List<Element> actual, String... expected) {
        List<Element> exp = new ArrayList<>();
        for (String s : expected) {
            exp.addAll(TestXml.parseAll(s));
        }
        List<Element> left = new ArrayList<>(actual);
        for (Element e : exp) {
            int hit = -1;
            for (int i = 0; i < left.size(); i++) {
                if (TestXml.matches(e, left.get(i))) {
                    hit = i;
                    break;
                }
            }
            if (hit < 0) {
                fail("missing " + e + describe(exp, actual));
            }
            left.remove(hit);
        }
        if (!left.isEmpty()) {
            fail("unexpected " + left + describe(exp, actual));
        }
    }

    /** The stanzas addressed to one recipient, in order. */
    public static List<Element> to(List<Element> out, String recipient) {
        return filter(out, e -> recipient.equals(e.attr("to")));
    }

    public static List<Element> filter(List<Element> out, Predicate<Element> p) {
        List<Element> r = new ArrayList<>();
        for (Element e : out) {
            if (p.test(e)) {
                r.add(e);
            }
        }
        return r;
    }

    private static String describe(List<Element> exp, List<Element> actual) {
        StringBuilder sb = new StringBuilder("\n--- expected:\n");
        exp.forEach(e -> sb.append("  ").append(e).append('\n'));
        sb.append("--- actual:\n");
        actual.forEach(e -> sb.append("  ").append(e).append('\n'));
        return sb.toString();
    }
}
