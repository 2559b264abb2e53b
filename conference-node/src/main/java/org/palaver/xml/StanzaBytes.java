package org.palaver.xml;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 bytes of stanzas as the stream writes them ({@link XmlWriter#writeStanza}). Serialises
 * through a per-thread scratch builder, so the only allocations are the result's.
 */
public final class StanzaBytes {
    /** Scratch builders larger than this are dropped after use rather than kept per thread. */
    private static final int KEEP_CAPACITY = 64 * 1024;
    private static final ThreadLocal<StringBuilder> SCRATCH = ThreadLocal.withInitial(() -> new StringBuilder(1024));

    private StanzaBytes() {
    }

    /** The stanza's UTF-8 bytes. */
    public static byte[] of(Element stanza) {
        StringBuilder sb = scratch();
        XmlWriter.writeStanza(stanza, sb);
        return utf8(sb);
    }

    /** The per-thread builder, emptied. Hand it back through {@link #utf8}. */
    static StringBuilder scratch() {
        StringBuilder sb = SCRATCH.get();
        sb.setLength(0);
        return sb;
    }

    /** Encodes a scratch builder's content, releasing the builder if it grew large. */
    static byte[] utf8(StringBuilder sb) {
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (sb.capacity() > KEEP_CAPACITY) {
            SCRATCH.remove();
        }
        return bytes;
    }
}
