package org.palaver.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.xml.RecordingListener.HEADER;
import static org.palaver.xml.RecordingListener.bytes;
import static org.palaver.xml.RecordingListener.parse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.TestXml;

class StreamParserTest {
    /** Several stanzas with multi-byte text (2, 3 and 4 byte UTF-8), entities, CDATA and comments. */
    private static final String STANZAS = ""
            + "<message to='lounge@conference.example.org' from='alice@example.org/home' type='groupchat'"
            + " xml:lang='de'><body>Grüße — 日本語 🎉 &amp; &lt;tags&gt; &#169;</body>"
            + "<x xmlns='jabber:x:event'><composing/></x></message>\n"
            + "<presence from='bob@example.org/Work' to='lounge@conference.example.org/Bob'><status>a<!-- c -->b"
            + "<![CDATA[<not a tag> & ]]>c</status></presence>"
            + "<iq type='get' id='q1' from='example.org' to='conference.example.org'>"
            + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>";

    private static final String STREAM = HEADER + STANZAS + "</stream:stream>";

    @Test
    void readsHeaderStanzasAndClose() {
        RecordingListener rec = parse(STREAM);
        assertNull(rec.error);
        assertEquals(Map.of("xmlns", "jabber:component:accept", "xmlns:stream", XmlWriter.NS_STREAMS,
                "from", "conference.example.org", "id", "3BF96D32"), rec.header);
        assertEquals(TestXml.parseAll(STANZAS), rec.stanzas);
        assertTrue(rec.closed);
        assertEquals(List.of("open", "stanza", "stanza", "stanza", "close"), rec.calls);
    }

    @Test
    void headerMayFollowAnXmlDeclaration() {
        RecordingListener rec = parse("<?xml version='1.0' encoding='UTF-8'?>\n" + HEADER + "<handshake/>");
        assertNull(rec.error);
        assertEquals("3BF96D32", rec.header.get("id"));
        assertEquals(List.of(new Element("handshake")), rec.stanzas);
    }

    @Test
    void headerAttributesKeepQualifiedNames() {
        RecordingListener rec = parse("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns='jabber:client' version='1.0' xml:lang='en' to='example.org'>");
        assertEquals(Map.of("xmlns:stream", XmlWriter.NS_STREAMS, "xmlns", "jabber:client", "version", "1.0",
                "xml:lang", "en", "to", "example.org"), rec.header);
    }

    @Test
    void splitAtEveryBytePositionGivesTheSameStanzas() {
        byte[] all = bytes(STREAM);
        List<Element> expected = TestXml.parseAll(STANZAS);
        for (int cut = 0; cut <= all.length; cut++) {
            RecordingListener rec = new RecordingListener();
            StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
            parser.feed(all, 0, cut);
            parser.feed(all, cut, all.length - cut);
            assertNull(rec.error, "cut at " + cut);
            assertEquals(expected, rec.stanzas, "cut at " + cut);
            assertTrue(rec.closed, "cut at " + cut);
        }
    }

    @Test
    void oneByteAtATimeGivesTheSameStanzas() {
        byte[] all = bytes(STREAM);
        RecordingListener rec = new RecordingListener();
        StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
        for (int i = 0; i < all.length; i++) {
            parser.feed(all, i, 1);
        }
        assertNull(rec.error);
        assertEquals(TestXml.parseAll(STANZAS), rec.stanzas);
        assertTrue(rec.closed);
    }

    @Test
    void stanzaIsDeliveredAsSoonAsItsEndTagArrives() {
        RecordingListener rec = new RecordingListener();
        StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
        byte[] first = bytes(HEADER + "<message><body>hi</body></message>");
        parser.feed(first, 0, first.length);
        assertEquals(1, rec.stanzas.size());
    }

    @Test
    void manyStanzasInOneRead() {
        StringBuilder sb = new StringBuilder(HEADER);
        int count = 5000; // well over one internal slice
        for (int i = 0; i < count; i++) {
            sb.append("<message to='r@c.example.org' id='m").append(i).append("'><body>n° ").append(i)
                    .append("</body></message>");
        }
        RecordingListener rec = parse(sb.toString());
        assertNull(rec.error);
        assertEquals(count, rec.stanzas.size());
        for (int i = 0; i < count; i++) {
            assertEquals("m" + i, rec.stanzas.get(i).attr("id"));
            assertEquals("n° " + i, rec.stanzas.get(i).childText("body"));
        }
    }

