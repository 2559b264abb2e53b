package org.palaver.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.palaver.xml.Jid;

/**
 * The rooms this core holds (spec §5): predefined rooms (public service only), dynamic rooms
 * created by presence, idle clean-up on the heartbeat, and rooms moved in and out whole.
 *
 * <p>A predefined room is materialised by the core that first needs it (a stanza to it), since in
 * a cluster only the room's owner gets its stanzas; a single node materialises them all at start.
 * Either way the room is the one of §5.2: configured name, secret, privacy and notices, no owner,
 * never destroyed. Its creation time is not observable (idle rules skip predefined rooms, and the
 * service's own {@code jabber:iq:last} is the service's uptime).
 *
 * <p>Service listings (browse, disco#items) come from the {@link RoomDirectory}, which may know
 * rooms of other cores: predefined rooms first in configuration order (shown with 0 participants
 * while nobody has materialised them), then the other rooms by creation time, then JID. Creation
 * times are made unique per core, so rooms created in the same millisecond keep their order.
 */
final class Rooms {
    /** Heartbeat bounds of the original [C41 con_beat_idle]. */
    static final long REGISTRATION_IDLE_MS = 120_000;
    static final long ROOM_IDLE_MS = 240_000;

    private static final Comparator<RoomListing> BY_CREATION =
            Comparator.comparingLong(RoomListing::createdMillis).thenComparing(l -> l.room().toString());

    private final ServiceSettings settings;
    private final RoomDirectory directory;
    private final Notices serviceNotices;
    private final long startMillis;
    /** The configured predefined rooms by key, in configuration order; empty on a private service. */
    private final Map<Jid, ServiceSettings.PredefinedRoom> predefined = new LinkedHashMap<>();
    private final Map<Jid, Room> rooms = new LinkedHashMap<>();
    private final Holdings holdings = new Holdings();
    private long lastCreated = Long.MIN_VALUE;

    Rooms(ServiceSettings settings, RoomDirectory directory, long startMillis) {
        this.settings = settings;
        this.directory = directory;
        this.serviceNotices = Notices.of(settings);
        this.startMillis = startMillis;
        if (settings.publicService()) { // predefined rooms are only loaded on a public service
            for (ServiceSettings.PredefinedRoom p : settings.rooms()) {
                predefined.put(Jid.of(p.node().toLowerCase(Locale.ROOT), settings.domain(), null).roomKey(), p);
            }
        }
    }

    /** Materialises every predefined room not held yet, in configuration order. */
    void materialisePredefined(long now) {
        for (Jid key : predefined.keySet()) {
            get(key, now);
        }
    }

    /**
     * The room with this key ({@link Jid#roomKey()}) on this core, materialising a configured
     * predefined room that is not here yet; {@code null} when there is no such room.
     */
    Room get(Jid roomKey, long now) {
        Room room = rooms.get(roomKey);
        if (room == null) {
            ServiceSettings.PredefinedRoom p = predefined.get(roomKey);
            if (p != null) {
                room = materialise(roomKey, p, now);
            }
        }
        return room;
    }

    /** The room with this key if this core holds it; never materialises one. */
    Room held(Jid roomKey) {
        return rooms.get(roomKey);
    }

    private Room materialise(Jid key, ServiceSettings.PredefinedRoom p, long now) {
        Room room = new Room(key, true, newHistory(), serviceNotices.overriddenBy(p), creationStamp(now), now);
        room.name(p.name());
        room.secret = emptyToNull(p.secret());
        room.privacyAllowed = p.privacy(); // DEV-3: read from the room element
        return add(room);
    }

    /**
     * A new dynamic room (§5.1): no name, no secret, privacy allowed; the creator is registered
     * and becomes the owner.
     */
    Room create(Jid roomKey, Jid creator, long now) {
        Room room = new Room(roomKey, false, newHistory(), serviceNotices, creationStamp(now), now);
        room.privacyAllowed = true;
        room.owner = room.register(creator, now);
        add(room);
        holdings.created(creator, roomKey);
        return room;
    }

    private History newHistory() {
        return new History(settings.historySize(), settings.historyBytes());
    }

    /** {@code now}, or just after the last creation stamp of this core when that is not earlier. */
    private long creationStamp(long now) {
        lastCreated = Math.max(now, lastCreated + 1);
        return lastCreated;
    }

    private Room add(Room room) {
        rooms.put(room.jid, room);
        room.list(directory, !settings.publicService(), holdings);
        return room;
    }

    /** Installs a room moved here from another core (or back); it must not be here already. */
    void install(Room room) {
        if (rooms.containsKey(room.jid)) {
            throw new IllegalStateException("room " + room.jid + " is already held by this core");
        }
        lastCreated = Math.max(lastCreated, room.created);
        add(room);
    }

    /** Removes a room that moves to another core; {@code null} when it is not here. */
    Room remove(Jid roomKey) {
        Room room = rooms.remove(roomKey);
        if (room != null) {
            unlist(room);
        }
        return room;
    }

    private void unlist(Room room) {
        room.unlist();
        holdings.gone(room.jid);
        directory.removed(room.jid);
    }

    /** What each user holds in the rooms here. */
    Holdings holdings() {
        return holdings;
    }

    Collection<Jid> keys() {
        return rooms.keySet();
    }

    int size() {
        return rooms.size();
    }

    /** Every room of the service in listing order (see the class comment). */
    List<RoomListing> listings() {
        Map<Jid, RoomListing> known = new HashMap<>();
        for (RoomListing l : directory.rooms()) {
            known.put(l.room(), l);
        }
        List<RoomListing> ordered = new ArrayList<>(known.size() + predefined.size());
        for (Map.Entry<Jid, ServiceSettings.PredefinedRoom> p : predefined.entrySet()) {
            RoomListing l = known.remove(p.getKey());
            ordered.add(l != null ? l : notMaterialised(p.getKey(), p.getValue()));
        }
        List<RoomListing> others = new ArrayList<>(known.values());
        others.sort(BY_CREATION);
        ordered.addAll(others);
        return ordered;
    }

    /** A predefined room nobody has needed yet: empty, as configured. */
    private RoomListing notMaterialised(Jid key, ServiceSettings.PredefinedRoom p) {
        return new RoomListing(key, Room.displayName(p.name(), key), 0, true, startMillis, Set.of());
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
                unlist(room);
            }
        }
        return expired;
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
