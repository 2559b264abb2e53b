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
    void trailingBytesOfALaterVersionAreIgnoredAndGarbageIsRefused() {
        RoomListing l = new RoomListing(Jid.parse("r@conference.localhost"), "R", 1, false, 5L, Set.of());
        byte[] bytes = ListingCodec.encode(l);
        byte[] later = Arrays.copyOf(bytes, bytes.length + 3);
        later[0] = 2;
        assertEquals(l, ListingCodec.decode(later));
        assertThrows(IllegalArgumentException.class, () -> ListingCodec.decode(Arrays.copyOf(bytes, 6)));
        assertThrows(IllegalArgumentException.class, () -> ListingCodec.decode(new byte[] {0}));
    }
}
