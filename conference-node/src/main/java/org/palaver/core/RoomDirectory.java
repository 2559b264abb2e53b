package org.palaver.core;

import java.util.Collection;
import org.palaver.xml.Jid;

/**
 * Where the core publishes and reads room listings: in memory on a single node
 * ({@link LocalRoomDirectory}), shared by the shell in a cluster. The core calls it only when a
 * listing changes, never per message.
 */
public interface RoomDirectory {
    /** Called by the core whenever a listing of a room it holds is created or changes (count, name, registrations on a private service). */
    void changed(RoomListing listing);

    /** Called by the core when a room it held is destroyed or exported. */
    void removed(Jid room);

    /** Every room of the service known now (any node), any order; the core orders them for listings. */
    Collection<RoomListing> rooms();
}
