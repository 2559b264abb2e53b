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

    @Test
    void replicationPayloadsRoundTripAndRefuseTruncation() {
        byte[] body = "<message/>".getBytes(StandardCharsets.UTF_8);
        NodeMessage delta = NodeMessage.about(NodeMessage.Type.DELTA, 7, "node-a", "room@conference.localhost",
                new ReplicaPayload(12, 1_767_323_045_000L, body).encode());
        NodeMessage back = NodeMessage.decode(delta.encode());
        assertEquals(NodeMessage.Type.DELTA, back.type());
        ReplicaPayload p = ReplicaPayload.decode(back.payload());
        assertEquals(12, p.seq());
        assertEquals(1_767_323_045_000L, p.now());
        assertArrayEquals(body, p.body());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReplicaPayload.decode(new byte[15]));
        assertEquals("replication payload of 15 bytes is truncated", e.getMessage());
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
