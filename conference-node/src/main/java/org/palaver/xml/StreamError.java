package org.palaver.xml;

import java.util.Objects;

/**
 * An XMPP stream error (RFC 6120 §4.9): a defined condition name such as {@code not-well-formed}
 * plus optional human-readable text. Stream errors are fatal: the stream closes after one.
 *
 * @param condition the defined condition's element name, e.g. {@link #POLICY_VIOLATION}
 * @param text      descriptive text, or {@code null}
 */
public record StreamError(String condition, String text) {
    /** Namespace of the condition and text elements. */
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-streams";

    public static final String BAD_FORMAT = "bad-format";
    public static final String BAD_NAMESPACE_PREFIX = "bad-namespace-prefix";
    public static final String CONFLICT = "conflict";
    public static final String CONNECTION_TIMEOUT = "connection-timeout";
    public static final String HOST_GONE = "host-gone";
    public static final String HOST_UNKNOWN = "host-unknown";
    public static final String IMPROPER_ADDRESSING = "improper-addressing";
    public static final String INTERNAL_SERVER_ERROR = "internal-server-error";
    public static final String INVALID_FROM = "invalid-from";
    public static final String INVALID_NAMESPACE = "invalid-namespace";
    public static final String INVALID_XML = "invalid-xml";
    public static final String NOT_AUTHORIZED = "not-authorized";
    public static final String NOT_WELL_FORMED = "not-well-formed";
    public static final String POLICY_VIOLATION = "policy-violation";
    public static final String REMOTE_CONNECTION_FAILED = "remote-connection-failed";
    public static final String RESET = "reset";
    public static final String RESOURCE_CONSTRAINT = "resource-constraint";
    public static final String RESTRICTED_XML = "restricted-xml";
    public static final String SEE_OTHER_HOST = "see-other-host";
    public static final String SYSTEM_SHUTDOWN = "system-shutdown";
    public static final String UNDEFINED_CONDITION = "undefined-condition";
    public static final String UNSUPPORTED_ENCODING = "unsupported-encoding";
    public static final String UNSUPPORTED_FEATURE = "unsupported-feature";
    public static final String UNSUPPORTED_STANZA_TYPE = "unsupported-stanza-type";
    public static final String UNSUPPORTED_VERSION = "unsupported-version";

    public StreamError {
        Objects.requireNonNull(condition, "condition");
        if (condition.isBlank()) {
            throw new IllegalArgumentException("condition must not be blank");
        }
    }

    /** The {@code <stream:error>} element to send, condition first, then the text if any. */
    public Element toElement() {
        Element error = new Element("stream:error", XmlWriter.NS_STREAMS);
        error.addChild(condition, NAMESPACE);
        if (text != null) {
            error.addChild("text", NAMESPACE).addText(text);
        }
        return error;
    }

    /**
     * Reads a received {@code <stream:error>}. A peer that sends only text (as jabberd 1.4 did)
     * yields {@link #UNDEFINED_CONDITION} with that text.
     */
    public static StreamError fromElement(Element error) {
        String condition = null;
        String text = null;
        String ns = error.namespace();
        for (Element child : error.elements()) {
            if (!NAMESPACE.equals(child.effectiveNamespace(ns))) {
                continue;
            }
            if (child.name().equals("text")) {
                text = child.text();
            } else if (condition == null) {
                condition = child.name();
            }
        }
        if (condition == null) {
            String bare = error.text().strip();
            return new StreamError(UNDEFINED_CONDITION, bare.isEmpty() ? text : bare);
        }
        return new StreamError(condition, text);
    }
}
