package org.palaver.cluster;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One message between nodes on the event bus, sent point to point to the receiver's own address.
 *
 * <p>Wire form (big-endian): the magic byte {@code 'P'}, the format version, the type, the hop
 * count, the epoch (8 bytes), then three length-prefixed fields: sender node id (2-byte length,
 * UTF-8), room key (2-byte length, UTF-8, empty when none), payload (4-byte length). A reader
 * accepts any version ≥ 1 and ignores bytes after the fields it knows, so a later version may
 * append fields (invariant 5); an unknown type is reported, not guessed at.
 *
 * @param epoch   STANZA: the ownership epoch under which the receiving node routed it (the
 *                ingress node's, kept through relays); other types: the epoch they speak about
 * @param hops    how often the stanza was relayed after the ingress node sent it
 * @param key     the room key (STANZA, HANDOFF and the replication types but BEAT), else empty
 * @param payload STANZA: the stanza's bytes; HANDOFF: the room's encoded state; SNAPSHOT, DELTA,
 *                BEAT: a {@link ReplicaPayload}; OUTPUT: a {@link RelayedOutput}; else empty
 *
 * <p>BATCH (protocol {@value #BATCH_PROTOCOL}; sent only when every member speaks it) carries
 * several messages for one receiver in one event-bus message: its payload is a sequence of
 * (4-byte length, a message in the form above), in send order ({@link #batch}, {@link #unbatch}).
 *
 * <p>Version 2 (protocol {@value #MARKS_PROTOCOL}) appends one field after the payload, the
 * {@linkplain Mark marks}: a 2-byte count, then per mark a 2-byte length, the UTF-8 id and an
 * 8-byte sequence number. A message without marks is written as version 1, byte for byte as
 * before; a release 0.1.0 reader skips the field (trailing bytes). What the marks say depends on
 * the type (docs/architecture.md, "No loss of accepted stanzas"):
 * STANZA: the one mark (ingress node, its sequence number) that names the stanza until it is
 * applied; DELTA: the mark of the stanza applied, if it had one; SNAPSHOT and HANDOFF: the room's
 * marks, per ingress node the highest sequence number applied to it; ACK: per room (the id is the
 * room key) the highest sequence number of the receiver's stanzas that the sender holds applied.
 *
 * @param marks see above; empty for none
 */
record NodeMessage(Type type, long epoch, String sender, int hops, String key, byte[] payload, List<Mark> marks) {
    static final byte MAGIC = 'P';
    static final int VERSION = 1;
    /** The {@link ClusterProtocol} that introduced {@link Type#BATCH}. */
    static final int BATCH_PROTOCOL = 2;
    /** The {@link ClusterProtocol} that introduced {@link Type#ACK} and the marks (version 2). */
    static final int MARKS_PROTOCOL = 2;
    /** The version of a message with marks. */
    static final int MARKS_VERSION = 2;
    /** Bytes of a message before its sender id: magic, version, type, hops, epoch, sender length. */
    private static final int FIXED = 14;
    private static final byte[] NONE = new byte[0];

    enum Type {
        /** A stanza for a room owned by the receiver (or to be relayed towards the owner). */
        STANZA,
        /** A room's complete state, moving to the receiver. */
        HANDOFF,
        /** "I now route by {@code epoch}; everything I forwarded you before came before this." */
        FLUSH,
        /** "At {@code epoch} I hold no room of yours and have passed on everything sent to me before." */
        DONE,
        /** Replication: the full state of a room the sender owns, for the receiver's backup copy ({@link ReplicaPayload}). */
        SNAPSHOT,
        /** Replication: one stanza the owner applied to the room, with its sequence number and time. */
        DELTA,
        /** Replication: the owner's heartbeat time, for all its rooms the receiver backs up. */
        BEAT,
        /** Replication: forget the backup copy of this room (it left the sender, or its backup moved). */
        DROP,
        /** Replication, backup to owner: "my copy of this room missed a change; send a snapshot". */
        RESYNC,
        /** Output of the sender's core, which has no router connection, for the receiver to write on its own ({@link RelayedOutput}). */
        OUTPUT,
        /** Several messages to the receiver in one, in send order (protocol {@value NodeMessage#BATCH_PROTOCOL}). */
        BATCH,
        /**
         * "Your stanzas up to these sequence numbers are applied in these rooms (and in their
         * backups)": the marks, one per room, cumulative (protocol {@value NodeMessage#MARKS_PROTOCOL}).
         */
        ACK;

        static Type of(int code) {
            Type[] all = values();
            if (code < 0 || code >= all.length) {
                throw new UnknownType(code);
            }
            return all[code];
        }
    }

    /**
     * A sequence number given by a node: {@code id} is the node that numbered a stanza it
     * forwarded (in an ACK: the room key), {@code seq} the number (in a room's marks and an ACK:
     * the highest one applied).
     */
    record Mark(String id, long seq) {
    }

    /** A message without marks (every type but those that carry them, and those of protocol 1). */
    NodeMessage(Type type, long epoch, String sender, int hops, String key, byte[] payload) {
        this(type, epoch, sender, hops, key, payload, List.of());
    }

    NodeMessage {
        marks = List.copyOf(marks);
    }

    /** A well-formed message of a type this version does not know (a newer node sent it). */
    static final class UnknownType extends IllegalArgumentException {
        UnknownType(int code) {
            super("unknown node message type " + code);
        }
    }

    static NodeMessage marker(Type type, long epoch, String sender) {
        return new NodeMessage(type, epoch, sender, 0, "", NONE);
    }

    /** A message about room {@code key} with {@code payload}, not relayed. */
    static NodeMessage about(Type type, long epoch, String sender, String key, byte[] payload) {
        return new NodeMessage(type, epoch, sender, 0, key, payload);
    }

    /** The same stanza (or room), relayed once more by {@code relay}, with its marks. */
    NodeMessage relayedBy(String relay) {
        return new NodeMessage(type, epoch, relay, hops + 1, key, payload, marks);
    }

    /** The same message with {@code marks}. */
    NodeMessage withMarks(List<Mark> marks) {
        return new NodeMessage(type, epoch, sender, hops, key, payload, marks);
    }

    /** The first mark, or null: a STANZA's name, a DELTA's stanza. */
    Mark mark() {
        return marks.isEmpty() ? null : marks.get(0);
    }

    Buffer encode() {
        Buffer b = Buffer.buffer(size());
        encodeTo(b);
        return b;
    }

    /** Bytes of {@link #encode()}, about (non-ASCII ids and keys take more). */
    int size() {
        int size = FIXED + 2 + sender.length() + key.length() + 4 + payload.length;
        if (!marks.isEmpty()) {
            size += 2;
            for (Mark m : marks) {
                size += 2 + m.id().length() + 8;
            }
        }
        return size;
    }

    private void encodeTo(Buffer b) {
        byte[] s = sender.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        b.appendByte(MAGIC).appendByte((byte) (marks.isEmpty() ? VERSION : MARKS_VERSION))
                .appendByte((byte) type.ordinal()).appendByte((byte) Math.min(hops, 127)).appendLong(epoch);
        b.appendShort((short) s.length).appendBytes(s);
        b.appendShort((short) k.length).appendBytes(k);
        b.appendInt(payload.length).appendBytes(payload);
        if (!marks.isEmpty()) {
            b.appendShort((short) marks.size());
            for (Mark m : marks) {
                byte[] id = m.id().getBytes(StandardCharsets.UTF_8);
                b.appendShort((short) id.length).appendBytes(id).appendLong(m.seq());
            }
        }
    }

    /**
     * One BATCH message from {@code sender} holding {@code messages} in order: the receiver handles
     * them as if they had come one by one. Only for receivers speaking {@link #BATCH_PROTOCOL}.
     */
    static Buffer batch(String sender, Iterable<NodeMessage> messages, int sizeHint) {
        byte[] s = sender.getBytes(StandardCharsets.UTF_8);
        Buffer b = Buffer.buffer(FIXED + s.length + 6 + sizeHint);
        b.appendByte(MAGIC).appendByte((byte) VERSION).appendByte((byte) Type.BATCH.ordinal())
                .appendByte((byte) 0).appendLong(0);
        b.appendShort((short) s.length).appendBytes(s);
        b.appendShort((short) 0);
        int payloadAt = b.length();
        b.appendInt(0);
        for (NodeMessage m : messages) {
            int at = b.length();
            b.appendInt(0);
            m.encodeTo(b);
            b.setInt(at, b.length() - at - 4);
        }
        b.setInt(payloadAt, b.length() - payloadAt - 4);
        return b;
    }

    /** The messages of a BATCH's payload, in order; {@link IllegalArgumentException} for anything malformed. */
    static List<NodeMessage> unbatch(Buffer b) {
        Frame batch = frame(b, 0, b.length());
        if (batch.type != Type.BATCH) {
            throw new IllegalArgumentException("a " + batch.type + " is not a batch");
        }
        List<NodeMessage> out = new ArrayList<>();
        int pos = batch.payloadAt;
        int end = batch.payloadAt + batch.payloadLength;
        while (pos < end) {
            if (pos + 4 > end) {
                throw new IllegalArgumentException("truncated batch entry at byte " + pos);
            }
            int len = b.getInt(pos);
            if (len < 0 || pos + 4 + len > end) {
                throw new IllegalArgumentException("batch entry length " + len + " exceeds the batch");
            }
            NodeMessage m = decode(b, pos + 4, pos + 4 + len);
            if (m.type == Type.BATCH) {
                throw new IllegalArgumentException("a batch inside a batch");
            }
            out.add(m);
            pos += 4 + len;
        }
        return out;
    }

    /** The type of the message in {@code b} without decoding the rest; {@link IllegalArgumentException} if malformed. */
    static Type typeOf(Buffer b) {
        if (b.length() < 12 || b.getByte(0) != MAGIC) {
            throw new IllegalArgumentException("not a node message (" + b.length() + " bytes)");
        }
        return Type.of(b.getUnsignedByte(2));
    }

    /** {@link IllegalArgumentException} with a readable reason for anything malformed. */
    static NodeMessage decode(Buffer b) {
        return decode(b, 0, b.length());
    }

    private static NodeMessage decode(Buffer b, int start, int end) {
        Frame f = frame(b, start, end);
        return new NodeMessage(f.type, f.epoch, f.sender, f.hops, f.key,
                b.getBytes(f.payloadAt, f.payloadAt + f.payloadLength), f.marks);
    }

    /** A message's fields read from {@code b} between {@code start} and {@code end}, the payload as its position. */
    private record Frame(Type type, long epoch, String sender, int hops, String key, int payloadAt, int payloadLength,
                         List<Mark> marks) {
    }

    /** The marks field at {@code pos}; bytes after it (fields of a later version) are skipped. */
    private static List<Mark> marks(Buffer b, int pos, int end) {
        if (pos + 2 > end) {
            throw new IllegalArgumentException("truncated marks of a node message");
        }
        int count = b.getUnsignedShort(pos);
        pos += 2;
        List<Mark> marks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int len = b.getUnsignedShort(pos);
            if (pos + 2 + len + 8 > end) {
                throw new IllegalArgumentException("node message mark " + i + " exceeds the message");
            }
            String id = b.getString(pos + 2, pos + 2 + len, "UTF-8");
            marks.add(new Mark(id, b.getLong(pos + 2 + len)));
            pos += 2 + len + 8;
        }
        return marks;
    }

    private static Frame frame(Buffer b, int start, int end) {
        try {
            if (end - start < 12 || b.getByte(start) != MAGIC) {
                throw new IllegalArgumentException("not a node message (" + (end - start) + " bytes)");
            }
            int version = b.getUnsignedByte(start + 1);
            if (version < 1) {
                throw new IllegalArgumentException("node message version " + version + " is unknown");
            }
            Type type = Type.of(b.getUnsignedByte(start + 2));
            int hops = b.getUnsignedByte(start + 3);
            long epoch = b.getLong(start + 4);
            int pos = start + 12;
            int sLen = b.getUnsignedShort(pos);
            String sender = b.getString(pos + 2, pos + 2 + sLen, "UTF-8");
            pos += 2 + sLen;
            int kLen = b.getUnsignedShort(pos);
            String key = b.getString(pos + 2, pos + 2 + kLen, "UTF-8");
            pos += 2 + kLen;
            int pLen = b.getInt(pos);
            if (pLen < 0 || pos + 4 + pLen > end) {
                throw new IllegalArgumentException("node message payload length " + pLen + " exceeds the message");
            }
            List<Mark> marks = version >= MARKS_VERSION && pos + 4 + pLen < end
                    ? marks(b, pos + 4 + pLen, end) : List.of();
            return new Frame(type, epoch, sender, hops, key, pos + 4, pLen, marks);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated node message (" + (end - start) + " bytes)", e);
        }
    }
}
