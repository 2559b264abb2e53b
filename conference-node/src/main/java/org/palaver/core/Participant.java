package org.palaver.core;

import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * A user record of one room (spec §1.2 {@code cnu_struct}): every sender of available presence
 * gets one ("registered"); entering assigns the hash id and the nick ("entered").
 *
 * <p>Kept lean because a node holds one per joined participant (under 1 KiB each, docs/architecture.md#hot-path):
 * the nick lives only inside the cached {@code R/nick} JID, the hash only inside the cached
 * {@code R/hash} JID (both written on every copy the participant authors, so their escaped bytes
 * are cached once), and the default cached presence is one shared immutable element.
 */
final class Participant {
    /** The initial cached presence: an empty available {@code <presence/>}. Never modified. */
    static final Element EMPTY_PRESENCE = new Element("presence");

    final Jid real;
    /** {@code R/hash}; {@code null} while only registered. */
    private Jid hashJid;
    /** {@code R/nick}; {@code null} while only registered. */
    private Jid nickJid;
    /** Cached presence template: no {@code to}/{@code from}; never modified once stored. */
    private Element presence = EMPTY_PRESENCE;
    /** Entered through the gc-1.0 path (receives {@code R/nick} addresses). */
    private boolean legacy;
    /** Joined with {@code <x xmlns='http://jabber.org/protocol/muc'/>} (spec §13.2). */
    private boolean muc;
    /** Privacy mode (spec §8.4), only ever set when the room allows it. */
    private boolean privacy;
    /** Time of this user's last stanza to the room (spec §3 step 4). */
    long last;
    /** A role a moderator granted ({@code null}: the default of the affiliation, {@link Room#role}). */
    private Role role;

    Participant(Jid real, long now) {
        this.real = real;
        this.last = now;
    }

    boolean entered() {
        return hashJid != null;
    }

    void enter(Jid hashJid, Jid nickJid, boolean legacy, boolean muc, boolean privacy) {
        this.hashJid = hashJid;
        this.nickJid = nickJid;
        this.legacy = legacy;
        this.muc = muc;
        this.privacy = privacy;
    }

    Jid hashJid() {
        return hashJid;
    }

    String hash() {
        return hashJid.resource();
    }

    Jid nickJid() {
        return nickJid;
    }

    String nick() {
        return nickJid.resource();
    }

    void rename(Jid newNickJid) {
        this.nickJid = newNickJid;
    }

    /** The address this participant has for a recipient of the given style (spec §9.5). */
    Jid addressFor(Participant recipient) {
        return recipient.legacy ? nickJid : hashJid;
    }

    Element presence() {
        return presence;
    }

    void cachePresence(Element template) {
        this.presence = template;
    }

    boolean legacy() {
        return legacy;
    }

    boolean muc() {
        return muc;
    }

    void markMuc() {
        this.muc = true;
    }

    boolean privacy() {
        return privacy;
    }

    Role role() {
        return role;
    }

    void role(Role granted) {
        this.role = granted;
    }

    void privacy(boolean on) {
        this.privacy = on;
    }
}
