package org.palaver.core;

import java.util.HashMap;
import java.util.Map;
import org.palaver.xml.Jid;

/**
 * What each user (bare JID) holds on this core: its user records per room (one per full JID, spec
 * §1.2 {@code cnu_struct}) and the rooms it created here that still exist. Rooms keep the records
 * current while they are listed here ({@link Room#list}, {@link Room#unlist}), so a room moved in
 * or out carries its records with it; {@link Rooms} reports creations and the end of a room here.
 * The basis of {@link Limits#maxRoomsPerUser()} and {@link Limits#maxRegistrationsPerUser()}:
 * every record can hold a cached presence, and a room its creator left keeps its history, topic
 * and name until it is destroyed as idle (§5.4), so it still counts as the creator's.
 */
final class Holdings {
    private static final class Holder {
        /** Records per room, plus one for a room the user created; a room is here while that is at least 1. */
        final Map<Jid, Integer> perRoom = new HashMap<>(4);
        int records;
    }

    private final Map<Jid, Holder> byUser = new HashMap<>();
    /** The creator (bare JID) of each room created on this core that still is here. */
    private final Map<Jid, Jid> creators = new HashMap<>();

    void added(Jid real, Jid room) {
        hold(real.bare(), room).records++;
    }

    void removed(Jid real, Jid room) {
        Holder h = byUser.get(real.bare());
        if (h != null && release(h, room)) {
            h.records--;
            forgetIfEmpty(real.bare(), h);
        }
    }

    /** {@code creator} created {@code room} here: it counts as one of its rooms until the room is gone. */
    void created(Jid creator, Jid room) {
        creators.put(room, creator.bare());
        hold(creator.bare(), room);
    }

    /** {@code room} left this core (destroyed or moved away): its creator no longer holds it here. */
    void gone(Jid room) {
        Jid creator = creators.remove(room);
        Holder h = creator == null ? null : byUser.get(creator);
        if (h != null && release(h, room)) {
            forgetIfEmpty(creator, h);
        }
    }

    private Holder hold(Jid bare, Jid room) {
        Holder h = byUser.computeIfAbsent(bare, k -> new Holder());
        h.perRoom.merge(room, 1, Integer::sum);
        return h;
    }

    /** Takes one count off {@code room}; whether there was one. */
    private static boolean release(Holder h, Jid room) {
        Integer n = h.perRoom.get(room);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            h.perRoom.remove(room);
        } else {
            h.perRoom.put(room, n - 1);
        }
        return true;
    }

    private void forgetIfEmpty(Jid bare, Holder h) {
        if (h.perRoom.isEmpty()) {
            byUser.remove(bare);
        }
    }

    /** Rooms in which {@code real}'s bare JID has a record, or which it created and still exist here. */
    int rooms(Jid real) {
        Holder h = byUser.get(real.bare());
        return h == null ? 0 : h.perRoom.size();
    }

    /** Records of {@code real}'s bare JID in all rooms. */
    int records(Jid real) {
        Holder h = byUser.get(real.bare());
        return h == null ? 0 : h.records;
    }

    /** Users holding anything here (for tests: forgotten users leave nothing behind). */
    int users() {
        return byUser.size();
    }

    /**
     * Which limit a new record of {@code real} in {@code room} would pass; {@code null} when it
     * fits.
     */
    Refusal refusal(Jid real, Jid room, Limits limits) {
        Holder h = byUser.get(real.bare());
        if (h == null) {
            return null;
        }
        if (!h.perRoom.containsKey(room) && h.perRoom.size() >= limits.maxRoomsPerUser()) {
            return Refusal.ROOMS_PER_USER;
        }
        return h.records >= limits.maxRegistrationsPerUser() ? Refusal.REGISTRATIONS_PER_USER : null;
    }
}
