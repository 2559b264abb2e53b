package org.palaver.xml;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads elements back from the text {@link XmlWriter#toXml} wrote, for state kept as XML text
 * (e.g. a room's cached presences and history when the room moves between nodes), never for the
 * wire. Uses the {@link StreamParser} inside a synthetic component stream, so an element read back
 * has exactly the canonical form the parser gave the stanza it was made from.
 *
 * <p>One reader serves a sequence of elements (one parser, one stream header); after a bad input
 * it refuses everything. Not thread-safe.
 */
public final class XmlReader {
    private static final byte[] HEADER = ("<stream:stream xmlns='" + XmlWriter.NS_COMPONENT
            + "' xmlns:stream='" + XmlWriter.NS_STREAMS + "'>").getBytes(StandardCharsets.UTF_8);
    /** The text was written by us from elements that passed the inbound limits: only bound nothing. */
    private static final XmlLimits UNBOUNDED =
            new XmlLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    private final StreamParser parser;
    private Element read;
    private int count;
    private String error;

    public XmlReader() {
        parser = new StreamParser(UNBOUNDED, new StreamListener() {
            @Override
            public void onStreamOpen(Map<String, String> headerAttributes) {
            }

            @Override
            public void onStanza(Element stanza) {
                read = stanza;
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
        });
        parser.feed(HEADER, 0, HEADER.length);
    }

    /**
     * The one element {@code xml} holds; {@link IllegalArgumentException} when it is not exactly
     * one complete, well-formed element.
     */
    public Element read(String xml) {
        if (error == null) {
            read = null;
            count = 0;
            byte[] b = xml.getBytes(StandardCharsets.UTF_8);
            parser.feed(b, 0, b.length);
            if (error == null && count != 1) {
                error = count == 0 ? "incomplete element" : count + " elements where one was expected";
            }
        }
        if (error != null) {
            throw new IllegalArgumentException("bad XML text (" + error + "): " + abbreviate(xml));
        }
        return read;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
