package org.palaver.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * jabberd2's choice among several component connections of one domain (router.c): SHA-1 of the
 * sender's bare JID read as little-endian 32-bit words w0..w4, index = ((w1 ^ w2 ^ w3) >> 2) % n,
 * in bind order. Lets cluster tests pick users that land on a given node's connection.
 */
public final class RouterHash {
    private RouterHash() {
    }

    public static int index(String bareJid, int connections) {
        byte[] d;
        try {
            d = MessageDigest.getInstance("SHA-1").digest(bareJid.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long x = (word(d, 1) ^ word(d, 2) ^ word(d, 3)) >>> 2;
        return (int) (x % connections);
    }

    private static long word(byte[] d, int i) {
        int o = 4 * i;
        return (d[o] & 0xffL) | (d[o + 1] & 0xffL) << 8 | (d[o + 2] & 0xffL) << 16 | (d[o + 3] & 0xffL) << 24;
    }
}
