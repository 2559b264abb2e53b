package org.palaver.xml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StanzaBytesTest {
    private static Element message(String body) {
        return new Element("message").attr("to", "bob@example.org/ü").attr("type", "chat").addTextChild("body", body);
    }

    @Test
    void bytesAreTheUtf8OfTheSerialisedStanza() {
        Element m = message("Grüße 🎉 <&>");
        assertArrayEquals(XmlWriter.toXml(m).getBytes(StandardCharsets.UTF_8), StanzaBytes.of(m));
        assertEquals("<message to='bob@example.org/ü' type='chat'><body>Grüße 🎉 &lt;&amp;&gt;</body></message>",
                new String(StanzaBytes.of(m), StandardCharsets.UTF_8));
    }

    @Test
    void aHugeStanzaDoesNotDisturbLaterOnes() {
        String big = "z".repeat(200_000);
        assertEquals(XmlWriter.toXml(message(big)), new String(StanzaBytes.of(message(big)), StandardCharsets.UTF_8));
        assertEquals(XmlWriter.toXml(message("small")),
                new String(StanzaBytes.of(message("small")), StandardCharsets.UTF_8));
    }
}
