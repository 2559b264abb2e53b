package org.palaver.core;

import org.palaver.xml.Jid;

/**
 * A room's complete state, portable between nodes and versions: an opaque, versioned byte form
 * (layout and versioning rules: {@link RoomCodec}). Made by {@link ConferenceService#exportRoom},
 * installed by {@link ConferenceService#importRoom}; the shell only carries the bytes.
 * Immutable.
 */
public final class RoomState {
    private final Jid room;
    private final byte[] bytes;

    RoomState(Jid room, byte[] bytes) {
        this.room = room;
        this.bytes = bytes;
    }

    /** The room key (bare, node lower-cased: {@link Jid#roomKey()}). */
    public Jid room() {
        return room;
    }

    /** The encoded form (schema version first); a copy. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The encoded form without copying, for the core's own use. */
    byte[] encoded() {
        return bytes;
    }

    /**
     * Reads an encoded form, checking all of it; {@link IllegalArgumentException} with a readable
     * message on bad, truncated or unknown (newer major version) input.
     */
    public static RoomState decode(byte[] bytes) {
        byte[] copy = bytes.clone();
        return new RoomState(RoomCodec.decode(copy).jid, copy);
    }

    @Override
    public String toString() {
        return "RoomState[" + room + ", " + bytes.length + " bytes]";
    }
}
