package org.palaver.xml;

import java.util.Objects;

/**
 * Serializes {@link Element}s to XML text with correct escaping.
 *
 * <p>A top-level stanza is written unqualified (the stream's default namespace) when its namespace
 * is one of the stanza namespaces; a child whose namespace differs from its parent's gets an
 * {@code xmlns} attribute.
 */
public final class XmlWriter {
    public static final String NS_CLIENT = "jabber:client";
    public static final String NS_COMPONENT = "jabber:component:accept";

    private XmlWriter() {
    }

    /** The stanza as the stream writes it: top-level stanza namespaces left implicit. */
    public static String toXml(Element e) {
        StringBuilder sb = new StringBuilder(128);
        write(e, isStanzaNamespace(e.namespace()) ? e.namespace() : null, sb);
        return sb.toString();
    }

    public static boolean isStanzaNamespace(String ns) {
        return ns == null || NS_CLIENT.equals(ns) || NS_COMPONENT.equals(ns);
    }

    /** Writes {@code e} as a child of an element whose namespace is {@code parentNs}. */
    public static void write(Element e, String parentNs, StringBuilder sb) {
        sb.append('<').append(e.name());
        String ns = e.namespace();
        boolean declares = ns != null && !Objects.equals(ns, parentNs) && e.attr("xmlns") == null;
        if (declares) {
            sb.append(" xmlns='");
            escapeAttr(ns, sb);
            sb.append('\'');
        }
        for (int i = 0; i < e.attrCount(); i++) {
            sb.append(' ').append(e.attrName(i)).append("='");
            escapeAttr(e.attrValue(i), sb);
            sb.append('\'');
        }
        var children = e.children();
        if (children.isEmpty()) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        String effective = ns != null ? ns : parentNs;
        for (Object c : children) {
            if (c instanceof Element) {
                write((Element) c, effective, sb);
            } else {
                escapeText((String) c, sb);
            }
        }
        sb.append("</").append(e.name()).append('>');
    }

    public static void escapeText(String s, StringBuilder sb) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                default: sb.append(c);
            }
        }
    }

    public static void escapeAttr(String s, StringBuilder sb) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '\'': sb.append("&apos;"); break;
                case '"': sb.append("&quot;"); break;
                case '\n': sb.append("&#10;"); break;
                case '\r': sb.append("&#13;"); break;
                case '\t': sb.append("&#9;"); break;
                default: sb.append(c);
            }
        }
    }

    public static String escapeAttr(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        escapeAttr(s, sb);
        return sb.toString();
    }
}
