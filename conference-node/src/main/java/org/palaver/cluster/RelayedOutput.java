package org.palaver.cluster;

import java.util.ArrayList;
import java.util.List;
import org.palaver.core.Binary;

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
        Binary.Out out = new Binary.Out(4 + stanza.length + (recipients == null ? 0 : 64 * recipients.size()));
        out.writeInt(recipients == null ? SINGLE : recipients.size());
        if (recipients != null) {
            for (String r : recipients) {
                out.writeShortString(r);
            }
        }
        return out.write(stanza).toByteArray();
    }

    /** {@link IllegalArgumentException} with a readable reason for anything malformed. */
    static RelayedOutput decode(byte[] bytes) {
        try {
            Binary.In in = new Binary.In(bytes);
            int count = in.readInt();
            if (count < SINGLE || count > bytes.length) {
                throw new IllegalArgumentException("relayed output with " + count + " recipients");
            }
            List<String> recipients = count == SINGLE ? null : new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                recipients.add(in.readShortString());
            }
            return new RelayedOutput(recipients, in.rest());
        } catch (Binary.Malformed e) {
            throw new IllegalArgumentException("truncated relayed output (" + bytes.length + " bytes)", e);
        }
    }
}
