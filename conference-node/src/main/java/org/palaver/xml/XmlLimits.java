package org.palaver.xml;

/**
 * Bounds the stream parser enforces on every inbound stanza (architecture: hostile input). A
 * stanza that exceeds one of them ends the stream with a {@code policy-violation} stream error.
 *
 * @param maxStanzaBytes largest stanza in bytes as received (start tag to end tag); also bounds
 *                       anything pending between stanzas, so an unterminated stanza trips the
 *                       limit while it is still arriving
 * @param maxDepth       deepest element nesting inside a stanza (the stanza itself is depth 1)
 * @param maxAttributes  most attributes per element, namespace declarations included
 * @param maxNameLength  longest qualified element or attribute name, in characters
 */
public record XmlLimits(int maxStanzaBytes, int maxDepth, int maxAttributes, int maxNameLength) {
    public static final int DEFAULT_MAX_STANZA_BYTES = 262_144;
    public static final int DEFAULT_MAX_DEPTH = 32;
    public static final int DEFAULT_MAX_ATTRIBUTES = 64;
    public static final int DEFAULT_MAX_NAME_LENGTH = 256;

    /** No bound: for what this node or its cluster wrote itself from elements that had passed the limits. */
    public static final XmlLimits UNBOUNDED =
            new XmlLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    private static final XmlLimits DEFAULTS = new XmlLimits(DEFAULT_MAX_STANZA_BYTES, DEFAULT_MAX_DEPTH,
            DEFAULT_MAX_ATTRIBUTES, DEFAULT_MAX_NAME_LENGTH);

    public XmlLimits {
        requirePositive("maxStanzaBytes", maxStanzaBytes);
        requirePositive("maxDepth", maxDepth);
        requirePositive("maxAttributes", maxAttributes);
        requirePositive("maxNameLength", maxNameLength);
    }

    public static XmlLimits defaults() {
        return DEFAULTS;
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }
}
