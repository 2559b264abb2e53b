package org.palaver.core;

/**
 * A room topic (spec §11.1): the subject text and the sentence joiners are told,
 * {@code "<nick> has set the topic to: <subject>"} (the setter's nick at the time).
 */
record Topic(String subject, String announcement) {
    static Topic setBy(String nick, String subject) {
        return new Topic(subject, nick + " has set the topic to: " + subject);
    }
}
