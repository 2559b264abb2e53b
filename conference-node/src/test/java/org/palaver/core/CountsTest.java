package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Scenes.leave;
import static org.palaver.testkit.Scenes.register;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;

/** The counts the core keeps for monitoring follow rooms, entries and every way of leaving. */
class CountsTest {
    private static final String EVE = "eve@example.org/x";
    private static final String FRANK = "frank@example.org/y";

    private static void assertCounts(Harness h, int rooms, int participants, long left, long bounced, long expired) {
        ConferenceService s = h.service();
        assertEquals(rooms, s.roomCount(), "rooms");
        assertEquals(participants, s.participantCount(), "participants");
        assertEquals(left, s.participantsLeft(), "left");
        assertEquals(bounced, s.participantsBounced(), "bounced");
        assertEquals(expired, s.registrationsExpired(), "expired");
    }

    @Test
    void countsFollowEntriesAndRemovals() {
        Harness h = Scenes.harness();
        assertCounts(h, 2, 0, 0, 0, 0); // the predefined rooms

        h = Scenes.aliceBobCarol();
        assertCounts(h, 2, 3, 0, 0, 0);

        Scenes.joinMuc(h, "new@" + S, D, "dave"); // creates a dynamic room
        assertCounts(h, 3, 4, 0, 0, 0);

        h.given("<presence to='" + R + "/caroline' from='" + C + "'/>"); // a rename is no entry
        assertCounts(h, 3, 4, 0, 0, 0);

        leave(h, R + "/caroline", C);
        assertCounts(h, 3, 3, 1, 0, 0);

        h.given("<message type='error' to='" + R + "' from='" + A + "'><error code='503'/></message>");
        assertCounts(h, 3, 2, 1, 1, 0);

        // a registration without entry is no participant, and forgetting it is no leave
        register(h, R, EVE);
        leave(h, R, EVE);
        assertCounts(h, 3, 2, 1, 1, 0);

        register(h, R, FRANK);
        h.advanceWithHeartbeats(240_000); // idle for more than 120 s at the second heartbeat
        assertCounts(h, 3, 2, 1, 1, 1);

        leave(h, "new@" + S + "/dave", D);
        h.advanceWithHeartbeats(360_000); // the empty, ownerless dynamic room goes
        assertCounts(h, 2, 1, 2, 1, 1);
    }
}
