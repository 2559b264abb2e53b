package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.xml.Jid;

class StanzaBufferTest {
    /** A sender's older stanzas come the long way round (via the previous owner) and go first. */
    @Test
    void olderEpochFirstThenArrivalOrderPerRoom() {
        Jid r1 = Jid.parse("r1@conference.example");
        Jid r2 = Jid.parse("r2@conference.example");
        StanzaBuffer<String> b = new StanzaBuffer<>();
        b.hold(r1, false, "r1-new-1");
        b.hold(r2, false, "r2-new-1");
        b.hold(r1, true, "r1-old-1");
        b.hold(r1, false, "r1-new-2");
        b.hold(r1, true, "r1-old-2");
        assertEquals(5, b.size());
        assertEquals(List.of("r1-old-1", "r1-old-2", "r1-new-1", "r1-new-2", "r2-new-1"), b.drain());
        assertTrue(b.isEmpty());
        assertEquals(List.of(), b.drain());
    }
}
