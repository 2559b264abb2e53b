package org.palaver.core;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.palaver.xml.Jid;

/**
 * One room's state (spec §1.2 {@code cnr_struct}): configuration, owner, topic, history and the
 * two user maps of the original — {@code remote} (real JID → record, every registered user) and
 * {@code local} (hash → record, entered participants only, in entry order) — plus a nick index
 * and the {@link Recipients} snapshot used by every broadcast.
 *
 * <p>Pure state with invariants; the protocol handlers decide what to send.
 */
final class Room {
    final Jid jid;
    final boolean predefined;
    final History history;
    final Notices notices;
    String name;
    String secret;
    boolean privacyAllowed;
    /** The creator of a dynamic room while its record exists; {@code null} = nobody (§5.3). */
    Participant owner;
    Topic topic;
    /** Time of the last stanza to the room (spec §3 step 4, §5.4). */
    long last;

    private final Map<Jid, Participant> remote = new HashMap<>();
    private final Map<String, Participant> local = new LinkedHashMap<>();
    private final Map<String, Participant> byNick = new HashMap<>();
    private Recipients recipients = Recipients.NONE;
    private boolean recipientsStale;
    private long pushSeq;

    Room(Jid jid, boolean predefined, int historySize, Notices notices, long now) {
        this.jid = jid;
        this.predefined = predefined;
        this.history = new History(historySize);
        this.notices = notices;
        this.last = now;
    }

    /** The room's name, or its node when it has none (DEV-15). */
    String displayName() {
        return name != null ? name : jid.node();
    }

    boolean isOwner(Participant u) {
        return u != null && u == owner;
    }

    // ---- registered users (remote) -----------------------------------------------------------

    Participant user(Jid real) {
        return remote.get(real);
    }

    boolean isRegistered(Jid real) {
        return remote.containsKey(real);
    }

    Participant register(Jid real, long now) {
        Participant u = new Participant(real, now);
        remote.put(real, u);
        return u;
    }

    /** Forgets a record (registered or already removed from {@code local}); clears ownership. */
    void forget(Participant u) {
        remote.remove(u.real);
        if (owner == u) {
            owner = null;
        }
    }

    /**
     * Forgets registered-but-not-entered users idle for more than {@code maxIdle} ms (§5.4);
     * returns how many.
     */
    int expireRegistrations(long now, long maxIdle) {
        int expired = 0;
        for (Iterator<Participant> it = remote.values().iterator(); it.hasNext(); ) {
            Participant u = it.next();
            if (!u.entered() && now - u.last > maxIdle) {
                it.remove();
                expired++;
                if (owner == u) {
                    owner = null;
                }
            }
        }
        return expired;
    }

    // ---- entered participants (local) --------------------------------------------------------

    int count() {
        return local.size();
    }

    Collection<Participant> entered() {
        return local.values();
    }

    void addEntered(Participant u) {
        local.put(u.hash(), u);
        byNick.put(u.nick(), u);
        recipientsStale = true;
    }

    void removeEntered(Participant u) {
        local.remove(u.hash());
        byNick.remove(u.nick(), u);
        recipientsStale = true;
    }

    /** Re-indexes after {@code u}'s nick changed from {@code oldNick}. */
    void renamed(Participant u, String oldNick) {
        byNick.remove(oldNick, u);
        byNick.put(u.nick(), u);
    }

    /** A recipient's style changed (e.g. a gc-1.0 participant rejoined MUC-capable). */
    void styleChanged() {
        recipientsStale = true;
    }

    /**
     * Whether {@code nick} is taken: someone's nick, or someone's hash id — a nick equal to a hash
     * id could never be reached, since {@code R/x} resolves hash ids first (decision).
     */
    boolean nickInUse(String nick) {
        return resolve(nick) != null;
    }

    /** Resolves the resource of {@code R/x}: hash id first, then nick (spec §1.3). */
    Participant resolve(String resource) {
        Participant p = local.get(resource);
        return p != null ? p : byNick.get(resource);
    }

    Recipients recipients() {
        if (recipientsStale) {
            recipients = Recipients.of(local.values());
            recipientsStale = false;
        }
        return recipients;
    }

    // ---- browse push ids (DEV-11, DEV-17) ----------------------------------------------------

    private static final String PUSH_PREFIX = "push";

    String nextPushId() {
        return PUSH_PREFIX + ++pushSeq;
    }

    /** Whether {@code id} is one this room has used for a push (so an error reply is no kick). */
    boolean isPushId(String id) {
        if (id == null || !id.startsWith(PUSH_PREFIX) || id.length() == PUSH_PREFIX.length()
                || id.length() > PUSH_PREFIX.length() + 18) {
            return false;
        }
        long n = 0;
        for (int i = PUSH_PREFIX.length(); i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            n = n * 10 + (c - '0');
        }
        return n >= 1 && n <= pushSeq;
    }

    /** Destroyable per §5.4: dynamic, ownerless, empty and quiet for more than {@code maxIdle}. */
    boolean idle(long now, long maxIdle) {
        return !predefined && owner == null && local.isEmpty() && now - last > maxIdle;
    }
}
