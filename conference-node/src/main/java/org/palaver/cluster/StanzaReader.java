package org.palaver.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.palaver.xml.Element;
import org.palaver.xml.StreamError;
import org.palaver.xml.StreamListener;
import org.palaver.xml.StreamParser;
import org.palaver.xml.XmlLimits;

/**
 * Turns forwarded stanza bytes back into elements with the node's own stream parser (same limits,
 * same canonical form as stanzas read from the router). One long-lived parser reads all forwarded
 * stanzas of the node as one synthetic stream, so no reader is set up per stanza; input that does
 * not parse to exactly one stanza yields {@code null} and a fresh parser. Event loop only.
 */
final class StanzaReader {
    private static final byte[] HEADER = ("<stream:stream xmlns='jabber:component:accept'"
            + " xmlns:stream='http://etherx.jabber.org/streams'>").getBytes(StandardCharsets.US_ASCII);

    private final XmlLimits limits;
    private final Capture capture = new Capture();
    private StreamParser parser;

    StanzaReader(XmlLimits limits) {
        this.limits = limits;
    }

    /** The stanza in {@code bytes}, or {@code null} when they are not exactly one well-formed stanza. */
    Element read(byte[] bytes) {
        if (parser == null) {
            parser = new StreamParser(limits, capture);
            parser.feed(HEADER, 0, HEADER.length);
        }
        capture.reset();
        parser.feed(bytes, 0, bytes.length);
        if (capture.failed || capture.count != 1) {
            parser = null; // its position in the synthetic stream is unknown now
            return null;
        }
        return capture.stanza;
    }

    private static final class Capture implements StreamListener {
        Element stanza;
        int count;
        boolean failed;

        void reset() {
            stanza = null;
            count = 0;
            failed = false;
        }

        @Override
        public void onStreamOpen(Map<String, String> headerAttributes) {
        }

        @Override
        public void onStanza(Element e) {
            stanza = e;
            count++;
        }

        @Override
        public void onStreamClose() {
            failed = true;
        }

        @Override
        public void onStreamError(StreamError error) {
            failed = true;
        }
    }
}
