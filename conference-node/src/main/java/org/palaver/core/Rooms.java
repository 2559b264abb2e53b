package org.palaver.core;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.palaver.xml.Jid;

/**
 * The service's room directory (spec §5): predefined rooms from start-up (public service only),
 * dynamic rooms created by presence, idle clean-up on the heartbeat. Iteration order is creation
 * order (predefined rooms first, in configuration order), which is the order of browse/disco
 * listings.
 */
final class Rooms {
    /** Heartbeat bounds of the original [C41 con_beat_idle]. */
    static final long REGISTRATION_IDLE_MS = 120_000;
    static final long ROOM_IDLE_MS = 240_000;

    private final ServiceSettings settings;
    private final Notices serviceNotices;
    private final Map<Jid, Room> rooms = new LinkedHashMap<>();

    Rooms(ServiceSettings settings, long now) {
        this.settings = settings;
        this.serviceNotices = Notices.of(settings);
        if (settings.publicService()) { // predefined rooms are only loaded on a public service
            for (ServiceSettings.PredefinedRoom p : settings.rooms()) {
                addPredefined(p, now);
            }
        }
    }

    private void addPredefined(ServiceSettings.PredefinedRoom p, long now) {
        Jid key = Jid.of(p.node().toLowerCase(Locale.ROOT), settings.domain(), null).roomKey();
        Room room = new Room(key, true, settings.historySize(), serviceNotices.overriddenBy(p), now);
        room.name = p.name();
        room.secret = emptyToNull(p.secret());
        room.privacyAllowed = p.privacy(); // DEV-3: read from the room element
        rooms.put(key, room);
    }

    /** Looks a room up by its key ({@link Jid#roomKey()}). */
    Room get(Jid roomKey) {
        return rooms.get(roomKey);
    }

    /**
     * A new dynamic room (§5.1): no name, no secret, privacy allowed; the creator is registered
     * and becomes the owner.
     */
    Room create(Jid roomKey, Jid creator, long now) {
        Room room = new Room(roomKey, false, settings.historySize(), serviceNotices, now);
        room.privacyAllowed = true;
        room.owner = room.register(creator, now);
        rooms.put(roomKey, room);
        return room;
    }

    Collection<Room> all() {
        return rooms.values();
    }

    Collection<Jid> keys() {
        return rooms.keySet();
    }

    int size() {
        return rooms.size();
    }

    /**
     * The heartbeat of §5.4: forget idle registrations, then destroy ownerless, empty dynamic
     * rooms without traffic for more than 240 s. Destroying sends nothing (the room is empty).
     * Returns the number of registrations forgotten.
     */
    int heartbeat(long now) {
        int expired = 0;
        for (Iterator<Room> it = rooms.values().iterator(); it.hasNext(); ) {
            Room room = it.next();
            expired += room.expireRegistrations(now, REGISTRATION_IDLE_MS);
            if (room.idle(now, ROOM_IDLE_MS)) {
                it.remove();
            }
        }
        return expired;
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
