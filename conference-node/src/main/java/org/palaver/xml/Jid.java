package org.palaver.xml;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A Jabber ID {@code node@domain/resource}, normalised as the original server library did
 * (spec §1.3): the domain is lower-cased, node and resource keep their case. Room keys lower-case
 * the node as well ({@link #roomKey()}).
 *
 * <p>Instances are immutable and small, because a node keeps several per participant: one string
 * (the full JID) plus the positions of {@code @} and {@code /}; node, domain and resource are cut
 * from it on demand (the hot path asks only for the domain check and the full string). The
 * XML-escaped UTF-8 bytes are computed once and cached because the fan-out path writes the same
 * recipient JIDs again and again.
 */
public final class Jid {
    /** Longest node, domain or resource accepted, in UTF-8 bytes (RFC 7622). */
    public static final int MAX_PART = 1023;

    private final String full;
    /** Index of the {@code @} ending the node, or -1 without a node. */
    private final int at;
    /** Index of the {@code /} starting the resource, or -1 without a resource. */
    private final int slash;
    private volatile byte[] escapedUtf8; // volatile: safely shared between event loops
    /** {@link #roomKey()}, computed once; a racy write is harmless (immutable, equal values). */
    private Jid roomKey;

    private Jid(String full, int at, int slash) {
        this.full = full;
        this.at = at;
        this.slash = slash;
    }

    private static Jid build(String node, String domain, String resource) {
        StringBuilder sb = new StringBuilder();
        int at = -1;
        if (node != null) {
            sb.append(node);
            at = sb.length();
            sb.append('@');
        }
        sb.append(domain);
        int slash = -1;
        if (resource != null) {
            slash = sb.length();
            sb.append('/').append(resource);
        }
        return new Jid(sb.toString(), at, slash);
    }

    /** Parses and normalises; {@code null} when the string is not a valid JID. */
    public static Jid parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        int slash = s.indexOf('/');
        int bareEnd = slash < 0 ? s.length() : slash;
        int at = s.indexOf('@');
        if (at >= bareEnd) {
            at = -1;
        }
        int domainStart = at + 1;
        if (!validDomain(s, domainStart, bareEnd) || (at >= 0 && !validNode(s, 0, at))
                || (slash >= 0 && !validResource(s, slash + 1, s.length()))) {
            return null;
        }
        if (lowerAscii(s, domainStart, bareEnd)) {
            return new Jid(s, at, slash); // already normal: share the caller's string
        }
        return build(at < 0 ? null : s.substring(0, at), s.substring(domainStart, bareEnd).toLowerCase(Locale.ROOT),
                slash < 0 ? null : s.substring(slash + 1));
    }

    /** Whether {@code s[from, to)} is ASCII without upper-case letters (lower-casing changes nothing). */
    private static boolean lowerAscii(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    /** Builds a JID from parts that are already valid (e.g. taken from a parsed JID). */
    public static Jid of(String node, String domain, String resource) {
        return build(node, domain.toLowerCase(Locale.ROOT), resource);
    }

    private static boolean validDomain(String s, int from, int to) {
        if (to == from || (to - from == 1 && s.charAt(from) == '.') || tooLong(s, from, to)) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == '@' || c == '/' || c == '"' || c == '&' || c == '\'' || c == ':'
                    || c == '<' || c == '>' || c == 0x7f || Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    /** Nodeprep's prohibited ASCII characters, controls and white space are refused. */
    private static boolean validNode(String s, int from, int to) {
        if (to == from || tooLong(s, from, to)) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == '"' || c == '&' || c == '\'' || c == '/' || c == ':' || c == '<'
                    || c == '>' || c == '@' || c == 0x7f || Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean validResource(String s, int from, int to) {
        if (to == from || tooLong(s, from, to)) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** More than {@link #MAX_PART} bytes in UTF-8 (counted without encoding). */
    private static boolean tooLong(String s, int from, int to) {
        if (to - from > MAX_PART) {
            return true; // every char takes at least one byte
        }
        int bytes = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3; // a pair: 2 + 2
        }
        return bytes > MAX_PART;
    }

    public String node() {
        return at < 0 ? null : full.substring(0, at);
    }

    public String domain() {
        return full.substring(at + 1, bareEnd());
    }

    /** Whether the domain is exactly {@code lowerCaseDomain}; allocation-free. */
    public boolean domainIs(String lowerCaseDomain) {
        int from = at + 1;
        return bareEnd() - from == lowerCaseDomain.length()
                && full.regionMatches(from, lowerCaseDomain, 0, lowerCaseDomain.length());
    }

    public String resource() {
        return slash < 0 ? null : full.substring(slash + 1);
    }

    public boolean hasNode() {
        return at >= 0;
    }

    public boolean hasResource() {
        return slash >= 0;
    }

    private int bareEnd() {
        return slash < 0 ? full.length() : slash;
    }

    /** The JID without its resource. */
    public Jid bare() {
        return slash < 0 ? this : new Jid(full.substring(0, slash), at, -1);
    }

    /** The bare JID with the node ASCII-lower-cased: how rooms are looked up (spec §1.3). */
    public Jid roomKey() {
        Jid key = roomKey;
        if (key == null) {
            key = makeRoomKey();
            roomKey = key;
        }
        return key;
    }

    private Jid makeRoomKey() {
        Jid bare = bare();
        String lower = at < 0 ? bare.full : asciiLower(bare.full.substring(0, at)) + bare.full.substring(at);
        return lower.equals(bare.full) ? bare : new Jid(lower, at, -1);
    }

    public Jid withResource(String newResource) {
        String bare = full.substring(0, bareEnd());
        return newResource == null ? new Jid(bare, at, -1) : new Jid(bare + '/' + newResource, at, bare.length());
    }

    private static String asciiLower(String s) {
        char[] chars = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (chars == null) {
                    chars = s.toCharArray();
                }
                chars[i] = (char) (c + 32);
            }
        }
        return chars == null ? s : new String(chars);
    }

    /** The JID as XML-escaped UTF-8 bytes, cached (fan-out writes it per copy). */
    public byte[] escapedUtf8() {
        byte[] b = escapedUtf8;
        if (b == null) {
            b = XmlWriter.escapeAttr(full).getBytes(StandardCharsets.UTF_8);
            escapedUtf8 = b;
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Jid && ((Jid) o).full.equals(full));
    }

    @Override
    public int hashCode() {
        return full.hashCode();
    }

    /** The full JID string. */
    @Override
    public String toString() {
        return full;
    }
}
