package org.palaver.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.palaver.xml.Jid;

/**
 * The participant's in-room identity (spec §1.4): lowercase hex SHA-1 of the UTF-8 bytes of the
 * full real JID, exactly as the original's {@code shahash(jid_full(...))}. Deterministic on
 * purpose (same hash in every room and across rejoins); unsalted for fidelity.
 */
final class HashId {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private HashId() {
    }

    static String of(Jid realJid) {
        return sha1Hex(realJid.toString());
    }

    static String sha1Hex(String s) {
        byte[] digest = sha1().digest(s.getBytes(StandardCharsets.UTF_8));
        char[] hex = new char[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return new String(hex);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-1", e);
        }
    }
}
