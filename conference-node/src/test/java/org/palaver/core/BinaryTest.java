package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The codec helper of every stored and cross-node format: the bytes of DataOutput, checked reads. */
class BinaryTest {
    private static final String TEXT = "r\u00f6\u00f6m \u2603 \uD83D\uDE00 \u0000 end";

    @Test
    void primitivesAndModifiedUtf8AreTheBytesOfDataOutput() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(expected);
        d.writeByte(0x80);
        d.writeBoolean(true);
        d.writeShort(0xfedc);
        d.writeInt(-2);
        d.writeLong(Long.MIN_VALUE + 7);
        d.writeUTF(TEXT);
        d.write(new byte[] {1, 2, 3});
        byte[] ours = new Binary.Out(1).writeByte(0x80).writeBoolean(true).writeShort(0xfedc).writeInt(-2)
                .writeLong(Long.MIN_VALUE + 7).writeUTF(TEXT).write(new byte[] {1, 2, 3}).toByteArray();
        assertArrayEquals(expected.toByteArray(), ours);

        Binary.In in = new Binary.In(ours);
        assertEquals(0x80, in.readUnsignedByte());
        assertTrue(in.readBoolean());
        assertEquals(0xfedc, in.readUnsignedShort());
        assertEquals(-2, in.readInt());
        assertEquals(Long.MIN_VALUE + 7, in.readLong());
        assertEquals(TEXT, in.readUTF());
        assertArrayEquals(new byte[] {1, 2, 3}, in.rest());
        assertEquals(0, in.available());
    }

    @Test
    void lengthPrefixedStringsBytesAndRecordsRoundTrip() {
        byte[] utf8 = TEXT.getBytes(StandardCharsets.UTF_8);
        Binary.Out out = new Binary.Out(16)
                .writeString(TEXT).writeString(null).writeShortString(TEXT).writeBlock(new byte[] {9})
                .record(r -> r.writeInt(5).writeString("tail a newer writer added"));
        byte[] b = out.toByteArray();
        assertEquals(utf8.length, (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff,
                "a 4-byte length of the UTF-8 bytes");
        Binary.In in = new Binary.In(b);
        assertEquals(TEXT, in.readString());
        assertNull(in.readString());
        assertEquals(TEXT, in.readShortString());
        assertArrayEquals(new byte[] {9}, in.readBlock());
        Binary.In record = in.readRecord();
        assertEquals(5, record.readInt(), "a record is read on its own; its unknown tail is skipped");
        assertEquals(0, in.available());
    }

    @Test
    void writersRefuseWhatTheirPrefixCannotHold() {
        String tooLong = "x".repeat(70_000);
        assertThrows(IllegalArgumentException.class, () -> new Binary.Out(8).writeShortString(tooLong));
        assertThrows(IllegalArgumentException.class, () -> new Binary.Out(8).writeUTF(tooLong));
    }

    @Test
    void damagedInputIsRefusedReadablyBeforeAnythingIsAllocated() {
        byte[] b = new Binary.Out(8).writeString("hello").writeInt(3).toByteArray();
        Binary.Malformed cut = assertThrows(Binary.Malformed.class,
                () -> new Binary.In(Arrays.copyOf(b, 6)).readString());
        assertEquals("truncated: 5 byte(s) needed at byte 4, 2 left", cut.getMessage());
        Binary.Malformed huge = assertThrows(Binary.Malformed.class,
                () -> new Binary.In(new Binary.Out(4).writeInt(Integer.MAX_VALUE).toByteArray()).readBlock());
        assertTrue(huge.getMessage().startsWith("truncated: 2147483647 byte(s) needed"), huge.getMessage());
        assertEquals("negative length -7 at byte 0", assertThrows(Binary.Malformed.class,
                () -> new Binary.In(new Binary.Out(4).writeInt(-7).toByteArray()).readRecord()).getMessage());
        assertEquals("implausible count 3", assertThrows(Binary.Malformed.class,
                () -> new Binary.In(new Binary.Out(4).writeInt(3).writeInt(0).toByteArray()).readCount(4)).getMessage());
        assertEquals(1, new Binary.In(new Binary.Out(4).writeInt(1).writeInt(0).toByteArray()).readCount(4));
        assertTrue(assertThrows(Binary.Malformed.class,
                () -> new Binary.In(new byte[] {0, 2, (byte) 0xc0, 0x20}).readUTF()).getMessage()
                .startsWith("malformed modified UTF-8 at byte 2"));
    }

    @Test
    void aReaderStaysInsideItsPartOfTheArray() {
        byte[] b = new Binary.Out(8).writeInt(1).writeInt(2).writeInt(3).toByteArray();
        Binary.In middle = new Binary.In(b, 4, 8);
        assertEquals(4, middle.position());
        assertEquals(2, middle.readInt());
        assertFalse(middle.available() > 0);
        assertThrows(Binary.Malformed.class, middle::readUnsignedByte);
    }
}
