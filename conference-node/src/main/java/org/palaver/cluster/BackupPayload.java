package org.palaver.cluster;

import org.palaver.core.Binary;

/**
 * The payload of the replication messages SNAPSHOT, DELTA and BEAT (see {@link NodeMessage}):
 * the change's sequence number (8 bytes), the owner's time of the change in epoch ms (8 bytes),
 * then the body: a room's encoded state (SNAPSHOT), the stanza's bytes (DELTA), nothing (BEAT).
 *
 * @param seq  per-room sequence number (SNAPSHOT, DELTA); 0 for BEAT
 * @param now  the owner's {@code now} for the change (DELTA, BEAT); 0 for SNAPSHOT
 * @param body what follows
 */
record BackupPayload(long seq, long now, byte[] body) {
    private static final int HEADER = 16;

    byte[] encode() {
        return new Binary.Out(HEADER + body.length).writeLong(seq).writeLong(now).write(body).toByteArray();
    }

    /** {@link IllegalArgumentException} when shorter than the header. */
    static BackupPayload decode(byte[] bytes) {
        if (bytes.length < HEADER) {
            throw new IllegalArgumentException("replication payload of " + bytes.length + " bytes is truncated");
        }
        Binary.In in = new Binary.In(bytes);
        long seq = in.readLong();
        long now = in.readLong();
        return new BackupPayload(seq, now, in.rest());
    }
}
