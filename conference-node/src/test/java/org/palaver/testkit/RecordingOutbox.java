package org.palaver.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.palaver.core.Outbox;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * An {@link Outbox} that keeps every call as made, unexpanded, for tests about how the core hands
 * stanzas to the shell (one by one or as fan-outs) rather than about who finally receives what
 * (that is {@link Harness}).
 */
public final class RecordingOutbox implements Outbox {
    /** One fan-out call: the template (without {@code to}) and the very list object passed. */
    public record Fanout(Element template, List<Jid> recipients) {
    }

    private final List<Element> sends = new ArrayList<>();
    private final List<Fanout> fanouts = new ArrayList<>();
    private final List<Element> stanzas = new ArrayList<>();

    @Override
    public void send(Element stanza) {
        sends.add(stanza);
        stanzas.add(stanza);
    }

    @Override
    public void fanout(Element template, List<Jid> recipients) {
        fanouts.add(new Fanout(template, recipients));
        stanzas.add(template);
    }

    public List<Element> sends() {
        return Collections.unmodifiableList(sends);
    }

    public List<Fanout> fanouts() {
        return Collections.unmodifiableList(fanouts);
    }

    /** Every stanza handed over, sent ones and fan-out templates alike, in call order. */
    public List<Element> stanzas() {
        return Collections.unmodifiableList(stanzas);
    }
}
