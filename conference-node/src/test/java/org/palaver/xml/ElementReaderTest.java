package org.palaver.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Elements come back from {@link XmlWriter}'s text or bytes exactly as they were. */
class ElementReaderTest {
    private static final Element MESSAGE = message();

    private static Element message() {
        Element e = new Element("message").attr("from", "r@s/a\tb").attr("type", "groupchat");
        e.add(new Element("body").addText("line\r\n<&>'\" ümlaut"));
        e.add(new Element("x", "jabber:x:oob").add(new Element("url").addText("u")));
        e.add(new Element("html", "http://jabber.org/protocol/xhtml-im")
                .add(new Element("body", "http://www.w3.org/1999/xhtml").addText("b")));
        return e;
    }

    @Test
    void readsBackWhatTheWriterWrote() {
        ElementReader reader = ElementReader.unbounded();
        Element back = reader.parse(XmlWriter.toXml(MESSAGE));
        assertEquals(MESSAGE, back);
        assertEquals(XmlWriter.toXml(MESSAGE), XmlWriter.toXml(back));
        assertEquals(new Element("presence"), reader.parse("<presence/>")); // one reader, many elements
        assertEquals(MESSAGE, reader.read(bytes(XmlWriter.toXml(MESSAGE))));
    }

    @Test
    void refusesAnythingButOneCompleteElement() {
        assertRefused("<presence><show>", "incomplete element");
        assertRefused("<presence/><presence/>", "2 elements");
        assertRefused("<presence></message>", "not-well-formed");
        assertRefused("", "incomplete element");
    }

    /** A refused input leaves the parser mid-stream; the reader starts afresh for the next one. */
    @Test
    void recoversAfterBadInput() {
        ElementReader reader = ElementReader.unbounded();
        for (String bad : new String[] {"<presence><show>", "<a/><b/>", "<x></y>", "</stream:stream>"}) {
            assertNull(reader.read(bytes(bad)), bad);
            assertEquals(MESSAGE, reader.read(bytes(XmlWriter.toXml(MESSAGE))), "after " + bad);
        }
    }

    /** Forwarded stanzas are read with the inbound limits: what the router could not send is refused too. */
    @Test
    void enforcesItsLimits() {
        ElementReader reader = new ElementReader(new XmlLimits(64, 3, 4, 16));
        assertNull(reader.read(bytes("<message><body>" + "x".repeat(100) + "</body></message>")), "size");
        assertNull(reader.read(bytes("<a><b><c><d/></c></b></a>")), "depth");
        assertEquals(new Element("presence").attr("to", "r@s"), reader.read(bytes("<presence to='r@s'/>")));
    }

    private static void assertRefused(String xml, String why) {
        String message = assertThrows(IllegalArgumentException.class, () -> ElementReader.unbounded().parse(xml)).getMessage();
        assertTrue(message.contains(why), message);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
