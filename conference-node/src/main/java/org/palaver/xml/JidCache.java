package org.palaver.xml;

/**
 * Recently parsed JIDs by their exact string. A router stream carries the same addresses over and
 * over (every message of a user has the same {@code from}, every message to a room the same
 * {@code to}), so the hot path looks them up instead of parsing, normalising and allocating anew.
 *
 * <p>Direct-mapped and bounded: a new string simply takes its slot, so a peer sending ever new
 * addresses costs parsing (as without the cache), never memory. Invalid strings are not kept. Not
 * thread-safe: one cache per owner (the protocol core of one node).
 */
public final class JidCache {
    private final String[] keys;
    private final Jid[] jids;
    private final int mask;

    /** @param slots a power of two */
    public JidCache(int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        keys = new String[slots];
        jids = new Jid[slots];
        mask = slots - 1;
    }

    /** {@link Jid#parse}, answered from the cache when {@code s} was parsed recently. */
    public Jid parse(String s) {
        if (s == null) {
            return null;
        }
        int h = s.hashCode();
        int slot = (h ^ h >>> 16) & mask;
        String key = keys[slot];
        if (key != null && key.equals(s)) {
            return jids[slot];
        }
        Jid jid = Jid.parse(s);
        if (jid != null) {
            keys[slot] = s;
            jids[slot] = jid;
        }
        return jid;
    }
}
