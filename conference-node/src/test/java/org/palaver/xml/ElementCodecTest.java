package org.palaver.xml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The parsed form of stanzas that nodes forward and replicate instead of XML (protocol 3). */
class ElementCodecTest {
    private static final XmlLimits LIMITS = XmlLimits.defaults();
    private final ElementReader reader = new ElementReader(LIMITS);

    /** The stanza of golden/element-form-v1.bin, as XML the stream parser reads. */
    private static final String GOLDEN_XML = "<message type='groupchat' to='room@conference.localhost'"
            + " from='u@localhost/r' id='m1' xml:lang='en'><body>hi &amp; bye </body>"
            + "<x xmlns='jabber:x:oob'><url>http://e.example/caf\u00e9</url></x>tail</message>";

    /** The format is fixed by a golden file written from its description (the class comment), not by this code. */
    @Test
    void matchesItsGoldenBytesBothWays() throws IOException {
        byte[] golden = golden("element-form-v1.bin");
        Element parsed = reader.read(GOLDEN_XML.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertArrayEquals(golden, ElementCodec.encode(parsed), "encoding");
        assertEquals(parsed, ElementCodec.decode(golden, LIMITS), "decoding");
    }

    @Test
    void whatTheParserGivesComesBackEqualAndWritesTheSameXml() {
        String[] stanzas = {
            "<message type='groupchat' to='r@c.example' from='a@b.example/x'><body>1 &lt; 2 &amp;&amp; \"q\"</body></message>",
            "<presence to='r@c.example/nick' from='a@b.example/x'><x xmlns='http://jabber.org/protocol/muc'>"
                    + "<history maxstanzas='5'/></x><status>\u263a emoji \uD83D\uDE00</status></presence>",
            "<iq type='get' id='1' to='c.example' from='a@b.example/x'><query xmlns='jabber:iq:browse'/></iq>",
            "<message to='r@c.example' from='a@b.example/x' xmlns:p='urn:p' p:attr='v'><p:thing>mixed <b>bold</b> text</p:thing></message>",
            "<message to='r@c.example' from='a@b.example/x'><body/></message>",
        };
        for (String xml : stanzas) {
            Element e = reader.read(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] form = ElementCodec.encode(e);
            Element back = ElementCodec.decode(form, LIMITS);
            assertEquals(e, back, xml);
            assertArrayEquals(StanzaBytes.of(e), StanzaBytes.of(back), xml);
        }
    }

    @Test
    void namesEveryStanzaCarriesAreReadAsOneSharedStringAndOthersAsTheirOwn() {
        Element e = reader.read(("<message type='groupchat' to='r@c.example' from='a@b.example/x'>"
                + "<body>type</body><bodyx xmlns='jabber:client2'/></message>").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Element back = ElementCodec.decode(ElementCodec.encode(e), LIMITS);
        assertEquals(e, back);
        assertSame("message", back.name());
        assertSame("groupchat", back.attr("type"));
        assertSame("body", back.elements().get(0).name());
        assertEquals("bodyx", back.elements().get(1).name());
        assertEquals("jabber:client2", back.elements().get(1).namespace());
        assertEquals("r@c.example", back.attr("to"));
    }

    @Test
    void aLongNamespaceIsNotTakenForAnInheritedOne() {
        Element e = new Element("message");
        e.addChild("x", "urn:" + "n".repeat(251)); // 255 bytes: a varint whose first byte is 0xFF
        e.addChild("y", "");
        Element back = ElementCodec.decode(ElementCodec.encode(e), LIMITS);
        assertEquals(e, back);
        assertNull(back.namespace());
        assertEquals("", back.elements().get(1).namespace());
    }

    @Test
    void refusesWhatIsMalformedOrBeyondTheLimitsWithAReason() {
        byte[] form = ElementCodec.encode(reader.read("<message to='r@c.example'><body>x</body></message>".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> ElementCodec.decode(Arrays.copyOf(form, form.length - 1), LIMITS),
                "truncated");
        assertThrows(IllegalArgumentException.class, () -> ElementCodec.decode(Arrays.copyOf(form, form.length + 1), LIMITS),
                "trailing bytes");
        byte[] version = form.clone();
        version[0] = 2;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElementCodec.decode(version, LIMITS))
                .getMessage().contains("version 2"));
        byte[] kind = form.clone();
        kind[indexOf(kind, (byte) 'E')] = 'Z';
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElementCodec.decode(kind, LIMITS))
                .getMessage().contains("unknown child kind"));
        assertThrows(IllegalArgumentException.class, () -> ElementCodec.decode(new byte[0], LIMITS));

        Element deep = new Element("message");
        Element at = deep;
        for (int i = 0; i < 5; i++) {
            at = at.addChild("x", null);
        }
        XmlLimits shallow = new XmlLimits(LIMITS.maxStanzaBytes(), 3, LIMITS.maxAttributes(), LIMITS.maxNameLength());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElementCodec.decode(ElementCodec.encode(deep), shallow))
                .getMessage().contains("deeper than 3"));
        Element attrs = new Element("message");
        for (int i = 0; i < 5; i++) {
            attrs.attr("a" + i, "v");
        }
        XmlLimits few = new XmlLimits(LIMITS.maxStanzaBytes(), LIMITS.maxDepth(), 4, LIMITS.maxNameLength());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElementCodec.decode(ElementCodec.encode(attrs), few))
                .getMessage().contains("more than 4 attributes"));
        XmlLimits small = new XmlLimits(8, LIMITS.maxDepth(), LIMITS.maxAttributes(), LIMITS.maxNameLength());
        assertThrows(IllegalArgumentException.class, () -> ElementCodec.decode(form, small), "bytes beyond twice the limit");
    }

    private static int indexOf(byte[] b, byte value) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        throw new AssertionError("no " + value);
    }

    static byte[] golden(String name) throws IOException {
        try (InputStream in = ElementCodecTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("golden file " + name + " is missing");
            }
            return in.readAllBytes();
        }
    }
}
