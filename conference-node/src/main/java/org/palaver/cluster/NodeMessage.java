package org.palaver.cluster;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

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
 */
record NodeMessage(Type type, long epoch, String sender, int hops, String key, byte[] payload) {
    static final byte MAGIC = 'P';
    static final int VERSION = 1;
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
        OUTPUT;

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
        byte[] s = sender.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        Buffer b = Buffer.buffer(20 + s.length + k.length + payload.length);
        b.appendByte(MAGIC).appendByte((byte) VERSION).appendByte((byte) type.ordinal())
                .appendByte((byte) Math.min(hops, 127)).appendLong(epoch);
        b.appendShort((short) s.length).appendBytes(s);
        b.appendShort((short) k.length).appendBytes(k);
        b.appendInt(payload.length).appendBytes(payload);
        return b;
    }

    /** {@link IllegalArgumentException} with a readable reason for anything malformed. */
    static NodeMessage decode(Buffer b) {
        try {
            if (b.length() < 12 || b.getByte(0) != MAGIC) {
                throw new IllegalArgumentException("not a node message (" + b.length() + " bytes)");
            }
            int version = b.getUnsignedByte(1);
            if (version < 1) {
                throw new IllegalArgumentException("node message version " + version + " is unknown");
            }
            Type type = Type.of(b.getUnsignedByte(2));
            int hops = b.getUnsignedByte(3);
            long epoch = b.getLong(4);
            int pos = 12;
            int sLen = b.getUnsignedShort(pos);
            String sender = b.getString(pos + 2, pos + 2 + sLen, "UTF-8");
            pos += 2 + sLen;
            int kLen = b.getUnsignedShort(pos);
            String key = b.getString(pos + 2, pos + 2 + kLen, "UTF-8");
            pos += 2 + kLen;
            int pLen = b.getInt(pos);
            if (pLen < 0 || pos + 4 + pLen > b.length()) {
                throw new IllegalArgumentException("node message payload length " + pLen + " exceeds the message");
            }
            return new NodeMessage(type, epoch, sender, hops, key, b.getBytes(pos + 4, pos + 4 + pLen));
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated node message (" + b.length() + " bytes)", e);
        }
    }
}
