package org.palaver.xml;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A Jabber ID {@code node@domain/resource}, normalised as the original server library did
 * (spec §1.3): the domain is lower-cased, node and resource keep their case. Room keys lower-case
 * the node as well ({@link #roomKey()}).
 *
 * <p>Instances are immutable; the full string and its XML-escaped UTF-8 bytes are computed once and
 * cached because the fan-out path writes the same recipient JIDs again and again.
 */
public final class Jid {
    /** Longest node, domain or resource accepted, in UTF-8 bytes (RFC 7622). */
    public static final int MAX_PART = 1023;

    private final String node;
    private final String domain;
    private final String resource;
    private final String full;
    private volatile byte[] escapedUtf8; // volatile: safely shared between event loops
    /** {@link #roomKey()}, computed once; a racy write is harmless (immutable, equal values). */
    private Jid roomKey;

    private Jid(String node, String domain, String resource) {
        this.node = node;
        this.domain = domain;
        this.resource = resource;
        StringBuilder sb = new StringBuilder();
        if (node != null) {
            sb.append(node).append('@');
        }
        sb.append(domain);
        if (resource != null) {
            sb.append('/').append(resource);
        }
        this.full = sb.toString();
    }

    /** Parses and normalises; {@code null} when the string is not a valid JID. */
    public static Jid parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        int slash = s.indexOf('/');
        String bare = slash < 0 ? s : s.substring(0, slash);
        String resource = slash < 0 ? null : s.substring(slash + 1);
        int at = bare.indexOf('@');
        String node = at < 0 ? null : bare.substring(0, at);
        String domain = at < 0 ? bare : bare.substring(at + 1);
        if (!validDomain(domain) || (node != null && !validNode(node))
                || (resource != null && !validResource(resource))) {
            return null;
        }
        return new Jid(node, domain.toLowerCase(Locale.ROOT), resource);
    }

    /** Builds a JID from parts that are already valid (e.g. taken from a parsed JID). */
    public static Jid of(String node, String domain, String resource) {
        return new Jid(node, domain.toLowerCase(Locale.ROOT), resource);
    }

    private static boolean validDomain(String d) {
        if (d.isEmpty() || d.equals(".") || tooLong(d)) {
            return false;
        }
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (c <= ' ' || c == '@' || c == '/' || c == '"' || c == '&' || c == '\'' || c == ':'
                    || c == '<' || c == '>' || c == 0x7f || Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    /** Nodeprep's prohibited ASCII characters, controls and white space are refused. */
    private static boolean validNode(String n) {
        if (n.isEmpty() || tooLong(n)) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c <= ' ' || c == '"' || c == '&' || c == '\'' || c == '/' || c == ':' || c == '<'
                    || c == '>' || c == '@' || c == 0x7f || Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean validResource(String r) {
        if (r.isEmpty() || tooLong(r)) {
            return false;
        }
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c < ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** More than {@link #MAX_PART} bytes in UTF-8 (counted without encoding). */
    private static boolean tooLong(String part) {
        if (part.length() > MAX_PART) {
            return true; // every char takes at least one byte
        }
        int bytes = 0;
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3; // a pair: 2 + 2
        }
        return bytes > MAX_PART;
    }

    public String node() {
        return node;
    }

    public String domain() {
        return domain;
    }

    public String resource() {
        return resource;
    }

    public boolean hasNode() {
        return node != null;
    }

    public boolean hasResource() {
        return resource != null;
    }

    /** The JID without its resource. */
    public Jid bare() {
        return resource == null ? this : new Jid(node, domain, null);
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
        String lowerNode = node == null ? null : asciiLower(node);
        if (resource == null && (node == null || lowerNode.equals(node))) {
            return this;
        }
        return new Jid(lowerNode, domain, null);
    }

    public Jid withResource(String newResource) {
        return new Jid(node, domain, newResource);
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
