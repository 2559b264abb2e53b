package org.palaver.core;

import org.palaver.xml.Element;

/**
 * Small stanza-building helpers shared by every handler.
 *
 * <p>Replies are built from the request as the original did ({@code jutil_iqresult},
 * {@code jutil_error}): every attribute kept, {@code to}/{@code from} swapped as raw strings (so a
 * reply comes from the address the request used, spec §18 scenario 13), {@code type} replaced.
 * Every element the core emits is unqualified at the top (stream default namespace), whatever
 * stanza namespace the inbound copy carried (spec §2.2).
 */
final class Stanzas {
    private Stanzas() {
    }

    /**
     * A copy sharing the children, with the top-level namespace dropped. The cheap
     * {@link Element#shallowCopy()} is used when the stanza is already canonical.
     */
    static Element copy(Element in) {
        if (in.namespace() == null) {
            return in.shallowCopy();
        }
        Element e = new Element(in.name());
        for (int i = 0; i < in.attrCount(); i++) {
            e.attr(in.attrName(i), in.attrValue(i));
        }
        for (Object c : in.children()) {
            if (c instanceof Element) {
                e.add((Element) c);
            } else {
                e.addText((String) c);
            }
        }
        return e;
    }

    /** A copy with new addresses ({@code to == null}: a fan-out template). */
    static Element readdressed(Element in, String from, String to) {
        return copy(in).attr("from", from).attr("to", to);
    }

    /** Same name and attributes, addresses swapped, new type, no children. */
    static Element reply(Element request, String type) {
        Element r = new Element(request.name());
        for (int i = 0; i < request.attrCount(); i++) {
            r.attr(request.attrName(i), request.attrValue(i));
        }
        return swap(r, request).attr("type", type);
    }

    static Element iqResult(Element request) {
        return reply(request, "result");
    }

    /** DEV-12 error: payload kept, addresses swapped, {@code type='error'}, error child appended. */
    static Element error(Element request, StanzaError error, String text) {
        Element e = copy(request);
        return swap(e, request).attr("type", "error").add(error.element(text));
    }

    private static Element swap(Element target, Element request) {
        String from = request.attr("from");
        String to = request.attr("to");
        return target.attr("to", from).attr("from", to);
    }

    /** An element holding only text, e.g. {@code <body>..</body>}. */
    static Element textElement(String name, String text) {
        return new Element(name).addText(text);
    }
}
