package org.palaver.xml;

import io.netty.buffer.ByteBuf;

/**
 * One broadcast stanza serialised once, for many recipients: the bytes before and after the value
 * of {@code to}, which is written as the first attribute. Each copy is then three byte copies
 * ({@code prefix + to.escapedUtf8() + suffix}), never a new serialisation.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class FanoutBytes {
    private final byte[] prefix;
    private final byte[] suffix;

    private FanoutBytes(byte[] prefix, byte[] suffix) {
        this.prefix = prefix;
        this.suffix = suffix;
    }

    /**
     * Serialises the template once. A {@code to} attribute on the template is ignored: every copy
     * gets its own. The template may be changed afterwards without affecting the bytes.
     */
    public static FanoutBytes of(Element templateWithoutTo) {
        StringBuilder sb = StanzaBytes.scratch();
        sb.append('<').append(XmlWriter.stanzaName(templateWithoutTo)).append(" to='");
        byte[] prefix = StanzaBytes.utf8(sb);
        sb = StanzaBytes.scratch();
        sb.append('\'');
        XmlWriter.writeStanzaRest(templateWithoutTo, "to", sb);
        return new FanoutBytes(prefix, StanzaBytes.utf8(sb));
    }

    /** Appends the copy addressed to {@code to}. */
    public void writeCopy(ByteBuf out, Jid to) {
        out.writeBytes(prefix).writeBytes(to.escapedUtf8()).writeBytes(suffix);
    }

    /** Bytes {@link #writeCopy} appends for {@code to}: lets the writer size its batch buffer. */
    public int copySize(Jid to) {
        return prefix.length + to.escapedUtf8().length + suffix.length;
    }
}
