package org.palaver.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.palaver.xml.Element;
import org.palaver.xml.StreamParser;
import org.palaver.xml.XmlWriter;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The router's view of what the node writes: a strict, namespace-aware XML parser (the JDK's, an
 * implementation independent of the node's Aalto) reads one written stanza inside a component
 * stream header and refuses anything that is not namespace-well-formed XML 1.0 (unbound prefixes,
 * duplicate attributes, illegal characters, ...), as jabberd2's expat does. Gives the stanza back
 * in the canonical {@link Element} form, for assertions. Not thread-safe.
 */
public final class StrictXml {
    private static final byte[] OPEN = ("<stream:stream xmlns='" + XmlWriter.NS_COMPONENT + "' xmlns:stream='"
            + XmlWriter.NS_STREAMS + "'>").getBytes(StandardCharsets.UTF_8);
    private static final byte[] CLOSE = "</stream:stream>".getBytes(StandardCharsets.UTF_8);

    private final SAXParser parser;
    private final Builder builder = new Builder();

    public StrictXml() {
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            parser = f.newSAXParser();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one stanza in {@code bytes}; {@link AssertionError} naming the problem when they are not well-formed. */
    public Element stanza(byte[] bytes) {
        builder.reset();
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(OPEN),
                new SequenceInputStream(new ByteArrayInputStream(bytes), new ByteArrayInputStream(CLOSE)));
        try {
            parser.reset();
            parser.parse(new InputSource(in), builder);
        } catch (SAXParseException e) {
            throw new AssertionError("not well-formed output (" + e.getMessage() + "): "
                    + new String(bytes, StandardCharsets.UTF_8), e);
        } catch (SAXException | IOException e) {
            throw new AssertionError("unreadable output: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
        if (builder.count != 1) {
            throw new AssertionError(builder.count + " elements where one stanza was expected: "
                    + new String(bytes, StandardCharsets.UTF_8));
        }
        return builder.top;
    }

    /** Builds the canonical form, as the node's parser would (depth 1 = the stanza). */
    private static final class Builder extends DefaultHandler {
        private final Deque<Element> open = new ArrayDeque<>();
        private final Deque<String> uris = new ArrayDeque<>();
        private int depth;
        Element top;
        int count;

        void reset() {
            open.clear();
            uris.clear();
            depth = 0;
            top = null;
            count = 0;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) {
            depth++;
            if (depth == 1) {
                return; // the stream header
            }
            String ns = depth == 2 ? (XmlWriter.isStanzaNamespace(uri) ? null : uri)
                    : Objects.equals(uri, uris.peek()) ? null : uri;
            Element e = new Element(StreamParser.canonicalName(localName, uri, depth == 2), ns);
            for (int i = 0; i < atts.getLength(); i++) {
                String q = atts.getQName(i);
                if (!q.equals("xmlns") && !q.startsWith("xmlns:")) {
                    e.attr(q, atts.getValue(i));
                }
            }
            if (depth == 2) {
                top = e;
                count++;
            } else {
                open.peek().add(e);
            }
            open.push(e);
            uris.push(uri);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            if (depth-- > 1) {
                open.pop();
                uris.pop();
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (depth > 1) {
                open.peek().addText(new String(ch, start, length));
            }
        }
    }
}
