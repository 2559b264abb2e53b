package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.xml.ElementCodec;
import org.palaver.xml.XmlLimits;

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
                new BackupPayload(12, 1_767_323_045_000L, body).encode());
        NodeMessage back = NodeMessage.decode(delta.encode());
        assertEquals(NodeMessage.Type.DELTA, back.type());
        BackupPayload p = BackupPayload.decode(back.payload());
        assertEquals(12, p.seq());
        assertEquals(1_767_323_045_000L, p.now());
        assertArrayEquals(body, p.body());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackupPayload.decode(new byte[15]));
        assertEquals("replication payload of 15 bytes is truncated", e.getMessage());
    }

    /** Invariant 5: a later version may append fields (after the marks of version 2) and raise the version byte. */
    @Test
    void laterVersionsWithMoreFieldsAreRead() {
        Buffer b = STANZA.withMarks(List.of(new NodeMessage.Mark("node-z", 5))).encode();
        b.setByte(1, (byte) 3);
        b.appendString("future field");
        NodeMessage back = NodeMessage.decode(b);
        assertEquals("node-a", back.sender());
        assertEquals(List.of(new NodeMessage.Mark("node-z", 5)), back.marks());
    }

    @Test
    void marksRoundTripAndAMessageWithoutThemIsWrittenAsVersion1() {
        assertEquals(1, STANZA.encode().getByte(1), "no marks: the 0.1.0 form, byte for byte");
        NodeMessage marked = STANZA.withMarks(List.of(new NodeMessage.Mark("n\u00f6de-a", Long.MAX_VALUE)));
        Buffer b = marked.encode();
        assertEquals(2, b.getByte(1));
        assertEquals(b.length(), marked.size() + 1, "size counts the marks (one non-ASCII byte more)");
        NodeMessage back = NodeMessage.decode(b);
        assertEquals(marked.marks(), back.marks());
        assertEquals(new NodeMessage.Mark("n\u00f6de-a", Long.MAX_VALUE), back.mark());
        assertArrayEquals(STANZA.payload(), back.payload());
        assertEquals(marked.marks(), NodeMessage.decode(marked.relayedBy("node-c").encode()).marks(),
                "a relay keeps the stanza's mark");
        assertEquals(List.of(), NodeMessage.decode(STANZA.encode()).marks());
    }

    @Test
    void truncatedMarksAreRefusedReadably() {
        Buffer b = STANZA.withMarks(List.of(new NodeMessage.Mark("node-a", 7))).encode();
        Buffer cut = b.slice(0, b.length() - 3).copy();
        assertEquals("node message mark 0 exceeds the message",
                assertThrows(IllegalArgumentException.class, () -> NodeMessage.decode(cut)).getMessage());
        Buffer oneByte = STANZA.encode();
        oneByte.setByte(1, (byte) 2);
        oneByte.appendByte((byte) 0);
        assertEquals("truncated marks of a node message",
                assertThrows(IllegalArgumentException.class, () -> NodeMessage.decode(oneByte)).getMessage());
    }

    /**
     * The marks (version 2) and ACK (protocol 2) are fixed by golden files written from their
     * specification (NodeMessage's documentation), not by this code: read and written both ways.
     */
    @Test
    void marksAndAcknowledgementsMatchTheirGoldenBytesBothWays() throws IOException {
        byte[] stanza = utf8("<message type='groupchat' to='room@conference.localhost' from='u@localhost/r'>"
                + "<body>hi</body></message>");
        assertGolden("node-message-STANZA-v2.bin", new NodeMessage(NodeMessage.Type.STANZA, 42, "node-b", 1, ROOM,
                stanza, List.of(new NodeMessage.Mark("node-a", 1001))));
        assertGolden("node-message-DELTA-v2.bin", NodeMessage.about(NodeMessage.Type.DELTA, 7, "node-a", ROOM,
                new BackupPayload(12, 1_767_323_045_000L, stanza).encode())
                .withMarks(List.of(new NodeMessage.Mark("node-c", 77))));
        assertGolden("node-message-KNOWN_DELTA-v2.bin", NodeMessage.about(NodeMessage.Type.KNOWN_DELTA, 7, "node-a",
                ROOM, new BackupPayload(12, 1_767_323_045_000L, new byte[0]).encode())
                .withMarks(List.of(new NodeMessage.Mark("node-c", 77))));
        assertGolden("node-message-HANDOFF-v2.bin", NodeMessage.about(NodeMessage.Type.HANDOFF, 8, "node-a", ROOM,
                utf8("room state bytes")).withMarks(List.of(new NodeMessage.Mark("node-b", 5),
                new NodeMessage.Mark("node-c", 9))));
        assertGolden("node-message-ACK-v2.bin", new NodeMessage(NodeMessage.Type.ACK, 9, "node-a", 0, "", new byte[0],
                List.of(new NodeMessage.Mark(ROOM, 1001), new NodeMessage.Mark("other@conference.localhost", 3))));
    }

    private static void assertGolden(String file, NodeMessage want) throws IOException {
        byte[] golden = golden(file);
        assertArrayEquals(golden, want.encode().getBytes(), "encoding of " + file);
        NodeMessage got = NodeMessage.decode(Buffer.buffer(golden));
        assertEquals(want.type(), got.type(), file);
        assertEquals(want.epoch(), got.epoch());
        assertEquals(want.sender(), got.sender());
        assertEquals(want.hops(), got.hops());
        assertEquals(want.key(), got.key());
        assertArrayEquals(want.payload(), got.payload());
        assertEquals(want.marks(), got.marks(), file);
        // in a batch too, next to a message of version 1
        List<NodeMessage> back = NodeMessage.unbatch(NodeMessage.batch("node-a", List.of(got, STANZA), 0));
        assertEquals(want.marks(), back.get(0).marks());
        assertEquals(List.of(), back.get(1).marks());
    }

    @Test
    void aBatchReadsTheStringsItsMessagesRepeatIntoOneInstanceEach() {
        byte[] p = {1, 2, 3};
        List<NodeMessage> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String room = "room" + (i % 3) + "@conference.localhost";
            sent.add(NodeMessage.about(NodeMessage.Type.PARSED_DELTA, 7, "node-a", room, p)
                    .withMarks(List.of(new NodeMessage.Mark(i % 2 == 0 ? "node-a" : "node-b", i))));
        }
        List<NodeMessage> back = NodeMessage.unbatch(NodeMessage.batch("node-a", sent, 0));
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(sent.get(i).key(), back.get(i).key());
            assertEquals(sent.get(i).marks(), back.get(i).marks());
            assertEquals("node-a", back.get(i).sender());
            assertSame(back.get(0).sender(), back.get(i).sender());
        }
        assertSame(back.get(0).key(), back.get(3).key());
        assertSame(back.get(0).sender(), back.get(2).mark().id()); // a mark naming the sender
        assertSame(back.get(1).mark().id(), back.get(3).mark().id());
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

    private static final String ROOM = "room@conference.localhost";
    /** The messages of golden/node-message-batch-v1.bin, in order. */
    private static final List<NodeMessage> GOLDEN_BATCH = List.of(
            new NodeMessage(NodeMessage.Type.STANZA, 42, "node-a", 1, ROOM, utf8("<message type='groupchat' "
                    + "to='room@conference.localhost' from='u@localhost/r'><body>hi</body></message>")),
            NodeMessage.about(NodeMessage.Type.DELTA, 7, "node-a", ROOM, new BackupPayload(12, 1_767_323_045_000L,
                    utf8("<presence to='room@conference.localhost/nick' from='u@localhost/r'/>")).encode()),
            NodeMessage.marker(NodeMessage.Type.FLUSH, 9, "node-a"));

    /** The BATCH format (protocol 2) is fixed by a golden file written from its specification, not by this code. */
    @Test
    void batchMatchesItsGoldenBytesBothWays() throws IOException {
        byte[] golden = golden("node-message-batch-v1.bin");
        Buffer encoded = NodeMessage.batch("node-a", GOLDEN_BATCH, 0);
        assertArrayEquals(golden, encoded.getBytes(), "encoding");
        assertEquals(NodeMessage.Type.BATCH, NodeMessage.typeOf(Buffer.buffer(golden)));
        List<NodeMessage> back = NodeMessage.unbatch(Buffer.buffer(golden));
        assertEquals(GOLDEN_BATCH.size(), back.size());
        for (int i = 0; i < back.size(); i++) {
            NodeMessage want = GOLDEN_BATCH.get(i);
            NodeMessage got = back.get(i);
            assertEquals(want.type(), got.type(), "order and type of message " + i);
            assertEquals(want.epoch(), got.epoch());
            assertEquals(want.sender(), got.sender());
            assertEquals(want.hops(), got.hops());
            assertEquals(want.key(), got.key());
            assertArrayEquals(want.payload(), got.payload());
        }
        assertEquals(12, BackupPayload.decode(back.get(1).payload()).seq());
    }

    /**
     * PARSED_STANZA and PARSED_DELTA (protocol 3) are fixed by a golden file written from their
     * description: a batch of one of each, carrying golden/element-form-v1.bin.
     */
    @Test
    void parsedFormsMatchTheirGoldenBytesBothWays() throws IOException {
        byte[] form = golden("element-form-v1.bin");
        List<NodeMessage> messages = List.of(
                new NodeMessage(NodeMessage.Type.PARSED_STANZA, 42, "node-a", 1, ROOM, form),
                NodeMessage.about(NodeMessage.Type.PARSED_DELTA, 7, "node-a", ROOM,
                        new BackupPayload(13, 1_767_323_046_000L, form).encode()));
        byte[] golden = golden("node-message-parsed-v1.bin");
        assertArrayEquals(golden, NodeMessage.batch("node-a", messages, 0).getBytes(), "encoding");
        List<NodeMessage> back = NodeMessage.unbatch(Buffer.buffer(golden));
        assertEquals(NodeMessage.Type.PARSED_STANZA, back.get(0).type());
        assertEquals(1, back.get(0).hops());
        assertEquals(42, back.get(0).epoch());
        assertArrayEquals(form, back.get(0).payload());
        assertEquals(NodeMessage.Type.PARSED_DELTA, back.get(1).type());
        BackupPayload delta = BackupPayload.decode(back.get(1).payload());
        assertEquals(13, delta.seq());
        assertArrayEquals(form, delta.body());
        assertEquals("message", ElementCodec.decode(delta.body(), XmlLimits.defaults()).name());
        assertTrue(NodeMessage.PARSED_PROTOCOL <= ClusterProtocol.CURRENT);
    }

    /** A batch entry is length-delimited, so an entry of a later version with appended fields still reads. */
    @Test
    void batchEntriesOfALaterVersionWithMoreFieldsAreRead() {
        Buffer entry = STANZA.encode();
        entry.setByte(1, (byte) 3);
        entry.appendShort((short) 0); // no marks
        entry.appendString("future field");
        Buffer head = NodeMessage.batch("node-b", List.of(), 0); // an empty batch: header and payload length 0
        Buffer rebuilt = Buffer.buffer().appendBuffer(head.slice(0, head.length() - 4));
        Buffer payload = Buffer.buffer().appendInt(entry.length()).appendBuffer(entry);
        rebuilt.appendInt(payload.length()).appendBuffer(payload);
        List<NodeMessage> back = NodeMessage.unbatch(rebuilt);
        assertEquals(1, back.size());
        assertEquals("node-a", back.get(0).sender());
        assertArrayEquals(STANZA.payload(), back.get(0).payload());
    }

    @Test
    void malformedBatchesAreRefusedReadably() {
        Buffer b = NodeMessage.batch("node-a", GOLDEN_BATCH, 0);
        Buffer truncated = b.slice(0, b.length() - 3).copy();
        assertThrows(IllegalArgumentException.class, () -> NodeMessage.unbatch(truncated));
        Buffer lying = b.copy();
        int firstEntry = 12 + 2 + "node-a".length() + 2 + 4;
        lying.setInt(firstEntry, 1 << 20);
        assertEquals("batch entry length 1048576 exceeds the batch",
                assertThrows(IllegalArgumentException.class, () -> NodeMessage.unbatch(lying)).getMessage());
        Buffer nested = NodeMessage.batch("node-a", List.of(new NodeMessage(NodeMessage.Type.BATCH, 0, "node-a", 0, "",
                new byte[0])), 0);
        assertEquals("a batch inside a batch",
                assertThrows(IllegalArgumentException.class, () -> NodeMessage.unbatch(nested)).getMessage());
        assertEquals("a STANZA is not a batch",
                assertThrows(IllegalArgumentException.class, () -> NodeMessage.unbatch(STANZA.encode())).getMessage());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] golden(String name) throws IOException {
        try (InputStream in = NodeMessageTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("golden file " + name + " is missing");
            }
            return in.readAllBytes();
        }
    }
}
