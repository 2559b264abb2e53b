package org.palaver.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import org.palaver.core.RoomListing;
import org.palaver.xml.Jid;

/**
 * A {@link RoomListing} as bytes in the cluster's room directory: a format version, then the
 * fields in record order. Readers accept any version ≥ 1 and ignore trailing bytes a later version
 * appends (invariant 5). Version 2 appends {@code hidden}; release 0.1.0 reads it as version 1
 * (it skips the flag, so while it is a member it lists hidden rooms it is asked about:
 * docs/compatibility.md).
 */
final class ListingCodec {
    static final int VERSION = 2;

    private ListingCodec() {
    }

    static byte[] encode(RoomListing l) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(l.room().toString());
            out.writeBoolean(l.displayName() != null);
            if (l.displayName() != null) {
                out.writeUTF(l.displayName());
            }
            out.writeInt(l.participants());
            out.writeBoolean(l.predefined());
            out.writeLong(l.createdMillis());
            out.writeInt(l.registered().size());
            for (Jid j : l.registered()) {
                out.writeUTF(j.toString());
            }
            out.writeBoolean(l.hidden()); // version 2
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@link IllegalArgumentException} for anything unreadable. */
    static RoomListing decode(byte[] b) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            int version = in.readUnsignedByte();
            if (version < 1) {
                throw new IllegalArgumentException("room listing version " + version + " is unknown");
            }
            Jid room = jid(in.readUTF());
            String name = in.readBoolean() ? in.readUTF() : null;
            int participants = in.readInt();
            boolean predefined = in.readBoolean();
            long created = in.readLong();
            int n = in.readInt();
            if (n < 0 || n > b.length) {
                throw new IllegalArgumentException("room listing with " + n + " registrations");
            }
            Set<Jid> registered = new HashSet<>();
            for (int i = 0; i < n; i++) {
                registered.add(jid(in.readUTF()));
            }
            boolean hidden = version >= 2 && in.readBoolean();
            return new RoomListing(room, name, participants, predefined, created, registered, hidden);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated room listing (" + b.length + " bytes)", e);
        }
    }

    private static Jid jid(String s) {
        Jid j = Jid.parse(s);
        if (j == null) {
            throw new IllegalArgumentException("room listing with an invalid JID '" + s + "'");
        }
        return j;
    }
}
