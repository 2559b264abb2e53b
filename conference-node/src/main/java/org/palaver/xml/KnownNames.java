package org.palaver.xml;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The names, namespaces and attribute values that nearly every stanza carries, as one shared
 * {@link String} each: {@link ElementCodec} reads them into these instead of a new string per
 * stanza, so that decoding a stanza allocates less, and the core's lookups by name
 * ({@link Element#attr(String)}, {@link Element#child(String)}) find them by identity and with
 * their hash already computed.
 */
final class KnownNames {
    private static final String[] NAMES = {
        "message", "presence", "iq", "body", "subject", "thread", "x", "query", "error", "item", "status", "show",
        "to", "from", "type", "id", "xml:lang", "xmlns", "nick", "jid", "role", "affiliation",
        "groupchat", "chat", "normal", "unavailable", "get", "set", "result",
        "jabber:component:accept", "jabber:client", "jabber:x:conference", "jabber:iq:conference",
        "http://jabber.org/protocol/muc", "http://jabber.org/protocol/muc#user",
    };
    /** By UTF-8 length, the names of that length and their bytes. */
    private static final String[][] BY_LENGTH = new String[64][];
    private static final byte[][][] BYTES_BY_LENGTH = new byte[64][][];

    static {
        for (String name : NAMES) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            int n = b.length;
            String[] names = BY_LENGTH[n] == null ? new String[0] : BY_LENGTH[n];
            byte[][] bytes = BYTES_BY_LENGTH[n] == null ? new byte[0][] : BYTES_BY_LENGTH[n];
            BY_LENGTH[n] = Arrays.copyOf(names, names.length + 1);
            BY_LENGTH[n][names.length] = name.intern();
            BYTES_BY_LENGTH[n] = Arrays.copyOf(bytes, bytes.length + 1);
            BYTES_BY_LENGTH[n][bytes.length] = b;
        }
    }

    private KnownNames() {
    }

    /** The known name whose UTF-8 is {@code b[at, at + n)}, or null. */
    static String find(byte[] b, int at, int n) {
        if (n >= BY_LENGTH.length || BY_LENGTH[n] == null) {
            return null;
        }
        byte[][] candidates = BYTES_BY_LENGTH[n];
        for (int i = 0; i < candidates.length; i++) {
            if (Arrays.equals(candidates[i], 0, n, b, at, at + n)) {
                return BY_LENGTH[n][i];
            }
        }
        return null;
    }
}
