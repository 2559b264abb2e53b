package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.palaver.core.RoomListing;
import org.palaver.xml.Jid;

class ListingCodecTest {
    @Test
    void roundTripWithAndWithoutName() {
        RoomListing named = new RoomListing(Jid.parse("lounge@conference.localhost"), "The Lounge", 3, true, 1234L,
                Set.of(Jid.parse("a@localhost"), Jid.parse("b@localhost")));
        RoomListing unnamed = new RoomListing(Jid.parse("x@conference.localhost"), null, 0, false, 9L, Set.of());
        assertEquals(named, ListingCodec.decode(ListingCodec.encode(named)));
        assertEquals(unnamed, ListingCodec.decode(ListingCodec.encode(unnamed)));
    }

    @Test
    void version2CarriesTheHiddenFlagAndVersion1BytesAreListedRooms() {
        RoomListing hidden = new RoomListing(Jid.parse("h@conference.localhost"), "H", 2, false, 7L, Set.of(), true);
        byte[] bytes = ListingCodec.encode(hidden);
        assertEquals(2, bytes[0], "format version");
        assertEquals(hidden, ListingCodec.decode(bytes));
        // the same listing as release 0.1.0 writes it (format 1: no flag) is a listed room
        byte[] v1 = Arrays.copyOf(bytes, bytes.length - 1);
        v1[0] = 1;
        assertEquals(new RoomListing(hidden.room(), "H", 2, false, 7L, Set.of()), ListingCodec.decode(v1));
    }

    @Test
    void trailingBytesOfALaterVersionAreIgnoredAndGarbageIsRefused() {
        RoomListing l = new RoomListing(Jid.parse("r@conference.localhost"), "R", 1, false, 5L, Set.of());
        byte[] bytes = ListingCodec.encode(l);
        byte[] later = Arrays.copyOf(bytes, bytes.length + 3);
        later[0] = 3;
        assertEquals(l, ListingCodec.decode(later));
        assertThrows(IllegalArgumentException.class, () -> ListingCodec.decode(Arrays.copyOf(bytes, 6)));
        assertThrows(IllegalArgumentException.class, () -> ListingCodec.decode(new byte[] {0}));
    }
}
