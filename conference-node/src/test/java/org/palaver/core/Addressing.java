package org.palaver.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.palaver.testkit.Harness;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * Addresses as the property test sees them (§1.3, §1.4). The hash id is computed here
 * independently of the core, so the test does not trust the code it checks.
 */
final class Addressing {
    static final String S = Harness.S;

    private Addressing() {
    }

    /** A stanza with {@code to} and {@code from} set unless empty (malformed traffic leaves them out). */
    static Element stanza(String name, String to, String from) {
        Element e = new Element(name);
        if (to != null && !to.isEmpty()) {
            e.attr("to", to);
        }
        if (from != null && !from.isEmpty()) {
            e.attr("from", from);
        }
        return e;
    }

    /** The room key (§1.3) of an address in our domain, or {@code null}. */
    static String roomOf(String address) {
        Jid j = Jid.parse(address);
        return j == null || !j.hasNode() || !j.domain().equals(S) ? null : j.node().toLowerCase(Locale.ROOT) + "@" + S;
    }

    /** The normalised form the core keys users by (§1.3), or {@code null} when unparseable. */
    static String norm(String jid) {
        Jid j = Jid.parse(jid);
        return j == null ? null : j.toString();
    }

    /** The hash id resource (§1.4): SHA-1 of the normalised real JID, lowercase hex. */
    static String hash(String normalisedJid) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(normalisedJid.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(40);
            for (byte b : d) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
