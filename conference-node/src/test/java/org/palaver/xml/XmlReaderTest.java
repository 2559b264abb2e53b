package org.palaver.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Elements come back from {@link XmlWriter}'s text exactly as they were. */
class XmlReaderTest {
    @Test
    void readsBackWhatTheWriterWrote() {
        Element e = new Element("message").attr("from", "r@s/a\tb").attr("type", "groupchat");
        e.add(new Element("body").addText("line\r\n<&>'\" ümlaut"));
        e.add(new Element("x", "jabber:x:oob").add(new Element("url").addText("u")));
        e.add(new Element("html", "http://jabber.org/protocol/xhtml-im")
                .add(new Element("body", "http://www.w3.org/1999/xhtml").addText("b")));
        XmlReader reader = new XmlReader();
        Element back = reader.read(XmlWriter.toXml(e));
        assertEquals(e, back);
        assertEquals(XmlWriter.toXml(e), XmlWriter.toXml(back));
        assertEquals(new Element("presence"), reader.read("<presence/>")); // one reader, many elements
    }

    @Test
    void refusesAnythingButOneCompleteElement() {
        assertRefused("<presence><show>", "incomplete element");
        assertRefused("<presence/><presence/>", "2 elements");
        assertRefused("<presence></message>", "not-well-formed");
        assertRefused("", "incomplete element");
    }

    private static void assertRefused(String xml, String why) {
        String message = assertThrows(IllegalArgumentException.class, () -> new XmlReader().read(xml)).getMessage();
        assertTrue(message.contains(why), message);
    }
}
