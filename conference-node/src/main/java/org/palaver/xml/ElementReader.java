package org.palaver.xml;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads single elements back from bytes or text with the node's own {@link StreamParser}, inside
 * a synthetic component stream, so an element read back has exactly the canonical form the parser
 * gave the stanza it was made from. Two uses: stanzas forwarded between cluster nodes (with the
 * inbound limits) and XML text kept in a room's movable state (written by us, so unbounded).
 *
 * <p>One reader serves a sequence of elements: one parser, one stream header, no set-up per
 * element. Input that is not exactly one well-formed element leaves the parser at an unknown place
 * in its stream, so the next read starts a fresh one. Not thread-safe.
 */
public final class ElementReader {
    private static final byte[] HEADER = ("<stream:stream xmlns='" + XmlWriter.NS_COMPONENT
            + "' xmlns:stream='" + XmlWriter.NS_STREAMS + "'>").getBytes(StandardCharsets.UTF_8);

    private final XmlLimits limits;
    private final Capture capture = new Capture();
    private StreamParser parser;

    public ElementReader(XmlLimits limits) {
        this.limits = limits;
    }

    /** A reader for text this node wrote itself from elements that had passed the inbound limits. */
    public static ElementReader unbounded() {
        return new ElementReader(XmlLimits.UNBOUNDED);
    }

    /** The one element in {@code bytes}, or {@code null} when they are not exactly one well-formed element. */
    public Element read(byte[] bytes) {
        return readOrWhyNot(bytes) == null ? capture.element : null;
    }

    /**
     * The one element {@code xml} holds; {@link IllegalArgumentException} naming the reason when it
     * is not exactly one complete, well-formed element.
     */
    public Element parse(String xml) {
        String whyNot = readOrWhyNot(xml.getBytes(StandardCharsets.UTF_8));
        if (whyNot != null) {
            throw new IllegalArgumentException("bad XML text (" + whyNot + "): " + abbreviate(xml));
        }
        return capture.element;
    }

    /** Feeds one element's bytes; null when they held exactly one element, else the reason. */
    private String readOrWhyNot(byte[] bytes) {
        if (parser == null) {
            parser = new StreamParser(limits, capture);
            parser.feed(HEADER, 0, HEADER.length);
        }
        capture.reset();
        parser.feed(bytes, 0, bytes.length);
        String whyNot = capture.error != null ? capture.error
                : capture.count == 0 ? "incomplete element"
                : capture.count > 1 ? capture.count + " elements where one was expected"
                : null;
        if (whyNot != null) {
            parser = null;
        }
        return whyNot;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    private static final class Capture implements StreamListener {
        Element element;
        int count;
        String error;

        void reset() {
            element = null;
            count = 0;
            error = null;
        }

        @Override
        public void onStreamOpen(Map<String, String> headerAttributes) {
        }

        @Override
        public void onStanza(Element e) {
            element = e;
            count++;
        }

        @Override
        public void onStreamClose() {
            error = "unexpected end of stream";
        }

        @Override
        public void onStreamError(StreamError e) {
            error = e.condition() + (e.text() == null ? "" : ": " + e.text());
        }
    }
}
