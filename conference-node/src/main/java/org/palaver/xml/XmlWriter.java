package org.palaver.xml;

import java.util.Objects;

/**
 * Serializes {@link Element}s to XML text with correct escaping and namespace declarations.
 *
 * <p>A top-level stanza is written unqualified (the stream's default namespace) when its namespace
 * is one of the stanza namespaces. Below it, an element whose namespace is not the one in scope for
 * its name gets a declaration: {@code xmlns='...'} for a plain name, {@code xmlns:p='...'} for a
 * prefixed name such as {@code stream:error}. Declarations an element carries as attributes are
 * respected and never duplicated. Whatever the element holds, the output is namespace-well-formed:
 * no prefix is written unbound (see {@link #writtenName}, {@link #isBound}).
 *
 * <p>Characters that XML 1.0 cannot carry (controls other than tab, line feed and carriage return;
 * U+FFFE, U+FFFF; unpaired surrogates) are replaced by U+FFFD rather than dropped, so the loss is
 * visible to the reader and the rest of the text keeps its position. Carriage returns are written as
 * character references so that they survive the reader's line-end normalisation, and so are tab and
 * line feed inside attribute values.
 */
public final class XmlWriter {
    public static final String NS_CLIENT = "jabber:client";
    public static final String NS_COMPONENT = "jabber:component:accept";
    public static final String NS_STREAMS = "http://etherx.jabber.org/streams";
    /** The namespace the {@code xml} prefix is bound to by definition (never declared). */
    public static final String NS_XML = "http://www.w3.org/XML/1998/namespace";

    /** Written in place of characters XML 1.0 cannot represent. */
    public static final char REPLACEMENT_CHAR = '\uFFFD';

    private static final String REPLACEMENT = String.valueOf(REPLACEMENT_CHAR);
    private static final String[] TEXT_ESCAPES = asciiEscapes(false);
    private static final String[] ATTR_ESCAPES = asciiEscapes(true);

    private XmlWriter() {
    }

    /** The stanza as the stream writes it: top-level stanza namespaces left implicit. */
    public static String toXml(Element e) {
        StringBuilder sb = new StringBuilder(128);
        writeStanza(e, sb);
        return sb.toString();
    }

    /** Appends the stanza as the stream writes it (see {@link #toXml}). */
    public static void writeStanza(Element e, StringBuilder sb) {
        sb.append('<').append(stanzaName(e));
        writeStanzaRest(e, null, sb);
    }

    /** The name a top-level stanza is written with (see {@link #writtenName}). */
    static String stanzaName(Element e) {
        return writtenName(e, stanzaContext(e));
    }

    private static String stanzaContext(Element e) {
        return isStanzaNamespace(e.namespace()) ? e.namespace() : null;
    }

    /**
     * Appends everything after the stanza's name: declarations, attributes except {@code skipAttr}
     * (may be {@code null}), content and end tag. Lets fan-out put {@code to} first.
     */
    static void writeStanzaRest(Element e, String skipAttr, StringBuilder sb) {
        String context = stanzaContext(e);
        writeRest(e, writtenName(e, context), context, context, null, skipAttr, sb);
    }

    public static boolean isStanzaNamespace(String ns) {
        return ns == null || NS_CLIENT.equals(ns) || NS_COMPONENT.equals(ns);
    }

    /** Writes {@code e} as a child of an unprefixed element whose namespace is {@code parentNs}. */
    public static void write(Element e, String parentNs, StringBuilder sb) {
        writeElement(e, parentNs, parentNs, null, sb);
    }

    /** Prefix bindings the writer has declared on the path to the current element. */
    private record Binding(String prefix, String uri, Binding next) {
        static String lookup(Binding b, String prefix) {
            for (; b != null; b = b.next) {
                if (b.prefix.equals(prefix)) {
                    return b.uri;
                }
            }
            return null;
        }
    }

    private static void writeElement(Element e, String parentNs, String defaultNs, Binding bindings,
                                     StringBuilder sb) {
        String name = writtenName(e, parentNs);
        sb.append('<').append(name);
        writeRest(e, name, parentNs, defaultNs, bindings, null, sb);
    }

