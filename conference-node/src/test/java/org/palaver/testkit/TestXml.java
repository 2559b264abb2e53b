package org.palaver.testkit;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.palaver.xml.Element;
import org.palaver.xml.StreamParser;
import org.palaver.xml.XmlWriter;

/**
 * Test-only XML literals: parses a string into {@link Element}s with the same canonical form the
 * stream parser produces (a namespace is recorded only where it differs from the parent's; the
 * stanza namespaces {@code jabber:client} / {@code jabber:component:accept} at top level become
 * {@code null}; element names canonical as {@link StreamParser#canonicalName} makes them), and compares elements ignoring white-space-only text between child elements.
 */
public final class TestXml {
    private TestXml() {
    }

    /** One element. */
    public static Element parse(String xml) {
        List<Element> all = parseAll(xml);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one element, got " + all.size() + ": " + xml);
        }
        return all.get(0);
    }

    /** A sequence of sibling elements (e.g. several expected stanzas in one literal). */
    public static List<Element> parseAll(String xml) {
        String wrapped = "<wrapper xmlns='jabber:client'>" + xml + "</wrapper>";
        try {
            XMLInputFactory f = XMLInputFactory.newFactory();
            f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            XMLStreamReader r = f.createXMLStreamReader(new StringReader(wrapped));
            Deque<Element> stack = new ArrayDeque<>();
            Deque<String> nsStack = new ArrayDeque<>();
            List<Element> top = new ArrayList<>();
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    String uri = r.getNamespaceURI() == null ? "" : r.getNamespaceURI();
                    if (r.getLocalName().equals("wrapper") && stack.isEmpty() && nsStack.isEmpty()) {
                        nsStack.push("jabber:client");
                        continue;
                    }
                    String parentNs = nsStack.peek();
                    String ns;
                    if (stack.isEmpty()) {
                        ns = XmlWriter.isStanzaNamespace(uri) ? null : uri;
                    } else {
                        ns = Objects.equals(uri, parentNs) ? null : uri;
                    }
                    Element e = new Element(StreamParser.canonicalName(r.getLocalName(), uri, stack.isEmpty()), ns);
                    for (int i = 0; i < r.getAttributeCount(); i++) {
                        String p = r.getAttributePrefix(i);
                        String an = p == null || p.isEmpty() ? r.getAttributeLocalName(i)
                                : p + ":" + r.getAttributeLocalName(i);
                        e.attr(an, r.getAttributeValue(i));
                    }
                    if (stack.isEmpty()) {
                        top.add(e);
                    } else {
                        stack.peek().add(e);
                    }
                    stack.push(e);
                    nsStack.push(uri);
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    if (!stack.isEmpty()) {
                        stack.pop();
                    }
                    nsStack.pop();
                } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
                    if (!stack.isEmpty()) {
                        stack.peek().addText(r.getText());
                    }
                }
            }
            return top;
        } catch (XMLStreamException ex) {
            throw new IllegalArgumentException("bad XML literal: " + xml, ex);
        }
    }

    /**
     * Structural equality: same name, namespace, attribute set, and children in order, where
     * white-space-only text nodes are ignored (they are layout in test literals). An expected
     * attribute value of {@code "*"} matches any present value (for generated ids and stamps).
     */
    public static boolean matches(Element expected, Element actual) {
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
        List<Object> ec = significant(expected);
        List<Object> ac = significant(actual);
        if (ec.size() != ac.size()) {
            return false;
        }
        for (int i = 0; i < ec.size(); i++) {
            Object e = ec.get(i);
            Object a = ac.get(i);
            if (e instanceof Element && a instanceof Element) {
                if (!matches((Element) e, (Element) a)) {
                    return false;
                }
            } else if (e instanceof String && a instanceof String) {
                if (!e.equals("*") && !e.equals(a)) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    private static List<Object> significant(Element e) {
        List<Object> out = new ArrayList<>();
        boolean hasElements = !e.elements().isEmpty();
        for (Object o : e.children()) {
            if (o instanceof String && hasElements && ((String) o).isBlank()) {
                continue;
            }
            out.add(o);
        }
        return out;
    }
}
