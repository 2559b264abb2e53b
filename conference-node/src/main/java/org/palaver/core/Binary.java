package org.palaver.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one codec helper of every stored and cross-node format (room states, room listings, node
 * messages and their payloads): big-endian primitives, length-prefixed UTF-8 and bytes, nested
 * length-prefixed records. Writers refuse what their prefix cannot hold; readers check every
 * length against what is there before they allocate, and refuse damaged input with a
 * {@link Malformed} that says what and where. The primitives are named as in
 * {@link java.io.DataOutput} and {@link java.io.DataInput} and write the same bytes, so each format
 * keeps its byte form (docs/compatibility.md, "What each format promises"; GoldenFilesTest).
 *
 * <p>Strings come in three prefixes, one per existing format: {@link Out#writeString} (4-byte
 * length, -1 for {@code null}), {@link Out#writeShortString} (2-byte length) and
 * {@link Out#writeUTF} ({@link java.io.DataOutput#writeUTF}'s modified UTF-8, 2-byte length).
 */
public final class Binary {
    /** Marks a {@code null} string in {@link Out#writeString}. */
    private static final int NULL = -1;
    private static final int MAX_SHORT = 0xffff;

    private Binary() {
    }

    /** Input that is not what the format says: truncated, a length beyond the bytes, an implausible count. */
    public static final class Malformed extends IllegalArgumentException {
        Malformed(String why) {
            super(why);
        }
    }

    /** A growable big-endian byte sink. */
    public static final class Out {
        private byte[] buf;
        private int size;

        public Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void ensure(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }

        public Out writeByte(int v) {
            ensure(1);
            buf[size++] = (byte) v;
            return this;
        }

        public Out writeBoolean(boolean v) {
            return writeByte(v ? 1 : 0);
        }

        public Out writeShort(int v) {
            ensure(2);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
            return this;
        }

        public Out writeInt(int v) {
            ensure(4);
            putInt(size, v);
            size += 4;
            return this;
        }

        public Out writeLong(long v) {
            writeInt((int) (v >>> 32));
            return writeInt((int) v);
        }

        /** The bytes as they are, without a length. */
        public Out write(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
            return this;
        }

        /** 4-byte length, then the bytes. */
        public Out writeBlock(byte[] b) {
            return writeInt(b.length).write(b);
        }

        /** 4-byte length (-1 for {@code null}), then UTF-8. */
        public Out writeString(String s) {
            return s == null ? writeInt(NULL) : writeBlock(s.getBytes(StandardCharsets.UTF_8));
        }

        /** 2-byte length, then UTF-8; {@link IllegalArgumentException} beyond 65535 bytes. */
        public Out writeShortString(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > MAX_SHORT) {
                throw new IllegalArgumentException("a string of " + b.length + " bytes does not fit a 2-byte length");
            }
            return writeShort(b.length).write(b);
        }

        /** {@link java.io.DataOutput#writeUTF}: 2-byte length, modified UTF-8; {@link IllegalArgumentException} beyond 65535 bytes. */
        public Out writeUTF(String s) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length() + 2);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(s);
            } catch (IOException e) { // only UTFDataFormatException: a byte array does not fail
                throw new IllegalArgumentException("a string of " + s.length() + " characters does not fit a 2-byte length");
            }
            return write(bytes.toByteArray());
        }

        /** A record: 4-byte length, then what {@code part} writes. */
        public Out record(Part part) {
            int at = size;
            writeInt(0);
            part.write(this);
            putInt(at, size - at - 4);
            return this;
        }

        private void putInt(int at, int v) {
            buf[at] = (byte) (v >>> 24);
            buf[at + 1] = (byte) (v >>> 16);
            buf[at + 2] = (byte) (v >>> 8);
            buf[at + 3] = (byte) v;
        }

        /** Bytes written so far. */
        public int size() {
            return size;
        }

        /**
         * What was written. When the capacity given was exact, the array written into itself, not
         * a copy: a later write would grow it into a new array first, so the one returned never
         * changes.
         */
        public byte[] toByteArray() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }

    /** What a {@link Out#record} holds. */
    @FunctionalInterface
    public interface Part {
        void write(Out out);
    }

    /** A big-endian reader over part of a byte array; every read is bounds-checked. */
    public static final class In {
        private final byte[] buf;
        private final int end;
        private int pos;

        public In(byte[] b) {
            this(b, 0, b.length);
        }

        public In(byte[] b, int from, int to) {
            if (from < 0 || to > b.length || from > to) {
                throw new IndexOutOfBoundsException("bytes " + from + ".." + to + " of " + b.length);
            }
            this.buf = b;
            this.pos = from;
            this.end = to;
        }

        /** Bytes left to read. */
        public int available() {
            return end - pos;
        }

        /** The position in the whole array. */
        public int position() {
            return pos;
        }

        private int take(int n) {
            if (n > end - pos) {
                throw new Malformed("truncated: " + n + " byte(s) needed at byte " + pos + ", " + (end - pos) + " left");
            }
            int at = pos;
            pos += n;
            return at;
        }

        public int readUnsignedByte() {
            return buf[take(1)] & 0xff;
        }

        public boolean readBoolean() {
            return readUnsignedByte() != 0;
        }

        public int readUnsignedShort() {
            int at = take(2);
            return (buf[at] & 0xff) << 8 | buf[at + 1] & 0xff;
        }

        public int readInt() {
            int at = take(4);
            return (buf[at] & 0xff) << 24 | (buf[at + 1] & 0xff) << 16 | (buf[at + 2] & 0xff) << 8 | buf[at + 3] & 0xff;
        }

        public long readLong() {
            return (long) readInt() << 32 | readInt() & 0xffffffffL;
        }

        /** The next {@code n} bytes. */
        public byte[] readFully(int n) {
            if (n < 0) {
                throw new Malformed("negative length " + n + " at byte " + pos);
            }
            int at = take(n);
            return Arrays.copyOfRange(buf, at, at + n);
        }

        /** Skips the next {@code n} bytes. */
        public void skip(int n) {
            take(n);
        }

        /** Everything left. */
        public byte[] rest() {
            return readFully(available());
        }

        /** 4-byte length, then the bytes ({@link Out#writeBlock}). */
        public byte[] readBlock() {
            return readFully(readInt());
        }

        /** 4-byte length, then the bytes, read on their own: their unknown tail is skipped ({@link Out#record}). */
        public In readRecord() {
            int n = length(readInt());
            int at = take(n);
            return new In(buf, at, at + n);
        }

        /** 4-byte length (-1 for {@code null}), then UTF-8 ({@link Out#writeString}). */
        public String readString() {
            int n = readInt();
            if (n == NULL) {
                return null;
            }
            int at = take(length(n));
            return new String(buf, at, n, StandardCharsets.UTF_8);
        }

        /** 2-byte length, then UTF-8 ({@link Out#writeShortString}). */
        public String readShortString() {
            int n = readUnsignedShort();
            int at = take(n);
            return new String(buf, at, n, StandardCharsets.UTF_8);
        }

        /** {@link java.io.DataInput#readUTF} ({@link Out#writeUTF}). */
        public String readUTF() {
            int n = readUnsignedShort();
            int at = take(n);
            try {
                return new DataInputStream(new ByteArrayInputStream(buf, at - 2, n + 2)).readUTF();
            } catch (IOException e) {
                throw new Malformed("malformed modified UTF-8 at byte " + at + ": " + e.getMessage());
            }
        }

        /**
         * A count of records that take at least {@code minBytes} each: refused when the bytes left
         * cannot hold that many (damaged input must not size an allocation).
         */
        public int readCount(int minBytes) {
            int n = readInt();
            if (n < 0 || n > available() / minBytes) {
                throw new Malformed("implausible count " + n);
            }
            return n;
        }

        private int length(int n) {
            if (n < 0) {
                throw new Malformed("negative length " + n + " at byte " + (pos - 4));
            }
            return n;
        }
    }
}
