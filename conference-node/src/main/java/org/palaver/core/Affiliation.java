package org.palaver.core;

import java.util.Locale;

/** XEP-0045 affiliations, by bare JID, ranked (an outcast is below none). */
enum Affiliation {
    OUTCAST, NONE, MEMBER, ADMIN, OWNER;

    /** The XEP-0045 attribute value. */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The affiliation an attribute value names, or {@code null}. */
    static Affiliation of(String value) {
        for (Affiliation a : values()) {
            if (a.value().equals(value)) {
                return a;
            }
        }
        return null;
    }
}
