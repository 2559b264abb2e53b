package org.palaver.core;

/** The namespace URIs of the protocol, spelled once. */
final class Ns {
    static final String CONFERENCE = "jabber:iq:conference";
    static final String BROWSE = "jabber:iq:browse";
    static final String VERSION = "jabber:iq:version";
    static final String TIME = "jabber:iq:time";
    static final String LAST = "jabber:iq:last";
    static final String VCARD = "vcard-temp";
    static final String X_DELAY = "jabber:x:delay";
    static final String DELAY = "urn:xmpp:delay";
    static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    static final String MUC = "http://jabber.org/protocol/muc";
    static final String MUC_USER = MUC + "#user";
    static final String MUC_OWNER = MUC + "#owner";
    static final String MUC_ADMIN = MUC + "#admin";
    static final String MUC_REGISTER = MUC + "#register";
    static final String MUC_SELF_PING = MUC + "#self-ping-optimization";
    static final String PING = "urn:xmpp:ping";
    static final String RSM = "http://jabber.org/protocol/rsm";
    static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private Ns() {
    }
}
