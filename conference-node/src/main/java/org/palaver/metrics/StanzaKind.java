package org.palaver.metrics;

/** The kind of a top-level stanza, as counted by {@code palaver_stanzas_in_total{kind}}. */
public enum StanzaKind {
    MESSAGE("message"),
    PRESENCE("presence"),
    IQ("iq"),
    /** Anything else at stanza level (handshake, stream errors, unknown elements). */
    OTHER("other");

    private final String label;

    StanzaKind(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }

    /** The kind of a stanza from its element name; unknown names are {@link #OTHER}. */
    public static StanzaKind of(String elementName) {
        return switch (elementName) {
            case "message" -> MESSAGE;
            case "presence" -> PRESENCE;
            case "iq" -> IQ;
            default -> OTHER;
        };
    }
}
