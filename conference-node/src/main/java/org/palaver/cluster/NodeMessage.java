package org.palaver.cluster;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.palaver.core.Binary;

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
 * @param payload STANZA: the stanza's bytes; PARSED_STANZA: the stanza in its parsed form
 *                ({@link org.palaver.xml.ElementCodec}); HANDOFF: the room's encoded state; SNAPSHOT,
 *                DELTA, PARSED_DELTA, BEAT: a {@link BackupPayload}; OUTPUT: a {@link RelayedOutput}; else empty
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
 * STANZA and PARSED_STANZA: the one mark (ingress node, its sequence number) that names the stanza until it is
 * applied; DELTA and PARSED_DELTA: the mark of the stanza applied, if it had one; SNAPSHOT and HANDOFF: the room's
 * marks, per ingress node the highest sequence number applied to it; ACK: per room (the id is the
 * room key) the highest sequence number of the receiver's stanzas that the sender holds applied.
 *
 * <p>PARSED_STANZA and PARSED_DELTA (protocol {@value #PARSED_PROTOCOL}; sent only when every member
 * speaks it) are STANZA and DELTA with the stanza in the parsed form instead of XML (golden file
 * {@code node-message-parsed-v1.bin}).
 *
 * <p>KNOWN_DELTA (protocol {@value #KNOWN_DELTA_PROTOCOL}; sent only when every member speaks it) is a
 * DELTA whose {@link BackupPayload} has an empty body, sent to a room's only backup when that node is
 * the ingress node of the stanza applied: the one mark names the stanza in the receiver's own
 * {@link ForwardLedger}, whose bytes the backup logs (golden file {@code node-message-KNOWN_DELTA-v2.bin}).
 * A stanza's bytes thus cross between the two nodes once instead of twice.
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
    /** The {@link ClusterProtocol} that introduced {@link Type#PARSED_STANZA} and {@link Type#PARSED_DELTA}. */
    static final int PARSED_PROTOCOL = 3;
    /** The {@link ClusterProtocol} that introduced {@link Type#KNOWN_DELTA}. */
    static final int KNOWN_DELTA_PROTOCOL = 4;
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
        /** Replication: the full state of a room the sender owns, for the receiver's backup ({@link BackupPayload}). */
        SNAPSHOT,
        /** Replication: one stanza the owner applied to the room, with its sequence number and time. */
        DELTA,
        /** Replication: the owner's heartbeat time, for all its rooms the receiver backs up. */
        BEAT,
        /** Replication: forget the backup of this room (it left the sender, or its backup moved). */
        DROP,
        /** Replication, backup to owner: "my backup of this room missed a change; send a snapshot". */
        RESYNC,
        /** Output of the sender's core, which has no router connection, for the receiver to write on its own ({@link RelayedOutput}). */
        OUTPUT,
        /** Several messages to the receiver in one, in send order (protocol {@value NodeMessage#BATCH_PROTOCOL}). */
        BATCH,
        /**
         * "Your stanzas up to these sequence numbers are applied in these rooms (and in their
         * backups)": the marks, one per room, cumulative (protocol {@value NodeMessage#MARKS_PROTOCOL}).
         */
        ACK,
        /**
         * STANZA with the stanza in its parsed form ({@link org.palaver.xml.ElementCodec}), not XML:
         * the owner reads it without parsing XML again (protocol {@value NodeMessage#PARSED_PROTOCOL}).
         */
        PARSED_STANZA,
        /** DELTA whose body is the stanza in its parsed form (protocol {@value NodeMessage#PARSED_PROTOCOL}). */
        PARSED_DELTA,
        /**
         * DELTA without the stanza, to the backup that is the stanza's ingress node: it still holds the
         * stanza it forwarded, which the mark names (protocol {@value NodeMessage#KNOWN_DELTA_PROTOCOL}).
         */
        KNOWN_DELTA;

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
        Binary.Out b = new Binary.Out(size());
        encodeTo(b);
        return Buffer.buffer(b.toByteArray());
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

    private void encodeTo(Binary.Out b) {
        b.writeByte(MAGIC).writeByte(marks.isEmpty() ? VERSION : MARKS_VERSION).writeByte(type.ordinal())
                .writeByte(Math.min(hops, 127)).writeLong(epoch);
        b.writeShortString(sender);
        b.writeShortString(key);
        b.writeBlock(payload);
        if (!marks.isEmpty()) {
            b.writeShort(marks.size());
            for (Mark m : marks) {
                b.writeShortString(m.id()).writeLong(m.seq());
            }
        }
    }

    /**
     * One BATCH message from {@code sender} holding {@code messages} in order: the receiver handles
     * them as if they had come one by one. Only for receivers speaking {@link #BATCH_PROTOCOL}.
     */
    static Buffer batch(String sender, Iterable<NodeMessage> messages, int sizeHint) {
        Binary.Out b = new Binary.Out(FIXED + sender.length() + 6 + sizeHint);
        b.writeByte(MAGIC).writeByte(VERSION).writeByte(Type.BATCH.ordinal())
                .writeByte(0).writeLong(0);
        b.writeShortString(sender);
        b.writeShortString("");
        b.record(payload -> {
            for (NodeMessage m : messages) {
                payload.record(m::encodeTo);
            }
        });
        return Buffer.buffer(b.toByteArray());
    }

    /** The messages of a BATCH's payload, in order; {@link IllegalArgumentException} for anything malformed. */
    static List<NodeMessage> unbatch(Buffer buffer) {
        byte[] b = buffer.getBytes();
        BatchStrings strings = new BatchStrings(b);
        Frame batch = frame(b, 0, b.length, strings);
        if (batch.type != Type.BATCH) {
            throw new IllegalArgumentException("a " + batch.type + " is not a batch");
        }
        List<NodeMessage> out = new ArrayList<>();
        Binary.In entries = new Binary.In(b, batch.payloadAt, batch.payloadAt + batch.payloadLength);
        while (entries.available() > 0) {
            if (entries.available() < 4) {
                throw new IllegalArgumentException("truncated batch entry at byte " + entries.position());
            }
            int len = entries.readInt();
            if (len < 0 || len > entries.available()) {
                throw new IllegalArgumentException("batch entry length " + len + " exceeds the batch");
            }
            int pos = entries.position();
            NodeMessage m = decode(b, pos, pos + len, strings);
            if (m.type == Type.BATCH) {
                throw new IllegalArgumentException("a batch inside a batch");
            }
            out.add(m);
            entries.skip(len);
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
        byte[] bytes = b.getBytes();
        return decode(bytes, 0, bytes.length, new BatchStrings(bytes));
    }

    private static NodeMessage decode(byte[] b, int start, int end, BatchStrings strings) {
        Frame f = frame(b, start, end, strings);
        return new NodeMessage(f.type, f.epoch, f.sender, f.hops, f.key,
                Arrays.copyOfRange(b, f.payloadAt, f.payloadAt + f.payloadLength), f.marks);
    }

    /** A message's fields read from {@code b} between {@code start} and {@code end}, the payload as its position. */
    private record Frame(Type type, long epoch, String sender, int hops, String key, int payloadAt, int payloadLength,
                         List<Mark> marks) {
    }

    /** The marks field that {@code in} is at; bytes after it (fields of a later version) are skipped. */
    private static List<Mark> marks(Binary.In in, BatchStrings strings) {
        if (in.available() < 2) {
            throw new IllegalArgumentException("truncated marks of a node message");
        }
        int count = in.readUnsignedShort();
        List<Mark> marks = new ArrayList<>(Math.min(count, in.available() / 10 + 1));
        for (int i = 0; i < count; i++) {
            try {
                String id = strings.read(in);
                marks.add(new Mark(id, in.readLong()));
            } catch (Binary.Malformed e) {
                throw new IllegalArgumentException("node message mark " + i + " exceeds the message", e);
            }
        }
        return marks;
    }

    private static Frame frame(byte[] b, int start, int end, BatchStrings strings) {
        try {
            if (end - start < 12 || b[start] != MAGIC) {
                throw new IllegalArgumentException("not a node message (" + (end - start) + " bytes)");
            }
            Binary.In in = new Binary.In(b, start + 1, end);
            int version = in.readUnsignedByte();
            if (version < 1) {
                throw new IllegalArgumentException("node message version " + version + " is unknown");
            }
            Type type = Type.of(in.readUnsignedByte());
            int hops = in.readUnsignedByte();
            long epoch = in.readLong();
            String sender = strings.read(in);
            String key = strings.read(in);
            int pLen = in.readInt();
            if (pLen < 0 || pLen > in.available()) {
                throw new IllegalArgumentException("node message payload length " + pLen + " exceeds the message");
            }
            int payloadAt = in.position();
            in.skip(pLen);
            List<Mark> marks = version >= MARKS_VERSION && in.available() > 0 ? marks(in, strings) : List.of();
            return new Frame(type, epoch, sender, hops, key, payloadAt, pLen, marks);
        } catch (Binary.Malformed e) {
            throw new IllegalArgumentException("truncated node message (" + (end - start) + " bytes)", e);
        }
    }

    /**
     * The strings read from one event-bus message: the messages of a batch repeat the sender, the
     * node ids of their marks and often a room key, so each is read into one instance, whose hash
     * the lookups by it then compute once, rather than a new string per message.
     */
    private static final class BatchStrings {
        private static final int SLOTS = 8;
        private final byte[] b;
        private final String[] strings = new String[SLOTS];
        private final int[] at = new int[SLOTS];
        private final int[] length = new int[SLOTS];
        private int count;
        private int next;

        BatchStrings(byte[] b) {
            this.b = b;
        }

        /** A 2-byte length and that many bytes of UTF-8 ({@link Binary.In#readShortString}), from {@code in} over this message's bytes. */
        String read(Binary.In in) {
            int n = in.readUnsignedShort();
            int pos = in.position();
            in.skip(n);
            for (int i = 0; i < count; i++) {
                if (length[i] == n && Arrays.equals(b, at[i], at[i] + n, b, pos, pos + n)) {
                    return strings[i];
                }
            }
            String s = new String(b, pos, n, StandardCharsets.UTF_8);
            strings[next] = s;
            at[next] = pos;
            length[next] = n;
            next = (next + 1) % SLOTS;
            count = Math.min(count + 1, SLOTS);
            return s;
        }
    }
}
