package org.palaver.core;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.palaver.xml.Jid;

/**
 * One room's state (spec §1.2 {@code cnr_struct}): configuration, owner, topic, history and the
 * two user maps of the original — {@code remote} (real JID → record, every registered user) and
 * {@code local} (hash → record, entered participants only, in entry order) — plus a nick index
 * and the {@link Recipients} snapshot used by every broadcast.
 *
 * <p>Pure state with invariants; the protocol handlers decide what to send. Once listed, the room
 * keeps its {@link RoomListing} in the {@link RoomDirectory} current itself: on every change of the
 * entered count or the name, and of the registrations when the service is private (§5.5) — never
 * on a message. Everything here travels between nodes in {@link RoomCodec}'s encoding: a new field
 * belongs there too.
 */
final class Room {
    final Jid jid;
    final boolean predefined;
    final History history;
    final Notices notices;
    /** Creation time, unique per core (see {@link Rooms}): orders the dynamic rooms in listings. */
    final long created;
    private String name;
    String secret;
    boolean privacyAllowed;
    /** The creator of a dynamic room while its record exists; {@code null} = nobody (§5.3). */
    Participant owner;
    Topic topic;
    /** Time of the last stanza to the room (spec §3 step 4, §5.4). */
    long last;
    /** The owner's XEP-0045 configuration and affiliation lists (moderation, room state 1.1). */
    final RoomConfig config = new RoomConfig();

    private final Map<Jid, Participant> remote = new HashMap<>();
    private final Map<String, Participant> local = new LinkedHashMap<>();
    private final Map<String, Participant> byNick = new HashMap<>();
    private Recipients recipients = Recipients.NONE;
    private boolean recipientsStale;
    private long pushSeq;
    /** Where the listing goes; {@code null} until {@link #list} (while being built or decoded). */
    private RoomDirectory directory;
    private boolean listsRegistered;

    /** A room created at {@code now}. */
    Room(Jid jid, boolean predefined, History history, Notices notices, long now) {
        this(jid, predefined, history, notices, now, now);
    }

    Room(Jid jid, boolean predefined, History history, Notices notices, long created, long last) {
        this.jid = jid;
        this.predefined = predefined;
        this.history = history;
        this.notices = notices;
        this.created = created;
        this.last = last;
    }

    /** The room's name, or its node when it has none (DEV-15). */
    String displayName() {
        return displayName(name, jid);
    }

    static String displayName(String name, Jid room) {
        return name != null ? name : room.node();
    }

    String name() {
        return name;
    }

    void name(String newName) {
        name = newName;
        publish();
    }

    // ---- the listing -------------------------------------------------------------------------

    /**
     * Starts keeping the room's listing in {@code to} and publishes it; {@code withRegistered} on a
     * private service, whose listings show each requester only its rooms (§5.5).
     */
    void list(RoomDirectory to, boolean withRegistered) {
        directory = to;
        listsRegistered = withRegistered;
        publish();
    }

    /** Stops publishing (the room leaves this core); the caller tells the directory. */
    void unlist() {
        directory = null;
    }

    private RoomListing listing() {
        return new RoomListing(jid, displayName(), count(), predefined, created,
                listsRegistered ? Set.copyOf(remote.keySet()) : Set.of(), config.hidden);
    }

    /** The listing may have changed (the owner's form: hidden or shown). */
    void publish() {
        if (directory != null) {
            directory.changed(listing());
        }
    }

    private void registrationsChanged() {
        if (listsRegistered) {
            publish();
        }
    }

    /** The creator while its record exists (§5.3), or a user the owners made owner (XEP-0045). */
    boolean isOwner(Participant u) {
        return u != null && (u == owner || config.affiliation(u.real) == Affiliation.OWNER);
    }

    /** The user's affiliation: the creator is owner, the others as the lists say. */
    Affiliation affiliation(Participant u) {
        return u == owner ? Affiliation.OWNER : config.affiliation(u.real);
    }

    /** The occupant's role: as granted, else moderator for owners and admins, visitor in a moderated room for non-members. */
    Role role(Participant u) {
        if (u.role() != null) {
            return u.role();
        }
        Affiliation a = affiliation(u);
        if (a == Affiliation.OWNER || a == Affiliation.ADMIN) {
            return Role.MODERATOR;
        }
        return config.moderated && a == Affiliation.NONE ? Role.VISITOR : Role.PARTICIPANT;
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
        registrationsChanged();
        return u;
    }

    /** Every user record: registered users, entered or not. */
    Collection<Participant> registered() {
        return remote.values();
    }

    /** Puts a record back as it was (decoding): registered, and entered when it has a hash id. */
    void restore(Participant u) {
        remote.put(u.real, u);
        if (u.entered()) {
            addEntered(u);
        }
    }

    /**
     * Forgets a record (registered or already removed from {@code local}); clears ownership. Also
     * publishes the count change of a preceding {@link #removeEntered}, so a leave is one update.
     */
    void forget(Participant u) {
        remote.remove(u.real);
        if (owner == u) {
            owner = null;
        }
        if (u.entered()) {
            publish();
        } else {
            registrationsChanged();
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
        if (expired > 0) {
            registrationsChanged();
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
        publish();
    }

    /** Always followed by {@link #forget}, which publishes the new count. */
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

    long pushSeq() {
        return pushSeq;
    }

    void pushSeq(long seq) {
        pushSeq = seq;
    }

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

    /** Clamps the activity times to {@code now} (a room arriving from a node whose clock runs ahead). */
    void notLaterThan(long now) {
        last = Math.min(last, now);
        for (Participant u : remote.values()) {
            u.last = Math.min(u.last, now);
        }
    }

    /** Destroyable per §5.4: dynamic, ownerless, empty and quiet for more than {@code maxIdle}. */
    boolean idle(long now, long maxIdle) {
        return !predefined && owner == null && local.isEmpty() && now - last > maxIdle;
    }
}
