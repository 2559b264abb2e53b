package org.palaver.core;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.palaver.xml.Jid;

/**
 * The single-node {@link RoomDirectory}: the listings of this core's rooms, in memory. Like the
 * core, not thread-safe; several cores of one test may share one to stand in for a cluster.
 */
public final class LocalRoomDirectory implements RoomDirectory {
    private final Map<Jid, RoomListing> listings = new HashMap<>();

    @Override
    public void changed(RoomListing listing) {
        listings.put(listing.room(), listing);
    }

    @Override
    public void removed(Jid room) {
        listings.remove(room);
    }

    @Override
    public Collection<RoomListing> rooms() {
        return Collections.unmodifiableCollection(listings.values());
    }
}
