package org.palaver.component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.palaver.xml.StreamError;
import org.palaver.xml.XmlWriter;

/**
 * The XEP-0114 handshake as jabberd2 expects it (spec §2.1): the component opens a stream to its own
 * domain without a {@code version}, and proves the shared secret with
 * {@code lowercase hex(SHA-1(streamId + secret))}.
 */
public final class Handshake {
    public static final String CLOSE_STREAM = "</stream:stream>";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Handshake() {
    }

    /** The opening stream header; no {@code version} so jabberd2 sends no features (spec §2.1). */
    public static String streamHeader(String domain) {
        return "<stream:stream xmlns='jabber:component:accept' xmlns:stream='" + XmlWriter.NS_STREAMS
                + "' to='" + XmlWriter.escapeAttr(domain) + "'>";
    }

    /** The {@code <handshake>} element proving the secret for this stream id. */
    public static String handshakeElement(String streamId, String secret) {
        return "<handshake>" + digest(streamId, secret) + "</handshake>";
    }

    /** Lower-case hex SHA-1 of the UTF-8 bytes of {@code streamId + secret}. */
    public static String digest(String streamId, String secret) {
        byte[] hash = sha1().digest((streamId + secret).getBytes(StandardCharsets.UTF_8));
        char[] out = new char[hash.length * 2];
        for (int i = 0; i < hash.length; i++) {
            out[2 * i] = HEX[(hash[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[hash[i] & 0xf];
        }
        return new String(out);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-1", e);
        }
    }

    /** A stream error as jabberd2 writes it, followed by the stream close (spec §2.2). */
    public static String streamError(String condition, String text) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("<stream:error><").append(condition)
                .append(" xmlns='").append(StreamError.NAMESPACE).append("'/>");
        if (text != null && !text.isEmpty()) {
            sb.append("<text xmlns='").append(StreamError.NAMESPACE).append("'>");
            XmlWriter.escapeText(text, sb);
            sb.append("</text>");
        }
        return sb.append("</stream:error>").append(CLOSE_STREAM).toString();
    }
}
