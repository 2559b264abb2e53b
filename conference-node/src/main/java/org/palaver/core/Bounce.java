package org.palaver.core;

import java.util.Set;
import org.palaver.xml.Element;

/**
 * Which errors from an occupant's real JID mean the occupant is gone (spec §10.3, update): the
 * conditions XEP-0045 and Prosody treat as "the user cannot be reached" remove it; any other error
 * (a client that failed to handle one of our stanzas answers with one) is ignored and counted.
 * The original removed on every error ("kick on bounce"); stock clients answer with
 * {@code undefined-condition} or {@code feature-not-implemented} and were thrown out.
 */
final class Bounce {
    /** RFC 6120 conditions that say the recipient is unreachable. */
    private static final Set<String> GONE_CONDITIONS = Set.of("gone", "item-not-found",
            "recipient-unavailable", "redirect", "remote-server-not-found", "remote-server-timeout",
            "service-unavailable");
    /**
     * Legacy codes (XEP-0086) of those conditions, for errors without a condition element:
     * 302 gone/redirect, 404 item-not-found/recipient-unavailable/remote-server-not-found,
     * 502 and 504 the remote server, 503 service-unavailable, 510 jabberd 1.4's "Disconnected".
     */
    private static final Set<String> GONE_CODES = Set.of("302", "404", "502", "503", "504", "510");

    private Bounce() {
    }

    /** Whether the error stanza says its sender is gone. */
    static boolean meansGone(Element errorStanza) {
        Element error = errorStanza.child("error");
        if (error == null) {
            return false;
        }
        for (Element c : error.elements()) {
            if (Ns.STANZAS.equals(c.effectiveNamespace(error.namespace())) && !c.name().equals("text")) {
                return GONE_CONDITIONS.contains(c.name());
            }
        }
        String code = error.attr("code");
        return code != null && GONE_CODES.contains(code);
    }
}
