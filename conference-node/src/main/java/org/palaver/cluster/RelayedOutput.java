package org.palaver.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of an OUTPUT message (see {@link NodeMessage}): output of the sender's core for the
 * receiver to write on its router connection. Wire form: the recipient count (4 bytes, -1 for a
 * single stanza), each recipient JID (2-byte length, UTF-8), then the stanza's bytes: the stanza
 * itself, or for a broadcast the template without {@code to} that the receiver copies once per
 * recipient (the template travels once, not once per copy).
 *
 * @param recipients a broadcast's recipients; {@code null} for a single stanza
 * @param stanza     the stanza's or the template's bytes
 */
record RelayedOutput(List<String> recipients, byte[] stanza) {
    private static final int SINGLE = -1;

    static RelayedOutput single(byte[] stanza) {
        return new RelayedOutput(null, stanza);
    }

    /** Copies on the router: 1 for a single stanza, else one per recipient. */
    int copies() {
        return recipients == null ? 1 : recipients.size();
    }

    byte[] encode() {
        List<byte[]> jids = new ArrayList<>();
        int size = 4 + stanza.length;
        if (recipients != null) {
            for (String r : recipients) {
                byte[] b = r.getBytes(StandardCharsets.UTF_8);
                jids.add(b);
                size += 2 + b.length;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size).putInt(recipients == null ? SINGLE : recipients.size());
        for (byte[] b : jids) {
            out.putShort((short) b.length).put(b);
        }
        return out.put(stanza).array();
    }

    /** {@link IllegalArgumentException} with a readable reason for anything malformed. */
    static RelayedOutput decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int count = in.getInt();
            if (count < SINGLE || count > bytes.length) {
                throw new IllegalArgumentException("relayed output with " + count + " recipients");
            }
            List<String> recipients = count == SINGLE ? null : new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] jid = new byte[in.getShort() & 0xffff];
                in.get(jid);
                recipients.add(new String(jid, StandardCharsets.UTF_8));
            }
            byte[] stanza = new byte[in.remaining()];
            in.get(stanza);
            return new RelayedOutput(recipients, stanza);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated relayed output (" + bytes.length + " bytes)", e);
        }
    }
}
