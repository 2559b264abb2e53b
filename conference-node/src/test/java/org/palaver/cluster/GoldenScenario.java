package org.palaver.cluster;

import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.S;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.palaver.core.RoomListing;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Jid;

/**
 * What the golden files of every release hold (src/test/resources/golden/VERSION/): the inputs
 * {@link GoldenWriterTest} encodes with the release's code and {@link GoldenFilesTest} expects to
 * read back with the current code. Frozen: a release's files were written from exactly these
 * values, so change nothing here; a new release writes its files with the same inputs.
 */
final class GoldenScenario {
    static final String OWN = "own@" + S;
    static final String F = "frank@example.org/f";
    static final String N1 = "5f1c2d3e-0000-4000-8000-000000000001";
    static final String N2 = "5f1c2d3e-0000-4000-8000-000000000002";
    static final String N3 = "5f1c2d3e-0000-4000-8000-000000000003";
    static final long T0 = Harness.T0;
    /** A forwarded or replicated stanza (STANZA, DELTA, single OUTPUT). */
    static final byte[] STANZA = ("<message type='groupchat' to='" + OWN + "' from='" + A
            + "'><body>hello &amp; more</body></message>").getBytes(StandardCharsets.UTF_8);
    /** A broadcast template without {@code to} (OUTPUT). */
    static final byte[] TEMPLATE = ("<message type='groupchat' from='" + OWN
            + "/alice'><body>hello &amp; more</body></message>").getBytes(StandardCharsets.UTF_8);
    static final List<String> OUTPUT_RECIPIENTS = List.of(A, "b\u00f6b@example.org/laptop");
    static final OwnershipView VIEW = new OwnershipView(5, List.of(N1, N2, N3));
    /** The room keys whose owner and backup under {@link #VIEW} are recorded (placement.txt). */
    static final int PLACED_KEYS = 24;
    static final RoomListing LISTING_FULL = new RoomListing(Jid.parse(OWN), "Own R\u00f6\u00f6m", 3, false, T0 + 1_000,
            Set.of(Jid.parse(A), Jid.parse(F)));
    static final RoomListing LISTING_BARE = new RoomListing(Jid.parse("lounge@" + S), null, 0, true, T0, Set.of());

    private GoldenScenario() {
    }

    static Jid placedKey(int i) {
        return Jid.parse("room" + i + "@" + S);
    }

    /** The room of every golden room state: {@link Scenes#fullRoom}. */
    static Harness fullRoom() {
        return Scenes.fullRoom(OWN);
    }

    /** Probes of every part of the room, asked of the decoded room and of its twin: {@link Scenes#fullRoomProbes}. */
    static final String[] PROBES = Scenes.fullRoomProbes(OWN);
}
