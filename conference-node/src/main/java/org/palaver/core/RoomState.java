package org.palaver.core;

import org.palaver.xml.Jid;

/** A room's complete state, portable between nodes and versions: an opaque, versioned byte form. */
public final class RoomState {
    private final Jid room;
    private final byte[] bytes;

    private RoomState(Jid room, byte[] bytes) {
        this.room = room;
        this.bytes = bytes;
    }

    /** The room key (bare, node lower-cased: {@link Jid#roomKey()}). */
    public Jid room() {
        return room;
    }

    /** The encoded form (schema version first). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Parses an encoded form; {@link IllegalArgumentException} with a readable message on bad or unknown input. */
    public static RoomState decode(byte[] bytes) {
        throw new IllegalArgumentException("room state decoding not implemented yet");
    }
}
