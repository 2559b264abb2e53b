package org.palaver.core;

import java.util.List;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * Where the protocol core puts the stanzas it produces, in the order they must go out.
 *
 * <p>This is the seam between the pure core and the I/O shell: the core only describes what to
 * send. {@link #fanout} lets the shell serialize a broadcast once and vary only {@code to}
 * (docs/architecture.md#hot-path) instead of receiving one element per recipient.
 */
public interface Outbox {
    /** One fully addressed stanza ({@code to} and {@code from} set). */
    void send(Element stanza);

    /**
     * One copy of {@code template} per recipient, in list order, each with {@code to} set to the
     * recipient. The template carries every other attribute ({@code from}, {@code type}, ...) and
     * has no {@code to}. Neither the template nor the list may be changed after the call.
     */
    void fanout(Element template, List<Jid> recipients);
}
