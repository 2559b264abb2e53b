package org.palaver.xml;

/**
 * Strict UTF-8 as RFC 3629 defines it, checked byte by byte across reads: overlong forms
 * ({@code C0 AF}, {@code E0 80 AF}), encoded surrogates ({@code ED A0 80}), code points above
 * U+10FFFF ({@code F4 90 80 80}), stray continuation bytes and truncated sequences are refused,
 * as jabberd2's expat refuses them. Aalto decodes some of these leniently, and the two parsers on
 * either side of the router must agree on what a stanza says.
 */
final class Utf8Check {
    /** Continuation bytes still expected. */
    private int pending;
    /** Bounds of the next byte (unsigned); tighter than 80..BF right after some lead bytes. */
    private int low = 0x80;
    private int high = 0xBF;

    /** Index of the first byte that makes the input invalid, or -1 when all are fine so far. */
    int firstInvalid(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (pending == 0) {
                while (i < end && b[i] >= 0) { // ASCII runs
                    i++;
                }
                if (i == end) {
                    return -1;
                }
                if (!lead(b[i] & 0xFF)) {
                    return i;
                }
            } else {
                int c = b[i] & 0xFF;
                if (c < low || c > high) {
                    return i;
                }
                pending--;
                low = 0x80;
                high = 0xBF;
            }
            i++;
        }
        return -1;
    }

    private boolean lead(int c) {
        if (c >= 0xC2 && c <= 0xDF) {
            pending = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            pending = 2;
            if (c == 0xE0) {
                low = 0xA0; // shorter forms are overlong
            } else if (c == 0xED) {
                high = 0x9F; // above: UTF-16 surrogates
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            pending = 3;
            if (c == 0xF0) {
                low = 0x90;
            } else if (c == 0xF4) {
                high = 0x8F; // above: beyond U+10FFFF
            }
        } else {
            return false; // 80..C1 (continuation or overlong lead), F5..FF
        }
        return true;
    }
}
