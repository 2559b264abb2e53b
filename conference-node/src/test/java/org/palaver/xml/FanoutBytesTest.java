package org.palaver.xml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.xml.RecordingListener.HEADER;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.TestXml;

class FanoutBytesTest {
    private static final List<Jid> RECIPIENTS = List.of(
            Jid.parse("alice@example.org/home"),
            Jid.parse("Bob@Example.ORG/r&d 'lab' <2>"),
            Jid.parse("日本@example.org/ü🎉"),
            Jid.parse("example.org"));

    private static Element template() {
        Element m = new Element("message").attr("from", "lounge@conference.example.org/9429de0c")
                .attr("type", "groupchat");
        m.addTextChild("body", "hi & bye — ü");
        m.addChild("x", "jabber:x:delay").attr("stamp", "20020910T23:08:25");
        return m;
    }

    /** The full serialisation of the template with {@code to} as the first attribute. */
    private static byte[] expected(Element template, Jid to) {
        Element e = new Element(template.name(), template.namespace()).attr("to", to.toString());
        for (int i = 0; i < template.attrCount(); i++) {
            if (!template.attrName(i).equals("to")) {
                e.attr(template.attrName(i), template.attrValue(i));
            }
        }
        template.children().forEach(c -> {
            if (c instanceof Element) {
                e.add((Element) c);
            } else {
                e.addText((String) c);
            }
        });
        return StanzaBytes.of(e);
    }

    private static byte[] copy(FanoutBytes f, Jid to) {
        ByteBuf out = Unpooled.buffer();
        f.writeCopy(out, to);
        return ByteBufUtil.getBytes(out);
    }

    @Test
    void eachCopyEqualsTheFullSerialisationWithToFirst() {
        Element t = template();
        FanoutBytes f = FanoutBytes.of(t);
        for (Jid to : RECIPIENTS) {
            assertArrayEquals(expected(t, to), copy(f, to), to.toString());
        }
    }

    @Test
    void copiesParseBackToTheTemplateAddressedToTheRecipient() {
        Element t = template();
        FanoutBytes f = FanoutBytes.of(t);
        ByteBuf out = Unpooled.copiedBuffer(HEADER, StandardCharsets.UTF_8);
        for (Jid to : RECIPIENTS) {
            f.writeCopy(out, to);
        }
        RecordingListener rec = new RecordingListener();
        byte[] stream = ByteBufUtil.getBytes(out);
        new StreamParser(XmlLimits.defaults(), rec).feed(stream, 0, stream.length);
        assertNull(rec.error);
        assertEquals(RECIPIENTS.size(), rec.stanzas.size());
        for (int i = 0; i < RECIPIENTS.size(); i++) {
            assertEquals(t.shallowCopy().attr("to", RECIPIENTS.get(i).toString()), rec.stanzas.get(i));
        }
    }

    @Test
    void copySizeIsWhatWriteCopyAppends() {
        FanoutBytes f = FanoutBytes.of(template());
        for (Jid to : RECIPIENTS) {
            ByteBuf out = Unpooled.copiedBuffer("xyz", StandardCharsets.UTF_8);
            f.writeCopy(out, to);
            assertEquals(3 + f.copySize(to), out.readableBytes());
        }
    }

    @Test
    void aToOnTheTemplateIsReplaced() {
        Element t = template().attr("to", "someone@else.org");
        Jid to = RECIPIENTS.get(0);
        assertArrayEquals(expected(t, to), copy(FanoutBytes.of(t), to));
        String copy = new String(copy(FanoutBytes.of(t), to), StandardCharsets.UTF_8);
        assertTrue(copy.startsWith("<message to='alice@example.org/home' from="), copy);
    }

    @Test
    void emptyAndQualifiedTemplates() {
        Jid to = RECIPIENTS.get(1);
        Element presence = new Element("presence");
        assertEquals("<presence to='Bob@example.org/r&amp;d &apos;lab&apos; &lt;2&gt;'/>",
                new String(copy(FanoutBytes.of(presence), to), StandardCharsets.UTF_8));
        Element query = new Element("query", "jabber:iq:browse").attr("type", "x");
        String copy = new String(copy(FanoutBytes.of(query), to), StandardCharsets.UTF_8);
        assertTrue(copy.startsWith("<query to='"), "to stays first: " + copy);
        assertEquals(query.shallowCopy().attr("to", to.toString()), TestXml.parse(copy));
    }

    @Test
    void laterChangesToTheTemplateDoNotAffectTheBytes() {
        Element t = template();
        FanoutBytes f = FanoutBytes.of(t);
        byte[] before = copy(f, RECIPIENTS.get(0));
        t.attr("type", "chat").addTextChild("subject", "new");
        assertArrayEquals(before, copy(f, RECIPIENTS.get(0)));
    }
}
