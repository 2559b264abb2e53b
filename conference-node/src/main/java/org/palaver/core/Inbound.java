package org.palaver.core;

import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * One inbound stanza, classified once (spec §3): kind, type, parsed addresses and the iq payload.
 *
 * <p>The classification follows the jabberd 1.4 packet parser the original used: messages of any
 * type, presence without a type (available), {@code unavailable}, {@code probe}, the four
 * subscription types and {@code error}, iq {@code get/set/result/error}; everything else is
 * {@link Kind#UNKNOWN} and answered with 400 (E1).
 */
final class Inbound {
    enum Kind { MESSAGE, PRESENCE, IQ, UNKNOWN }

    final Element stanza;
    final Kind kind;
    /** The {@code type} attribute as received ({@code null} when absent). */
    final String type;
    final Jid from;
    final Jid to;

    Inbound(Element stanza, Jid from, Jid to) {
        this.stanza = stanza;
        this.from = from;
        this.to = to;
        this.type = stanza.attr("type");
        this.kind = classify(stanza.name(), type);
    }

    private static Kind classify(String name, String type) {
        switch (name) {
            case "message":
                return Kind.MESSAGE;
            case "presence":
                return type == null || isKnownPresenceType(type) ? Kind.PRESENCE : Kind.UNKNOWN;
            case "iq":
                return type != null && (type.equals("get") || type.equals("set")
                        || type.equals("result") || type.equals("error")) ? Kind.IQ : Kind.UNKNOWN;
            default:
                return Kind.UNKNOWN;
        }
    }

    private static boolean isKnownPresenceType(String t) {
        switch (t) {
            case "unavailable": case "probe": case "error":
            case "subscribe": case "subscribed": case "unsubscribe": case "unsubscribed":
                return true;
            default:
                return false;
        }
    }

    boolean isError() {
        return "error".equals(type);
    }

    boolean isMessage() {
        return kind == Kind.MESSAGE;
    }

    boolean isPresence() {
        return kind == Kind.PRESENCE;
    }

    boolean isIq() {
        return kind == Kind.IQ;
    }

    /** Available presence: presence without a type (priority is irrelevant, spec §3). */
    boolean isAvailable() {
        return kind == Kind.PRESENCE && type == null;
    }

    boolean isUnavailable() {
        return kind == Kind.PRESENCE && "unavailable".equals(type);
    }

    boolean isProbe() {
        return kind == Kind.PRESENCE && "probe".equals(type);
    }

    boolean isGet() {
        return kind == Kind.IQ && "get".equals(type);
    }

    boolean isSet() {
        return kind == Kind.IQ && "set".equals(type);
    }

    /** The iq payload: its first child element (spec §4), or {@code null}. */
    Element payload() {
        return kind == Kind.IQ ? stanza.firstElement() : null;
    }

    /** The payload's own namespace; {@code null} when there is no payload or it declares none. */
    String payloadNs() {
        Element p = payload();
        return p == null ? null : p.namespace();
    }

    boolean payloadIs(String ns) {
        return ns.equals(payloadNs());
    }

    /** A get whose payload is in {@code ns}. */
    boolean isGet(String ns) {
        return isGet() && payloadIs(ns);
    }

    /** The raw {@code id} attribute. */
    String id() {
        return stanza.attr("id");
    }
}
