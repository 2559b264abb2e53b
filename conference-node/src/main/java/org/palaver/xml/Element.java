package org.palaver.xml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A compact XML element: the stanza model shared by the stream layer and the protocol core.
 *
 * <p>Attributes are kept as a flat array of name/value pairs (stanzas carry few attributes, so a
 * linear scan beats a map and allocates less). Children are {@link Element}s or {@link String}
 * text nodes, in document order, so mixed content survives a relay unchanged.
 *
 * <p>{@code namespace} is the element's namespace URI; {@code null} means "the namespace of the
 * parent" (for a top-level stanza: the stream's default namespace). Parsed element names are
 * canonical: the local name, whatever prefix the sender used ({@link StreamParser#canonicalName};
 * only top-level {@code stream:*} and {@code xml:*} keep a prefix). Prefixed attribute names keep
 * their qualified form ({@code xml:lang}); namespace declarations are not attributes, except that
 * the stream parser keeps {@code xmlns:p} on an element carrying a {@code p:}-prefixed attribute
 * (other than {@code xml:}) so that the element can be relayed as is.
 *
 * <p>Elements are mutable while being built or edited by their owner; the core never mutates an
 * element it did not create (it copies with {@link #shallowCopy()} before changing attributes).
 */
public final class Element {
    private static final String[] NO_ATTRS = new String[0];

    private final String name;
    private final String namespace;
    private String[] attrs;
    private int attrCount;
    private List<Object> children;

    public Element(String name) {
        this(name, null);
    }

    public Element(String name, String namespace) {
        this.name = Objects.requireNonNull(name, "name");
        this.namespace = namespace;
        this.attrs = NO_ATTRS;
    }

    public String name() {
        return name;
    }

    /** The namespace URI, or {@code null} when inherited from the parent. */
    public String namespace() {
        return namespace;
    }

    // ---- attributes -------------------------------------------------------------------------

    public String attr(String attrName) {
        for (int i = 0; i < attrCount; i++) {
            if (attrs[2 * i].equals(attrName)) {
                return attrs[2 * i + 1];
            }
        }
        return null;
    }

    /** Sets (or, with a {@code null} value, removes) an attribute; keeps the original position. */
    public Element attr(String attrName, String value) {
        for (int i = 0; i < attrCount; i++) {
            if (attrs[2 * i].equals(attrName)) {
                if (value == null) {
                    removeAttrAt(i);
                } else {
                    attrs[2 * i + 1] = value;
                }
                return this;
            }
        }
        if (value != null) {
            if (2 * attrCount == attrs.length) {
                attrs = Arrays.copyOf(attrs, Math.max(8, attrs.length * 2));
            }
            attrs[2 * attrCount] = attrName;
            attrs[2 * attrCount + 1] = value;
            attrCount++;
        }
        return this;
    }

    private void removeAttrAt(int i) {
        System.arraycopy(attrs, 2 * i + 2, attrs, 2 * i, 2 * (attrCount - i - 1));
        attrCount--;
        attrs[2 * attrCount] = null;
        attrs[2 * attrCount + 1] = null;
    }

    public int attrCount() {
        return attrCount;
    }

    public String attrName(int index) {
        return attrs[2 * index];
    }

    public String attrValue(int index) {
        return attrs[2 * index + 1];
    }

    // ---- children ---------------------------------------------------------------------------

    /** Children in document order: {@link Element} or {@link String}. Read-only view. */
    public List<Object> children() {
        return children == null ? Collections.emptyList() : Collections.unmodifiableList(children);
    }

    public Element add(Element child) {
        mutableChildren().add(Objects.requireNonNull(child));
        return this;
    }

    public Element addText(String text) {
        if (text != null && !text.isEmpty()) {
            List<Object> c = mutableChildren();
            int last = c.size() - 1;
            if (last >= 0 && c.get(last) instanceof String) {
                c.set(last, c.get(last) + text); // keep adjacent text as one node
            } else {
                c.add(text);
            }
        }
        return this;
    }

    /** Creates, appends and returns a child element. */
    public Element addChild(String childName, String childNamespace) {
        Element child = new Element(childName, childNamespace);
        add(child);
        return child;
    }

    /** Appends a child element holding only text; returns this element. */
    public Element addTextChild(String childName, String text) {
        Element child = new Element(childName);
        child.addText(text);
        return add(child);
    }

    public boolean removeChild(Element child) {
        return children != null && children.remove(child);
    }

    private List<Object> mutableChildren() {
        if (children == null) {
            children = new ArrayList<>(2);
        }
        return children;
    }

    /** Child elements only, in order. */
    public List<Element> elements() {
        if (children == null) {
            return Collections.emptyList();
        }
        List<Element> out = new ArrayList<>(children.size());
        for (Object o : children) {
            if (o instanceof Element) {
                out.add((Element) o);
            }
        }
        return out;
    }

    /** First child element, or {@code null}. */
    public Element firstElement() {
        if (children != null) {
            for (Object o : children) {
                if (o instanceof Element) {
                    return (Element) o;
                }
            }
        }
        return null;
    }

    /** First child element with this local name (any namespace), or {@code null}. */
    public Element child(String childName) {
        if (children != null) {
            for (Object o : children) {
                if (o instanceof Element && ((Element) o).name.equals(childName)) {
                    return (Element) o;
                }
            }
        }
        return null;
    }

    /**
     * First child element with this name in this namespace, or {@code null}. A child whose
     * namespace is inherited ({@code null}) matches when this element's namespace equals {@code ns}.
     */
    public Element child(String childName, String ns) {
        if (children != null) {
            for (Object o : children) {
                if (o instanceof Element) {
                    Element e = (Element) o;
                    if (e.name.equals(childName) && Objects.equals(e.effectiveNamespace(namespace), ns)) {
                        return e;
                    }
                }
            }
        }
        return null;
    }

    /** First child element in this namespace (any name), or {@code null}. */
    public Element childNs(String ns) {
        if (children != null) {
            for (Object o : children) {
                if (o instanceof Element) {
                    Element e = (Element) o;
                    if (Objects.equals(e.effectiveNamespace(namespace), ns)) {
                        return e;
                    }
                }
            }
        }
        return null;
    }

    /** This element's namespace, or the given parent namespace when inherited. */
    public String effectiveNamespace(String parentNamespace) {
        return namespace != null ? namespace : parentNamespace;
    }

    /** Concatenated direct text children ("" when none). */
    public String text() {
        if (children == null) {
            return "";
        }
        String only = null;
        StringBuilder sb = null;
        for (Object o : children) {
            if (o instanceof String) {
                if (only == null) {
                    only = (String) o;
                } else {
                    if (sb == null) {
                        sb = new StringBuilder(only);
                    }
                    sb.append((String) o);
                }
            }
        }
        return sb != null ? sb.toString() : only != null ? only : "";
    }

    /** Text of the first child with this name, or {@code null} when there is no such child. */
    public String childText(String childName) {
        Element c = child(childName);
        return c == null ? null : c.text();
    }

    // ---- copies -----------------------------------------------------------------------------

    /** Same name, namespace and attributes; the children list is copied, child nodes are shared. */
    public Element shallowCopy() {
        Element e = new Element(name, namespace);
        e.attrs = attrCount == 0 ? NO_ATTRS : Arrays.copyOf(attrs, attrs.length);
        e.attrCount = attrCount;
        if (children != null) {
            e.children = new ArrayList<>(children);
        }
        return e;
    }

    /** A fully independent copy. */
    public Element deepCopy() {
        Element e = new Element(name, namespace);
        e.attrs = attrCount == 0 ? NO_ATTRS : Arrays.copyOf(attrs, attrs.length);
        e.attrCount = attrCount;
        if (children != null) {
            e.children = new ArrayList<>(children.size());
            for (Object o : children) {
                e.children.add(o instanceof Element ? ((Element) o).deepCopy() : o);
            }
        }
        return e;
    }

    // ---- equality (structural; used by tests) ------------------------------------------------

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Element)) {
            return false;
        }
        Element other = (Element) o;
        if (!name.equals(other.name) || !Objects.equals(namespace, other.namespace)
                || attrCount != other.attrCount || !children().equals(other.children())) {
            return false;
        }
        for (int i = 0; i < attrCount; i++) {
            if (!Objects.equals(attrValue(i), other.attr(attrName(i)))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, namespace, attrCount, children());
    }

    /** Serialized form, for logs and test messages. */
    @Override
    public String toString() {
        return XmlWriter.toXml(this);
    }
}
