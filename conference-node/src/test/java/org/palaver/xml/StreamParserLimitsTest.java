package org.palaver.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.xml.RecordingListener.bytes;
import static org.palaver.xml.RecordingListener.parse;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamParserLimitsTest {
    /** Two declarations, no attributes, names no longer than 13 characters. */
    private static final String HEADER = "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
            + " xmlns='jabber:component:accept'>";

    private static XmlLimits limits(int bytes, int depth, int attrs, int nameLength) {
        return new XmlLimits(bytes, depth, attrs, nameLength);
    }

    /** A message of exactly {@code size} bytes, padded with a two-byte character where possible. */
    private static String messageOfBytes(int size) {
        String open = "<message><body>";
        String close = "</body></message>";
        int pad = size - open.length() - close.length();
        return open + "é".repeat(pad / 2) + "x".repeat(pad % 2) + close;
    }

    private static void assertPolicyViolation(RecordingListener rec) {
        assertEquals(StreamError.POLICY_VIOLATION, rec.condition());
        assertTrue(rec.stanzas.isEmpty(), "nothing delivered");
    }

    // ---- bytes ------------------------------------------------------------------------------

    @Test
    void stanzaAtTheByteLimitPassesAndOneByteMoreFails() {
        XmlLimits l = limits(200, 32, 64, 256);
        String atLimit = messageOfBytes(200);
        assertEquals(200, bytes(atLimit).length);
        RecordingListener ok = parse(l, HEADER + "\n" + atLimit + " " + atLimit);
        assertNull(ok.error);
        assertEquals(2, ok.stanzas.size());
        assertPolicyViolation(parse(l, HEADER + messageOfBytes(201)));
    }

    @Test
    void byteLimitIsExactAfterTheParserReplacedItsReader() {
        XmlLimits l = limits(40_000, 32, 64, 256);
        String large = messageOfBytes(StreamParser.LARGE_STANZA + 1000); // makes the parser start a fresh reader
        for (String sep : new String[] {"", " "}) {
            RecordingListener ok = parse(l, HEADER + large + sep + messageOfBytes(40_000) + large);
            assertNull(ok.error);
            assertEquals(3, ok.stanzas.size());
            RecordingListener over = parse(l, HEADER + large + sep + messageOfBytes(40_001));
            assertEquals(StreamError.POLICY_VIOLATION, over.condition());
            assertEquals(1, over.stanzas.size());
        }
    }

    @Test
    void byteLimitHoldsWhenFedOneByteAtATime() {
        XmlLimits l = limits(200, 32, 64, 256);
        for (int size : new int[] {200, 201}) {
            byte[] all = bytes(HEADER + messageOfBytes(size) + messageOfBytes(size));
            RecordingListener rec = new RecordingListener();
            StreamParser parser = new StreamParser(l, rec);
            for (int i = 0; i < all.length; i++) {
                parser.feed(all, i, 1);
            }
            if (size == 200) {
                assertNull(rec.error);
                assertEquals(2, rec.stanzas.size());
            } else {
                assertPolicyViolation(rec);
            }
        }
    }

    @Test
    void unterminatedStanzaTripsTheLimitWhileArriving() {
        int max = 10_000;
        RecordingListener rec = new RecordingListener();
        StreamParser parser = new StreamParser(limits(max, 32, 64, 256), rec);
        byte[] start = bytes(HEADER + "<message><body>");
        parser.feed(start, 0, start.length);
        byte[] chunk = bytes("a".repeat(1000));
        int fed = 0;
        while (rec.error == null && fed < 100 * chunk.length) {
            parser.feed(chunk, 0, chunk.length);
            fed += chunk.length;
        }
        assertPolicyViolation(rec);
        assertTrue(fed <= max + chunk.length, "tripped after " + fed + " bytes");
    }

    @Test
    void hugeSingleReadIsRefused() {
        RecordingListener rec = new RecordingListener();
        StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
        byte[] huge = bytes(HEADER + "<message><body>" + "a".repeat(4 * 1024 * 1024));
        parser.feed(huge, 0, huge.length);
        assertPolicyViolation(rec);
    }

    @Test
    void unterminatedStartTagBetweenStanzasTripsTheLimit() {
        RecordingListener rec = parse(limits(1000, 32, 64, 256), HEADER + "<presence/><message to='" + "a".repeat(2000));
        assertEquals(StreamError.POLICY_VIOLATION, rec.condition());
        assertEquals(1, rec.stanzas.size());
    }

    @Test
    void endlessCommentBetweenStanzasTripsTheLimit() {
        assertEquals(StreamError.POLICY_VIOLATION,
                parse(limits(1000, 32, 64, 256), HEADER + "<!--" + "-x".repeat(1000)).condition());
    }

    @Test
    void whitespaceKeepAlivesNeverAddUpToALimit() {
        RecordingListener rec = new RecordingListener();
        StreamParser parser = new StreamParser(limits(100, 32, 64, 256), rec);
        byte[] header = bytes(HEADER);
        parser.feed(header, 0, header.length);
        byte[] keepAlive = bytes(" \n");
        byte[] stanza = bytes("<presence/>");
        for (int i = 0; i < 1000; i++) {
            parser.feed(keepAlive, 0, keepAlive.length);
            if (i % 100 == 0) {
                parser.feed(stanza, 0, stanza.length);
            }
        }
        assertNull(rec.error);
        assertEquals(10, rec.stanzas.size());
    }

    // ---- depth ------------------------------------------------------------------------------

    @Test
    void depthAtTheLimitPassesAndOneDeeperFails() {
        XmlLimits l = limits(10_000, 3, 64, 256);
        RecordingListener ok = parse(l, HEADER + "<message><a><b>t</b></a></message>");
        assertNull(ok.error);
        assertEquals(1, ok.stanzas.size());
        assertPolicyViolation(parse(l, HEADER + "<message><a><b><c/></b></a></message>"));
    }

    @Test
    void defaultDepthLimit() {
        int max = XmlLimits.defaults().maxDepth();
        assertNull(parse(HEADER + "<a>".repeat(max) + "</a>".repeat(max)).error);
        assertPolicyViolation(parse(HEADER + "<a>".repeat(max + 1) + "</a>".repeat(max + 1)));
    }

    // ---- attributes -------------------------------------------------------------------------

    @Test
    void attributesAtTheLimitPassAndOneMoreFails() {
        XmlLimits l = limits(10_000, 32, 3, 256);
        RecordingListener ok = parse(l, HEADER + "<message a='1' b='2' c='3'><x a='1' b='2' xmlns='u:x'/></message>");
        assertNull(ok.error);
        assertEquals(1, ok.stanzas.size());
        assertPolicyViolation(parse(l, HEADER + "<message a='1' b='2' c='3' d='4'/>"));
        assertPolicyViolation(parse(l, HEADER + "<message><x a='1' b='2' xmlns='u:x' xmlns:p='u:p'/></message>"));
    }

    @Test
    void theStreamHeaderIsBoundToo() {
        RecordingListener rec = parse(limits(10_000, 32, 3, 256), RecordingListener.HEADER);
        assertEquals(StreamError.POLICY_VIOLATION, rec.condition());
        assertEquals(List.of("error"), rec.calls);
    }

    // ---- names ------------------------------------------------------------------------------

    @Test
    void namesAtTheLimitPassAndOneLongerFails() {
        XmlLimits l = limits(10_000, 32, 64, 16);
        String name16 = "n".repeat(16);
        String name17 = "n".repeat(17);
        RecordingListener ok = parse(l, HEADER + "<" + name16 + " " + name16 + "='v' xml:lang='en'"
                + " xmlns:p='u:p' p:" + "a".repeat(14) + "='w'/>");
        assertNull(ok.error);
        assertEquals(1, ok.stanzas.size());
        assertPolicyViolation(parse(l, HEADER + "<" + name17 + "/>"));
        assertPolicyViolation(parse(l, HEADER + "<message " + name17 + "='v'/>"));
        assertPolicyViolation(parse(l, HEADER + "<message xmlns:p='u:p' p:" + "a".repeat(15) + "='v'/>"));
        assertPolicyViolation(parse(l, HEADER + "<message><p:" + "a".repeat(15) + " xmlns:p='u:p'/></message>"));
        assertPolicyViolation(parse(l, HEADER + "<message xmlns:" + "p".repeat(11) + "='u:p'/>"));
    }
}
