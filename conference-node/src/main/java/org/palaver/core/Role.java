package org.palaver.core;

import java.util.Locale;

/** XEP-0045 roles of present occupants ({@code none} is only ever shown on leaving). */
enum Role {
    VISITOR, PARTICIPANT, MODERATOR;

    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role an attribute value names ({@code none} and unknown: {@code null}). */
    static Role of(String value) {
        for (Role r : values()) {
            if (r.value().equals(value)) {
                return r;
            }
        }
        return null;
    }
}
