package org.palaver.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.xml.RecordingListener.HEADER;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 10, strict input: what jabberd2's expat refuses, the node refuses too. */
class StreamParserStrictTest {
    private static byte[] concat(String before, int[] raw, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        for (int b : raw) {
            out.write(b);
        }
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static RecordingListener feed(byte[] stream, int chunk) {
        RecordingListener rec = new RecordingListener();
        StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
        for (int off = 0; off < stream.length; off += chunk) {
            parser.feed(stream, off, Math.min(chunk, stream.length - off));
        }
        return rec;
    }

    @Test
    void overlongSurrogateAndOutOfRangeUtf8IsNotWellFormed() {
        int[][] bad = {{0xC0, 0xAF}, {0xE0, 0x80, 0xAF}, {0xC0, 0x80}, {0xF4, 0x90, 0x80, 0x80}, {0xED, 0xA0, 0x80},
            {0xC1, 0xBF}, {0xF8, 0x88, 0x80, 0x80, 0x80}, {0x80}, {0xE2, 0x82}, {0xF0, 0x8F, 0xBF, 0xBF}};
        for (int[] raw : bad) {
            for (int chunk : new int[] {1, 3, 4096}) {
                RecordingListener rec = feed(concat(HEADER + "<iq id='before'/><presence from='a@b/c' to='lounge@conference.localhost",
                        raw, "ovl'/><iq id='after'/>"), chunk);
                assertEquals(StreamError.NOT_WELL_FORMED, rec.error == null ? null : rec.error.condition(),
                        "refused: " + java.util.Arrays.toString(raw) + " in reads of " + chunk);
                assertTrue(rec.error.text().startsWith("invalid UTF-8"), rec.error.text());
                assertEquals(1, rec.stanzas.size(), "the stanza before is delivered, nothing from the bad one on");
            }
        }
    }

    @Test
    void theLargestValidSequencesAreAccepted() {
        RecordingListener rec = feed(concat(HEADER + "<message><body>", new int[] {0xC2, 0x80, 0xDF, 0xBF, 0xE0, 0xA0, 0x80,
            0xED, 0x9F, 0xBF, 0xEE, 0x80, 0x80, 0xF0, 0x90, 0x80, 0x80, 0xF4, 0x8F, 0xBF, 0xBD}, "</body></message>"), 1);
        assertNull(rec.error);
        assertEquals("\u0080\u07FF\u0800\uD7FF\uE000\uD800\uDC00\uDBFF\uDFFD", rec.stanzas.get(0).childText("body"));
    }

    @Test
    void aSecondStreamHeaderIsAStreamError() {
        RecordingListener rec = RecordingListener.parse(HEADER + "<iq id='1'/>" + HEADER + "<iq id='2'/>");
        assertEquals(StreamError.BAD_FORMAT, rec.error.condition());
        assertEquals("a second stream header", rec.error.text());
        assertEquals(1, rec.stanzas.size());
    }

    @Test
    void anUnclosedStanzaIsAStreamErrorNotAContainerForTheNextOnes() {
        RecordingListener rec = RecordingListener.parse(HEADER + "<message id='open'><body>x</body>"
                + "<presence id='swallowed'/><iq id='swallowed'/>");
        assertEquals(StreamError.BAD_FORMAT, rec.error.condition());
        assertEquals("<presence> inside <message>: a stanza was left unclosed", rec.error.text());
        assertEquals(List.of("open", "error"), rec.calls);
    }

    /** Issue 10: a header inside an unclosed stanza made everything after it the stanza's content. */
    @Test
    void aStreamHeaderInsideAnUnclosedStanzaIsAStreamError() {
        RecordingListener rec = RecordingListener.parse(HEADER + "<iq id='1'/><message id='open'>" + HEADER
                + "<iq id='swallowed'/>");
        assertEquals(StreamError.BAD_FORMAT, rec.error.condition());
        assertEquals("a second stream header inside <message>: a stanza was left unclosed", rec.error.text());
        assertEquals(List.of("open", "stanza", "error"), rec.calls);
    }

    /** Any unclosed top-level element in the stream's namespace, not only a stanza, would swallow the next stanzas. */
    @Test
    void anUnclosedNonStanzaElementIsAStreamErrorToo() {
        RecordingListener rec = RecordingListener.parse(HEADER + "<handshake>x<message id='swallowed'/>");
        assertEquals(StreamError.BAD_FORMAT, rec.error.condition());
        assertEquals("<message> inside <handshake>: a stanza was left unclosed", rec.error.text());
        assertEquals(List.of("open", "error"), rec.calls);
    }

    @Test
    void aStanzaNamedElementInAPayloadNamespaceIsContent() {
        RecordingListener rec = RecordingListener.parse(HEADER + "<message><forwarded xmlns='urn:xmpp:forward:0'>"
                + "<message xmlns='jabber:client'><body>x</body></message></forwarded><iq xmlns='urn:x'/></message>");
        assertNull(rec.error);
        assertEquals(1, rec.stanzas.size());
    }

    /** Found by the fuzzer: Aalto refuses this with a plain RuntimeException; it is bad input, not our failure. */
    @Test
    void anElementWithTheXmlnsPrefixIsNotWellFormed() {
        RecordingListener rec = RecordingListener.parse(HEADER + "<message><xmlns:x/></message>");
        assertEquals(StreamError.NOT_WELL_FORMED, rec.error.condition());
    }
}
