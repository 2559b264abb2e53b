package org.palaver.core;

import org.palaver.xml.Element;

/**
 * The error conditions the service emits (spec §14.2), each with its legacy code and the
 * XEP-0086 type. {@link #element()} is the shared, never-mutated {@code <error>} child of the
 * DEV-12 format; conditions that need an explanatory text get a fresh element.
 */
enum StanzaError {
    BAD_REQUEST(400, "modify", "bad-request"),
    JID_MALFORMED(400, "modify", "jid-malformed"),
    NOT_AUTHORIZED(401, "auth", "not-authorized"),
    FORBIDDEN(403, "auth", "forbidden"),
    ITEM_NOT_FOUND(404, "cancel", "item-not-found"),
    NOT_ALLOWED(405, "cancel", "not-allowed"),
    NOT_ACCEPTABLE(406, "modify", "not-acceptable"),
    REGISTRATION_REQUIRED(407, "auth", "registration-required"),
    CONFLICT(409, "cancel", "conflict"),
    FEATURE_NOT_IMPLEMENTED(501, "cancel", "feature-not-implemented"),
    /** A sender over its rate limit (RFC 6120 §8.3.3.12; not in XEP-0086, so the code of 406's kin). */
    POLICY_VIOLATION(406, "wait", "policy-violation"),
    /** A room over its rate limit (XEP-0086: 500 wait). */
    RESOURCE_CONSTRAINT(500, "wait", "resource-constraint"),
    SERVICE_UNAVAILABLE(503, "cancel", "service-unavailable");

    final int code;
    final String type;
    final String condition;
    private final Element shared;

    StanzaError(int code, String type, String condition) {
        this.code = code;
        this.type = type;
        this.condition = condition;
        this.shared = build(null);
    }

    /** {@code <error code type><condition/></error>}, shared: callers must not modify it. */
    Element element() {
        return shared;
    }

    /** The same with a human-readable {@code <text>} (a fresh element). */
    Element element(String text) {
        return text == null ? shared : build(text);
    }

    private Element build(String text) {
        Element error = new Element("error");
        error.attr("code", Integer.toString(code)).attr("type", type);
        error.addChild(condition, Ns.STANZAS);
        if (text != null) {
            error.addChild("text", Ns.STANZAS).addText(text);
        }
        return error;
    }
}