    /**
     * @param name      the element's name as written ({@link #writtenName})
     * @param parentNs  effective namespace of the parent (what a {@code null} namespace inherits)
     * @param defaultNs the default namespace in scope (differs from parentNs below prefixed names)
     */
    private static void writeRest(Element e, String name, String parentNs, String defaultNs, Binding bindings,
                                  String skipAttr, StringBuilder sb) {
        String ns = e.effectiveNamespace(parentNs);
        String innerDefault = defaultNs;
        Binding innerBindings = bindings;
        boolean declaresDefault = false;
        for (int i = 0; i < e.attrCount(); i++) {
            String an = e.attrName(i);
            if (an.equals("xmlns")) {
                declaresDefault = true;
                innerDefault = e.attrValue(i);
            } else if (an.startsWith("xmlns:")) {
                innerBindings = new Binding(an.substring(6), e.attrValue(i), innerBindings);
            }
        }
        int colon = name.indexOf(':');
        if (colon < 0) {
            if (!declaresDefault && !Objects.equals(ns, innerDefault)) {
                writeAttr("xmlns", ns, sb);
                innerDefault = ns;
            }
        } else {
            String prefix = name.substring(0, colon);
            String bound = ns != null ? ns : NS_COMPONENT;
            if (!prefix.equals("xml") && !bound.equals(Binding.lookup(innerBindings, prefix))) {
                writeAttr("xmlns:" + prefix, bound, sb);
                innerBindings = new Binding(prefix, bound, innerBindings);
            }
        }
        for (int i = 0; i < e.attrCount(); i++) {
            String an = e.attrName(i);
            if (!an.equals(skipAttr) && isBound(an, innerBindings)) {
                writeAttr(an, e.attrValue(i), sb);
            }
        }
        var children = e.children();
        if (children.isEmpty()) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        for (Object c : children) {
            if (c instanceof Element) {
                writeElement((Element) c, ns, innerDefault, innerBindings, sb);
            } else {
                escapeText((String) c, sb);
            }
        }
        sb.append("</").append(name).append('>');
    }

    /**
     * The element's name as written. Parsed elements are canonical (unprefixed, see
     * {@link StreamParser#canonicalName}); a prefixed name built elsewhere keeps its prefix and
     * gets the declaration it needs, unless the element itself binds that prefix to another
     * namespace (for one of its attributes): then it is written unprefixed, with a default
     * namespace declaration, so the output stays namespace-well-formed whatever the element holds.
     */
    private static String writtenName(Element e, String parentNs) {
        String ns = e.effectiveNamespace(parentNs);
        String name = e.name();
        int colon = name.indexOf(':');
        if (colon < 0 || name.startsWith("xml:")) {
            return name;
        }
        String own = e.attr("xmlns:" + name.substring(0, colon));
        return own == null || own.equals(ns != null ? ns : NS_COMPONENT) ? name : name.substring(colon + 1);
    }

    /**
     * Whether an attribute can be written: plain names, {@code xml:} and declarations always; a
     * prefixed name only with its prefix declared in scope (the parser keeps each prefixed
     * attribute's declaration on its element), so a stray one cannot make the output unbound.
     */
    private static boolean isBound(String attrName, Binding bindings) {
        int colon = attrName.indexOf(':');
        if (colon < 0) {
            return true;
        }
        String prefix = attrName.substring(0, colon);
        return prefix.equals("xml") || prefix.equals("xmlns") || Binding.lookup(bindings, prefix) != null;
    }

    private static void writeAttr(String name, String value, StringBuilder sb) {
        sb.append(' ').append(name).append("='");
        escapeAttr(value, sb);
        sb.append('\'');
    }

    /** Appends character data: {@code & < >} and carriage return escaped, illegal characters replaced. */
    public static void escapeText(String s, StringBuilder sb) {
        escape(s, TEXT_ESCAPES, sb);
    }

    /** Appends an attribute value for single or double quotes; white space kept as references. */
    public static void escapeAttr(String s, StringBuilder sb) {
        escape(s, ATTR_ESCAPES, sb);
    }

    public static String escapeAttr(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        escapeAttr(s, sb);
        return sb.toString();
    }

    /** Copies runs of plain characters in bulk; only the characters needing care are looked at twice. */
    private static void escape(String s, String[] asciiEscapes, StringBuilder sb) {
        int n = s.length();
        int run = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String replacement;
            if (c < 0x80) {
                replacement = asciiEscapes[c];
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a valid pair: copied with the run
                continue;
            } else {
                replacement = Character.isSurrogate(c) || c >= 0xFFFE ? REPLACEMENT : null;
            }
            if (replacement != null) {
                sb.append(s, run, i).append(replacement);
                run = i + 1;
            }
        }
        sb.append(s, run, n);
    }

    private static String[] asciiEscapes(boolean attr) {
        String[] table = new String[0x80];
        for (char c = 0; c < 0x20; c++) {
            table[c] = REPLACEMENT;
        }
        table['\t'] = attr ? "&#9;" : null;
        table['\n'] = attr ? "&#10;" : null;
        table['\r'] = "&#13;";
        table['&'] = "&amp;";
        table['<'] = "&lt;";
        table['>'] = "&gt;";
        if (attr) {
            table['\''] = "&apos;";
            table['"'] = "&quot;";
        }
        return table;
    }
}
