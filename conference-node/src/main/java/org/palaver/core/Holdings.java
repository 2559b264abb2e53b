package org.palaver.core;

import java.util.HashMap;
import java.util.Map;
import org.palaver.xml.Jid;

/**
 * What each user (bare JID) holds on this core: its user records per room (one per full JID, spec
 * §1.2 {@code cnu_struct}). Rooms keep it current while they are listed here ({@link Room#list},
 * {@link Room#unlist}), so a room moved in or out carries its records with it. The basis of
 * {@link Limits#maxRoomsPerUser()} and {@link Limits#maxRegistrationsPerUser()}: every record
 * can hold a cached presence and makes its room live on.
 */
final class Holdings {
    private static final class Holder {
        /** Records per room; a room is here while the user has at least one record in it. */
        final Map<Jid, Integer> perRoom = new HashMap<>(4);
        int records;
    }

    private final Map<Jid, Holder> byUser = new HashMap<>();

    void added(Jid real, Jid room) {
        Holder h = byUser.computeIfAbsent(real.bare(), k -> new Holder());
        h.perRoom.merge(room, 1, Integer::sum);
        h.records++;
    }

    void removed(Jid real, Jid room) {
        Jid bare = real.bare();
        Holder h = byUser.get(bare);
        if (h == null) {
            return;
        }
        Integer n = h.perRoom.get(room);
        if (n == null) {
            return;
        }
        if (n == 1) {
            h.perRoom.remove(room);
        } else {
            h.perRoom.put(room, n - 1);
        }
        if (--h.records == 0) {
            byUser.remove(bare);
        }
    }

    /** Rooms in which {@code real}'s bare JID has a record. */
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
