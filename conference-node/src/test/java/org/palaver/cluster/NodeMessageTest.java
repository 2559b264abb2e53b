package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodeMessageTest {
    private static final NodeMessage STANZA = new NodeMessage(NodeMessage.Type.STANZA, 42, "node-a", 1,
            "room@conference.localhost", "<message/>".getBytes(StandardCharsets.UTF_8));

    @Test
    void roundTrip() {
        NodeMessage back = NodeMessage.decode(STANZA.encode());
        assertEquals(STANZA.type(), back.type());
        assertEquals(42, back.epoch());
        assertEquals("node-a", back.sender());
        assertEquals(1, back.hops());
        assertEquals(STANZA.key(), back.key());
        assertArrayEquals(STANZA.payload(), back.payload());
        NodeMessage relayed = NodeMessage.decode(STANZA.relayedBy("node-b").encode());
        assertEquals("node-b", relayed.sender());
        assertEquals(2, relayed.hops());
        assertEquals(42, relayed.epoch(), "a relay keeps the epoch the stanza was routed under");
    }

    /** Invariant 5: a later version may append fields and raise the version byte. */
    @Test
    void laterVersionsWithMoreFieldsAreRead() {
        Buffer b = STANZA.encode();
        b.setByte(1, (byte) 2);
        b.appendString("future field");
        assertEquals("node-a", NodeMessage.decode(b).sender());
    }

    @Test
    void malformedInputIsRefusedReadably() {
        assertThrows(IllegalArgumentException.class, () -> NodeMessage.decode(Buffer.buffer("nonsense bytes here")));
        Buffer unknownType = STANZA.encode();
        unknownType.setByte(2, (byte) 99);
        assertEquals("unknown node message type 99",
                assertThrows(IllegalArgumentException.class, () -> NodeMessage.decode(unknownType)).getMessage());
        Buffer truncated = STANZA.encode().slice(0, 20).copy();
        assertThrows(IllegalArgumentException.class, () -> NodeMessage.decode(truncated));
    }
}
