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
 * @param payload STANZA: the stanza's bytes; PARSED_STANZA: the stanza in its parsed form
 *                ({@link org.palaver.xml.ElementCodec}); HANDOFF: the room's encoded state; SNAPSHOT,
 *                DELTA, PARSED_DELTA, BEAT: a {@link ReplicaPayload}; OUTPUT: a {@link RelayedOutput}; else empty
 *
 * <p>BATCH (protocol {@value #BATCH_PROTOCOL}; sent only when every member speaks it) carries
 * several messages for one receiver in one event-bus message: its payload is a sequence of
 * (4-byte length, a message in the form above), in send order ({@link #batch}, {@link #unbatch}).
 *
 * <p>PARSED_STANZA and PARSED_DELTA (protocol {@value #PARSED_PROTOCOL}; sent only when every member
 * speaks it) are STANZA and DELTA with the stanza in the parsed form instead of XML (golden file
 * {@code node-message-parsed-v1.bin}).
 */
record NodeMessage(Type type, long epoch, String sender, int hops, String key, byte[] payload) {
    static final byte MAGIC = 'P';
    static final int VERSION = 1;
    /** The {@link ClusterProtocol} that introduced {@link Type#BATCH}. */
    static final int BATCH_PROTOCOL = 2;
    /** The {@link ClusterProtocol} that introduced {@link Type#PARSED_STANZA} and {@link Type#PARSED_DELTA}. */
    static final int PARSED_PROTOCOL = 3;
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
         * STANZA with the stanza in its parsed form ({@link org.palaver.xml.ElementCodec}), not XML:
         * the owner reads it without parsing XML again (protocol {@value NodeMessage#PARSED_PROTOCOL}).
         */
        PARSED_STANZA,
        /** DELTA whose body is the stanza in its parsed form (protocol {@value NodeMessage#PARSED_PROTOCOL}). */
        PARSED_DELTA;

        static Type of(int code) {
            Type[] all = values();
            if (code < 0 || code >= all.length) {
                throw new UnknownType(code);
            }
            return all[code];
        }
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

    /** The same stanza, relayed once more by {@code relay}. */
    NodeMessage relayedBy(String relay) {
        return new NodeMessage(type, epoch, relay, hops + 1, key, payload);
    }

    Buffer encode() {
        Buffer b = Buffer.buffer(size());
        encodeTo(b);
        return b;
    }

    /** Bytes of {@link #encode()}, about (non-ASCII ids and keys take more). */
    int size() {
        return FIXED + 2 + sender.length() + key.length() + 4 + payload.length;
    }

    private void encodeTo(Buffer b) {
        byte[] s = sender.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        b.appendByte(MAGIC).appendByte((byte) VERSION).appendByte((byte) type.ordinal())
                .appendByte((byte) Math.min(hops, 127)).appendLong(epoch);
        b.appendShort((short) s.length).appendBytes(s);
        b.appendShort((short) k.length).appendBytes(k);
        b.appendInt(payload.length).appendBytes(payload);
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
                b.getBytes(f.payloadAt, f.payloadAt + f.payloadLength));
    }

    /** A message's fields read from {@code b} between {@code start} and {@code end}, the payload as its position. */
    private record Frame(Type type, long epoch, String sender, int hops, String key, int payloadAt, int payloadLength) {
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
            return new Frame(type, epoch, sender, hops, key, pos + 4, pLen);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated node message (" + (end - start) + " bytes)", e);
        }
    }
}
