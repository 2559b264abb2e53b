package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;


import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.TestXml;
import org.palaver.xml.Element;
import org.palaver.xml.ElementReader;
import org.palaver.xml.FanoutBytes;
import org.palaver.xml.Jid;
import org.palaver.xml.StanzaBytes;

class RelayedOutputTest {
    private static final Element TEMPLATE = TestXml.parse(
            "<message from='lounge@conference.localhost/x&amp;y' type='groupchat'><body>a &lt; b 'q' ü</body></message>");

    @Test
    void singleStanzaAndBroadcastRoundTripInAnOutputMessage() {
        byte[] bytes = StanzaBytes.of(TEMPLATE);
        RelayedOutput single = decoded(RelayedOutput.single(bytes));
        assertNull(single.recipients());
        assertEquals(1, single.copies());
        assertArrayEquals(bytes, single.stanza());
        List<String> to = List.of("a@localhost/r", "ü@localhost/r'1", "b@localhost");
        RelayedOutput fanout = decoded(new RelayedOutput(to, bytes));
        assertEquals(to, fanout.recipients());
        assertEquals(3, fanout.copies());
        assertArrayEquals(bytes, fanout.stanza());
        assertEquals(List.of(), decoded(new RelayedOutput(List.of(), bytes)).recipients());
    }

    private static RelayedOutput decoded(RelayedOutput o) {
        NodeMessage m = NodeMessage.decode(NodeMessage.about(NodeMessage.Type.OUTPUT, 3, "node-a", "", o.encode()).encode());
        assertEquals(NodeMessage.Type.OUTPUT, m.type());
        return RelayedOutput.decode(m.payload());
    }

    /** The relaying node writes the same bytes as the owner would have: the template survives its bytes. */
    @Test
    void theTemplateReadBackSerialisesToTheSameBytes() {
        Element back = ElementReader.unbounded().read(StanzaBytes.of(TEMPLATE));
        assertArrayEquals(StanzaBytes.of(TEMPLATE), StanzaBytes.of(back));
        ByteBuf own = Unpooled.buffer();
        ByteBuf relayed = Unpooled.buffer();
        Jid to = Jid.parse("a@localhost/r");
        FanoutBytes.of(TEMPLATE).writeCopy(own, to);
        FanoutBytes.of(back).writeCopy(relayed, to);
        assertEquals(own, relayed);
    }

    @Test
    void malformedPayloadsAreRefusedReadably() {
        assertEquals("truncated relayed output (2 bytes)",
                assertThrows(IllegalArgumentException.class, () -> RelayedOutput.decode(new byte[2])).getMessage());
        assertEquals("relayed output with -5 recipients", assertThrows(IllegalArgumentException.class,
                () -> RelayedOutput.decode(new byte[] {-1, -1, -1, -5})).getMessage());
        byte[] cut = new RelayedOutput(List.of("a@localhost/r"), new byte[0]).encode();
        assertThrows(IllegalArgumentException.class,
                () -> RelayedOutput.decode(Arrays.copyOf(cut, cut.length - 3)));
    }
}
