package org.palaver.xml;

import java.nio.charset.StandardCharsets;

/**
 * Watches a stream's prolog for {@code <!D}: Aalto rejects a DOCTYPE with an internal subset as
 * merely malformed, and the stream error should say what was refused ({@link StreamParser}). The
 * mark may be split over reads.
 */
final class DoctypeWatch {
    private static final byte[] MARK = "<!D".getBytes(StandardCharsets.US_ASCII);
    private int matched;
    private boolean seen;

    /** Looks at the next bytes of the prolog. */
    void scan(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end && !seen; i++) {
            byte c = b[i];
            if (c == MARK[matched]) {
                seen = ++matched == MARK.length;
            } else {
                matched = c == MARK[0] ? 1 : 0;
            }
        }
    }

    /** Whether a document type declaration began in what was scanned. */
    boolean seen() {
        return seen;
    }
}
