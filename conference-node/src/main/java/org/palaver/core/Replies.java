package org.palaver.core;

import org.palaver.xml.Element;

/**
 * Sends replies with the two guards every answer needs (spec §14.1, DEV-8): a stanza of type
 * {@code error} is never answered, and neither is an iq {@code result} (no loops, no answers to
 * answers).
 */
final class Replies {
    private Replies() {
    }

    static boolean answerable(Inbound in) {
        return answerable(in.stanza);
    }

    /** The same guard for a stanza that could not be classified (e.g. its {@code to} is bad). */
    static boolean answerable(Element stanza) {
        String type = stanza.attr("type");
        return !"error".equals(type) && !("result".equals(type) && stanza.name().equals("iq"));
    }

    static void error(Inbound in, StanzaError error, Outbox out) {
        error(in, error, null, out);
    }

    static void error(Inbound in, StanzaError error, String text, Outbox out) {
        if (answerable(in)) {
            out.send(Stanzas.error(in.stanza, error, text));
        }
    }

    /** An iq result carrying {@code payload} ({@code null}: empty result). */
    static void result(Inbound in, Element payload, Outbox out) {
        if (answerable(in)) {
            Element r = Stanzas.iqResult(in.stanza);
            if (payload != null) {
                r.add(payload);
            }
            out.send(r);
        }
    }
}
