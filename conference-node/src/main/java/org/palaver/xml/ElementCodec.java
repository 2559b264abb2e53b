package org.palaver.xml;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The parsed form of an element: its {@link Element} tree written out field by field, so that a
 * node can hand a stanza it has parsed to another node, which reads it back without parsing XML
 * again (no tokenizer, no UTF-8 validation, no namespace resolution, no escaping either way). The
 * element read back {@link Element#equals equals} the one written: the canonical form the stream
 * parser gave it, as {@link ElementReader} would give it from the stanza's XML.
 *
 * <p>Format version {@value #VERSION} (golden file {@code element-form-v1.bin}): one version byte,
 * then the element. An element: its name, its namespace (a varint of its UTF-8 length + 1, then
 * the bytes; a single 0 for "inherited", i.e. {@code null}), the attribute count and that many name/value pairs, the child
 * count and that many children, each a kind byte ({@code 'E'} element, {@code 'T'} text) and the
 * element or the text. Counts and string lengths are unsigned LEB128 varints; strings are UTF-8.
 *
 * <p>Reading enforces the {@link XmlLimits} that bound inbound stanzas (depth, attributes; bytes:
 * twice the XML limit) and refuses anything malformed with an {@link IllegalArgumentException}
 * naming the reason. It does not re-check what the parser checked on the sending node (XML
 * characters, names): the form is written only by nodes of the cluster from parsed elements.
 */
public final class ElementCodec {
    public static final int VERSION = 1;
    private static final byte ELEMENT = 'E';
    private static final byte TEXT = 'T';

    private ElementCodec() {
    }

    // ---- writing -----------------------------------------------------------------------------

    /** The parsed form of {@code e}. */
    public static byte[] encode(Element e) {
        Sink out = SINK.get();
        out.size = 0;
        out.put(VERSION);
        write(e, out);
        byte[] bytes = Arrays.copyOf(out.bytes, out.size);
        if (out.bytes.length > KEEP_CAPACITY) {
            SINK.remove();
        }
        return bytes;
    }

    private static final int KEEP_CAPACITY = 64 * 1024;
    private static final ThreadLocal<Sink> SINK = ThreadLocal.withInitial(Sink::new);

    private static void write(Element e, Sink out) {
        out.string(e.name());
        if (e.namespace() == null) {
            out.put(0);
        } else {
            out.string(e.namespace(), 1);
        }
        int attrs = e.attrCount();
        out.varint(attrs);
        for (int i = 0; i < attrs; i++) {
            out.string(e.attrName(i));
            out.string(e.attrValue(i));
        }
        List<Object> children = e.children();
        out.varint(children.size());
        for (Object child : children) {
            if (child instanceof Element c) {
                out.put(ELEMENT);
                write(c, out);
            } else {
                out.put(TEXT);
                out.string((String) child);
            }
        }
    }

    private static final class Sink {
        byte[] bytes = new byte[512];
        int size;

        void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void put(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void varint(int v) {
            ensure(5);
            while ((v & ~0x7F) != 0) {
                bytes[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[size++] = (byte) v;
        }

        void string(String s) {
            string(s, 0);
        }

        /**
         * The string's UTF-8 length plus {@code bias}, then its bytes. {@link String#getBytes} is
         * the fast way here: for an ASCII string it is one vectorised check and an array copy,
         * where a loop over {@code charAt} showed as this codec's hottest frame in a profile.
         */
        void string(String s, int bias) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length + bias);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }
    }

    // ---- reading -----------------------------------------------------------------------------

    /**
     * The element in {@code bytes[from, to)}; {@link IllegalArgumentException} when they are not
     * exactly one element in the parsed form, or it exceeds {@code limits}.
     */
    public static Element decode(byte[] bytes, int from, int to, XmlLimits limits) {
        // the parsed form of a stanza within the byte limit is about as long as its XML, at most
        // twice (an empty element <x/> takes 2 bytes more than its XML)
        if (to - from > 2L * limits.maxStanzaBytes()) {
            throw new IllegalArgumentException("parsed stanza of " + (to - from) + " bytes exceeds twice "
                    + limits.maxStanzaBytes());
        }
        Source in = new Source(bytes, from, to, limits);
        try {
            int version = in.u8();
            if (version != VERSION) {
                throw new IllegalArgumentException("parsed element form version " + version + " is unknown");
            }
            Element e = in.element(1);
            if (in.pos != to) {
                throw new IllegalArgumentException((to - in.pos) + " bytes after the parsed element");
            }
            return e;
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated parsed element (" + (to - from) + " bytes)", e);
        }
    }

    /** {@link #decode(byte[], int, int, XmlLimits)} of a whole array. */
    public static Element decode(byte[] bytes, XmlLimits limits) {
        return decode(bytes, 0, bytes.length, limits);
    }

    private static final class Source {
        final byte[] b;
        final int end;
        final XmlLimits limits;
        int pos;

        Source(byte[] b, int from, int to, XmlLimits limits) {
            this.b = b;
            this.pos = from;
            this.end = to;
            this.limits = limits;
        }

        int u8() {
            if (pos >= end) {
                throw new ArrayIndexOutOfBoundsException(pos);
            }
            return b[pos++] & 0xFF;
        }

        int varint() {
            int v = 0;
            for (int shift = 0; shift < 32; shift += 7) {
                int x = u8();
                v |= (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    if (v < 0) {
                        break;
                    }
                    return v;
                }
            }
            throw new IllegalArgumentException("bad length at byte " + pos);
        }

        String string() {
            return string(varint());
        }

        String string(int n) {
            if (n > end - pos) {
                throw new ArrayIndexOutOfBoundsException(pos + n);
            }
            String s = KnownNames.find(b, pos, n);
            if (s == null) {
                s = new String(b, pos, n, StandardCharsets.UTF_8);
            }
            pos += n;
            return s;
        }

        Element element(int depth) {
            if (depth > limits.maxDepth()) {
                throw new IllegalArgumentException("parsed element nested deeper than " + limits.maxDepth());
            }
            String name = string();
            int nsLength = varint();
            String ns = nsLength == 0 ? null : string(nsLength - 1);
            Element e = new Element(name, ns);
            int attrs = varint();
            if (attrs > limits.maxAttributes()) {
                throw new IllegalArgumentException("more than " + limits.maxAttributes() + " attributes on <" + name + ">");
            }
            for (int i = 0; i < attrs; i++) {
                String attrName = string();
                e.attr(attrName, string());
            }
            int children = varint();
            if (children > end - pos) {
                throw new ArrayIndexOutOfBoundsException(pos + children);
            }
            for (int i = 0; i < children; i++) {
                int kind = u8();
                if (kind == ELEMENT) {
                    e.add(element(depth + 1));
                } else if (kind == TEXT) {
                    e.addText(string());
                } else {
                    throw new IllegalArgumentException("unknown child kind " + kind + " at byte " + (pos - 1));
                }
            }
            return e;
        }
    }
}