    @Test
    void feedsNettyBuffersHeapAndDirectWithoutConsumingThem() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append("<presence from='u").append(i).append("@example.org/r'/>");
        }
        RecordingListener rec = new RecordingListener();
        StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
        parser.feed(Unpooled.copiedBuffer(HEADER, StandardCharsets.UTF_8));
        ByteBuf direct = Unpooled.directBuffer().writeBytes("ignored".getBytes(StandardCharsets.UTF_8))
                .writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8)); // larger than one scratch slice
        direct.readerIndex("ignored".length());
        int readable = direct.readableBytes();
        parser.feed(direct);
        assertEquals(readable, direct.readableBytes(), "the buffer is left as it was");
        ByteBuf heap = Unpooled.copiedBuffer("xx</stream:stream>", StandardCharsets.UTF_8).readerIndex(2);
        parser.feed(heap);
        assertNull(rec.error);
        assertEquals(2000, rec.stanzas.size());
        assertEquals("u1999@example.org/r", rec.stanzas.get(1999).attr("from"));
        assertTrue(rec.closed);
    }

    // ---- canonical namespaces ---------------------------------------------------------------

    @Test
    void stanzaNamespacesBecomeNullAndOthersAreRecordedWhereTheyChange() {
        RecordingListener rec = parse(HEADER
                + "<message xmlns='jabber:client' to='r@c' xml:lang='en'>"
                + "<body>x</body>"
                + "<html xmlns='http://jabber.org/protocol/xhtml-im'>"
                + "<body xmlns='http://www.w3.org/1999/xhtml'><p>hi</p></body></html>"
                + "<x xmlns='jabber:x:conference' jid='r@c'/>"
                + "</message>"
                + "<presence/>");
        assertNull(rec.error);
        Element message = rec.stanzas.get(0);
        assertNull(message.namespace());
        assertEquals("en", message.attr("xml:lang"));
        assertEquals(1, message.attrCount() - 1, "only to and xml:lang");
        assertNull(message.child("body").namespace());
        Element html = message.child("html");
        assertEquals("http://jabber.org/protocol/xhtml-im", html.namespace());
        Element xhtmlBody = html.child("body");
        assertEquals("http://www.w3.org/1999/xhtml", xhtmlBody.namespace());
        assertNull(xhtmlBody.child("p").namespace(), "inherits the xhtml namespace");
        assertEquals("jabber:x:conference", message.child("x").namespace());
        assertNull(rec.stanzas.get(1).namespace(), "component namespace by default");
    }

    @Test
    void canonicalFormMatchesTheTestKit() {
        String stanzas = "<iq xmlns='jabber:client' type='set'><query xmlns='jabber:iq:conference'>"
                + "<nick>al</nick><x xmlns='jabber:x:data'><field var='a'/></x></query></iq>"
                + "<message xmlns='jabber:component:accept'><body xml:lang='fr'>b</body></message>";
        assertEquals(TestXml.parseAll(stanzas), parse(HEADER + stanzas).stanzas);
    }

    @Test
    void streamLevelElementsKeepTheStreamsNamespace() {
        RecordingListener rec = parse(HEADER
                + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>"
                + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>requested name is aliased</text>"
                + "</stream:error></stream:stream>");
        assertNull(rec.error);
        Element features = rec.stanzas.get(0);
        assertEquals("stream:features", features.name());
        assertEquals(XmlWriter.NS_STREAMS, features.namespace());
        assertEquals("urn:ietf:params:xml:ns:xmpp-bind", features.firstElement().namespace());
        Element error = rec.stanzas.get(1);
        assertEquals("stream:error", error.name());
        assertEquals(XmlWriter.NS_STREAMS, error.namespace());
        assertEquals(StreamError.NAMESPACE, error.child("host-unknown").namespace());
        assertEquals(new StreamError(StreamError.HOST_UNKNOWN, "requested name is aliased"),
                StreamError.fromElement(error));
        assertTrue(rec.closed);
    }

    @Test
    void handshakeArrivesAsAnElement() {
        RecordingListener rec = parse(HEADER + "<handshake>f044683ec81db6a263dfccf5ca2d11d08a80c78c</handshake>"
                + "<handshake xmlns='jabber:component:accept'/>");
        assertEquals(List.of(new Element("handshake").addText("f044683ec81db6a263dfccf5ca2d11d08a80c78c"),
                new Element("handshake")), rec.stanzas);
    }

    @Test
    void prefixedAttributesKeepTheirBinding() {
        RecordingListener rec = parse(HEADER + "<message xmlns:ext='urn:example:ext' ext:flag='1'/>");
        Element message = rec.stanzas.get(0);
        assertEquals("1", message.attr("ext:flag"));
        assertEquals("urn:example:ext", message.attr("xmlns:ext"));
        assertEquals(message, parse(HEADER + XmlWriter.toXml(message)).stanzas.get(0));
    }

    // ---- text -------------------------------------------------------------------------------

    @Test
    void characterDataAndCdataBecomeOneTextNode() {
        Element body = parse(HEADER + "<message><body>a<![CDATA[<b> & ]]>c&amp;d<!-- gone -->e</body></message>")
                .stanzas.get(0).child("body");
        assertEquals(List.of("a<b> & c&de"), body.children());
    }

    @Test
    void mixedContentKeepsItsOrder() {
        Element p = parse(HEADER + "<message><p>one<b>two</b>three</p></message>").stanzas.get(0).child("p");
        assertEquals(List.of("one", new Element("b").addText("two"), "three"), p.children());
    }

    @Test
    void whitespaceBetweenStanzasIsIgnored() {
        RecordingListener rec = parse(HEADER + " \n\t<presence/>\r\n  <presence/> ");
        assertNull(rec.error);
        assertEquals(2, rec.stanzas.size());
    }

    @Test
    void commentsAreIgnoredEverywhere() {
        RecordingListener rec = parse("<!-- prolog -->" + HEADER + "<!-- between --><presence><!-- in --></presence>");
        assertNull(rec.error);
        assertEquals(List.of(new Element("presence")), rec.stanzas);
    }

    @Test
    void textOutsideStanzasIsBadFormat() {
        assertEquals(StreamError.BAD_FORMAT, parse(HEADER + "hello<presence/>").condition());
        assertEquals(StreamError.BAD_FORMAT, parse(HEADER + "<presence/>\u2003<presence/>").condition());
    }

    // ---- refused input ----------------------------------------------------------------------

    @Test
    void doctypeIsRestricted() {
        assertEquals(StreamError.RESTRICTED_XML, parse("<!DOCTYPE stream>" + HEADER).condition());
        assertEquals(StreamError.RESTRICTED_XML,
                parse("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'boom'>]>" + HEADER + "<m>&e;</m>").condition());
        assertEquals(StreamError.RESTRICTED_XML, parse("<!DOCTYPE x SYSTEM 'http://example.org/x.dtd'>").condition());
    }

    @Test
    void doctypeSplitAcrossReadsIsStillRestricted() {
        byte[] b = bytes("<!DOCTYPE x [<!ENTITY e 'boom'>]>" + HEADER);
        for (int cut = 1; cut < 12; cut++) {
            RecordingListener rec = new RecordingListener();
            StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
            parser.feed(b, 0, cut);
            parser.feed(b, cut, b.length - cut);
            assertEquals(StreamError.RESTRICTED_XML, rec.condition(), "cut at " + cut);
        }
    }

    @Test
    void undeclaredEntitiesAreRestricted() {
        RecordingListener rec = parse(HEADER + "<message><body>&nbsp;</body></message>");
        assertEquals(StreamError.RESTRICTED_XML, rec.condition());
        assertTrue(rec.error.text().contains("nbsp"));
        assertTrue(rec.stanzas.isEmpty());
        // in an attribute value Aalto reports it as malformed (an undeclared entity is a WFC error)
        RecordingListener inAttr = parse(HEADER + "<message to='&bogus;'/>");
        assertEquals(StreamError.NOT_WELL_FORMED, inAttr.condition());
        assertTrue(inAttr.stanzas.isEmpty());
        String longName = "e".repeat(5000);
        assertTrue(parse(HEADER + "<m>&" + longName + ";</m>").error.text().length() < 200, "quoted text is bounded");
    }

    @Test
    void processingInstructionsAreRestricted() {
        assertEquals(StreamError.RESTRICTED_XML, parse(HEADER + "<message><?php echo 1; ?></message>").condition());
        assertEquals(StreamError.RESTRICTED_XML, parse("<?xml version='1.0'?><?style x?>" + HEADER).condition());
        assertEquals(StreamError.RESTRICTED_XML, parse(HEADER + "<?pi?><presence/>").condition());
    }

    @Test
    void malformedInputIsNotWellFormed() {
        for (String bad : List.of(
                HEADER + "<message></body> ",
                HEADER + "<message><p:x/></message>",
                HEADER + "<message a='1' a='2'/>",
                HEADER + "<message>&#1;</message>",
                HEADER + "<message><body>\u0001</body></message>",
                HEADER + "<message to='a<b'/>",
                HEADER + "<<presence/>",
                "not xml at all")) {
            RecordingListener rec = parse(bad);
            assertEquals(StreamError.NOT_WELL_FORMED, rec.condition(), bad);
            assertTrue(rec.stanzas.isEmpty(), bad);
        }
    }

    @Test
    void invalidUtf8IsNotWellFormed() {
        byte[] head = bytes(HEADER + "<message><body>");
        byte[] bad = {(byte) 0xC3, (byte) 0x28}; // lead byte followed by ASCII
        RecordingListener rec = new RecordingListener();
        StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
        parser.feed(head, 0, head.length);
        parser.feed(bad, 0, bad.length);
        byte[] tail = bytes("</body></message>");
        parser.feed(tail, 0, tail.length);
        assertEquals(StreamError.NOT_WELL_FORMED, rec.condition());
    }

    @Test
    void streamHeaderMustBeAStreamInTheStreamsNamespace() {
        assertEquals(StreamError.INVALID_NAMESPACE,
                parse("<stream:stream xmlns:stream='urn:wrong' xmlns='jabber:component:accept'>").condition());
        assertEquals(StreamError.INVALID_NAMESPACE, parse("<message xmlns='jabber:client'/>").condition());
        assertEquals(StreamError.BAD_FORMAT,
                parse("<stream:flow xmlns:stream='http://etherx.jabber.org/streams'>").condition());
    }

    @Test
    void onlyUtf8IsAccepted() {
        assertEquals(StreamError.UNSUPPORTED_ENCODING,
                parse("<?xml version='1.0' encoding='ISO-8859-1'?>" + HEADER).condition());
        assertNull(parse("<?xml version='1.0' encoding='utf-8'?>" + HEADER).error);
    }

    // ---- after the end ----------------------------------------------------------------------

    @Test
    void nothingIsDeliveredAfterAnError() {
        RecordingListener rec = new RecordingListener();
        StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
        byte[] b = bytes(HEADER + "<presence/><message>&bogus;</message><presence/>");
        parser.feed(b, 0, b.length);
        byte[] more = bytes("<presence/></stream:stream>");
        parser.feed(more, 0, more.length);
        parser.feed(Unpooled.copiedBuffer("<presence/>", StandardCharsets.UTF_8));
        assertEquals(List.of("open", "stanza", "error"), rec.calls);
    }

    @Test
    void inputAfterTheClosingTagIsIgnored() {
        RecordingListener rec = parse(HEADER + "<presence/></stream:stream><presence/>garbage<");
        assertEquals(List.of("open", "stanza", "close"), rec.calls);
    }

    @Test
    void aFailingListenerEndsTheStreamWithInternalServerError() {
        RecordingListener rec = new RecordingListener() {
            @Override
            public void onStanza(Element stanza) {
                super.onStanza(stanza);
                if (stanza.name().equals("boom")) {
                    throw new IllegalStateException("handler bug");
                }
            }
        };
        StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
        byte[] b = bytes(HEADER + "<presence/><boom/><presence/>");
        parser.feed(b, 0, b.length);
        assertEquals(StreamError.INTERNAL_SERVER_ERROR, rec.condition());
        assertEquals(List.of("open", "stanza", "stanza", "error"), rec.calls);
    }

    // ---- reader replacement -----------------------------------------------------------------

    @Test
    void manyDistinctNamesDoNotDisturbTheStream() {
        // distinct element and attribute names force the parser to replace its reader several
        // times, also in the middle of a read; the header's declarations must survive that
        String header = "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:db='jabber:server:dialback'>";
        int count = 3 * StreamParser.NAME_BUDGET / 4;
        StringBuilder sb = new StringBuilder(header);
        for (int i = 0; i < count; i++) {
            sb.append("<message id='").append(i).append("'><x").append(i).append(" a").append(i)
                    .append("='v'/><db:result/></message>");
        }
        byte[] all = bytes(sb.append("</stream:stream>").toString());
        RecordingListener rec = new RecordingListener();
        StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
        for (int off = 0; off < all.length; off += 7919) { // odd read size: boundaries fall anywhere
            parser.feed(all, off, Math.min(7919, all.length - off));
        }
        assertNull(rec.error);
        assertEquals(count, rec.stanzas.size());
        for (int i = 0; i < count; i += 997) {
            Element m = rec.stanzas.get(i);
            assertEquals(String.valueOf(i), m.attr("id"));
            assertEquals("v", m.child("x" + i).attr("a" + i));
            Element result = m.child("result");
            assertEquals("jabber:server:dialback", result.namespace());
        }
        assertTrue(rec.closed);
    }

    @Test
    void largeStanzasFollowedBySmallOnesInTheSameRead() {
        String big = "x".repeat(StreamParser.LARGE_STANZA + 100);
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 0; i < 5; i++) {
            sb.append("<message id='big").append(i).append("'><body>").append(big).append("</body></message>")
                    .append("<presence id='p").append(i).append("'/>");
        }
        RecordingListener rec = parse(sb.append("</stream:stream>").toString());
        assertNull(rec.error);
        assertEquals(10, rec.stanzas.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(big, rec.stanzas.get(2 * i).childText("body"));
            assertEquals("p" + i, rec.stanzas.get(2 * i + 1).attr("id"));
        }
        assertTrue(rec.closed);
        assertFalse(rec.calls.contains("error"));
    }

    @Test
    void readBoundariesAroundTheReaderReplacement() {
        String large = "<message id='big'><body>" + "y".repeat(StreamParser.LARGE_STANZA) + "</body></message>";
        String small = "<presence id='after'><status>ü</status></presence>";
        byte[] all = bytes(HEADER + large + small + "</stream:stream>");
        int largeEnd = bytes(HEADER + large).length;
        for (int cut = largeEnd - 20; cut <= largeEnd + 20; cut++) {
            RecordingListener rec = new RecordingListener();
            StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
            parser.feed(all, 0, cut);
            parser.feed(all, cut, all.length - cut);
            assertNull(rec.error, "cut at " + cut);
            assertEquals(List.of("big", "after"), rec.stanzas.stream().map(e -> e.attr("id")).toList(), "cut at " + cut);
            assertEquals("ü", rec.stanzas.get(1).childText("status"));
            assertTrue(rec.closed, "cut at " + cut);
        }
    }

    @Test
    void anErrorInTheListenerEndsTheStreamWithAStreamError() {
        RecordingListener rec = new RecordingListener() {
            @Override
            public void onStanza(Element stanza) {
                super.onStanza(stanza);
                if ("boom".equals(stanza.attr("id"))) {
                    throw new StackOverflowError();
                }
            }
        };
        StreamParser parser = new StreamParser(XmlLimits.defaults(), rec);
        byte[] in = bytes(HEADER + "<iq id='a'/><iq id='boom'/><iq id='c'/>");
        parser.feed(in, 0, in.length);
        assertEquals(List.of("open", "stanza", "stanza", "error"), rec.calls);
        assertEquals(StreamError.INTERNAL_SERVER_ERROR, rec.error.condition());
        assertTrue(rec.error.text().contains("StackOverflowError"), rec.error.text());
        byte[] more = bytes("<iq id='d'/>");
        parser.feed(more, 0, more.length);
        assertEquals(4, rec.calls.size(), "nothing after the stream error");
    }
}
