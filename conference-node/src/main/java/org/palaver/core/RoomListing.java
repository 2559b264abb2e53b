package org.palaver.core;

import java.util.Set;
import org.palaver.xml.Jid;

/**
 * What service-level listings (browse and disco#items of the service, spec §4.1/§13.1) know of
 * one room. {@code registered} is filled only on a private service (§5.5 visibility), else empty;
 * a {@code hidden} room (the owner turned {@code muc#roomconfig_publicroom} off) is listed to
 * nobody (decision 51).
 */
public record RoomListing(Jid room, String displayName, int participants, boolean predefined,
                          long createdMillis, Set<Jid> registered, boolean hidden) {
    public RoomListing {
        registered = Set.copyOf(registered);
    }

    /** A listed (not hidden) room. */
    public RoomListing(Jid room, String displayName, int participants, boolean predefined, long createdMillis,
                       Set<Jid> registered) {
        this(room, displayName, participants, predefined, createdMillis, registered, false);
    }
}
