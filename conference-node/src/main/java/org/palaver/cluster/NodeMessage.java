package org.palaver.cluster;

import io.vertx.core.buffer.Buffer;
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
 * @param payload STANZA: the stanza's bytes; HANDOFF: the room's encoded state; SNAPSHOT, DELTA,
 *                BEAT: a {@link BackupPayload}; OUTPUT: a {@link RelayedOutput}; else empty
 *
 * <p>BATCH (protocol {@value #BATCH_PROTOCOL}; sent only when every member speaks it) carries
 * several messages for one receiver in one event-bus message: its payload is a sequence of
 * (4-byte length, a message in the form above), in send order ({@link #batch}, {@link #unbatch}).
 */
record NodeMessage(Type type, long epoch, String sender, int hops, String key, byte[] payload) {
    static final byte MAGIC = 'P';
    static final int VERSION = 1;
    /** The {@link ClusterProtocol} that introduced {@link Type#BATCH}. */
    static final int BATCH_PROTOCOL = 2;
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
        BATCH;

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
        Binary.Out b = new Binary.Out(size());
        encodeTo(b);
        return Buffer.buffer(b.toByteArray());
    }

    /** Bytes of {@link #encode()}, about (non-ASCII ids and keys take more). */
    int size() {
        return FIXED + 2 + sender.length() + key.length() + 4 + payload.length;
    }

    private void encodeTo(Binary.Out b) {
        b.writeByte(MAGIC).writeByte(VERSION).writeByte(type.ordinal())
                .writeByte(Math.min(hops, 127)).writeLong(epoch);
        b.writeShortString(sender);
        b.writeShortString(key);
        b.writeBlock(payload);
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
        Frame batch = frame(b, 0, b.length);
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
            NodeMessage m = decode(b, pos, pos + len);
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
        return decode(bytes, 0, bytes.length);
    }

    private static NodeMessage decode(byte[] b, int start, int end) {
        Frame f = frame(b, start, end);
        return new NodeMessage(f.type, f.epoch, f.sender, f.hops, f.key,
                Arrays.copyOfRange(b, f.payloadAt, f.payloadAt + f.payloadLength));
    }

    /** A message's fields read from {@code b} between {@code start} and {@code end}, the payload as its position. */
    private record Frame(Type type, long epoch, String sender, int hops, String key, int payloadAt, int payloadLength) {
    }

    private static Frame frame(byte[] b, int start, int end) {
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
            String sender = in.readShortString();
            String key = in.readShortString();
            int pLen = in.readInt();
            if (pLen < 0 || pLen > in.available()) {
                throw new IllegalArgumentException("node message payload length " + pLen + " exceeds the message");
            }
            return new Frame(type, epoch, sender, hops, key, in.position(), pLen);
        } catch (Binary.Malformed e) {
            throw new IllegalArgumentException("truncated node message (" + (end - start) + " bytes)", e);
        }
    }
}
