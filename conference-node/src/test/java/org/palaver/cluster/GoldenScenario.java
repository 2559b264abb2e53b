package org.palaver.cluster;

import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.S;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The node messages of the golden files (node-message-TYPE.bin), by type, the room-carrying
     * ones with {@code room}, the encoded room state.
     */
    static Map<String, NodeMessage> messages(byte[] room) {
        Map<String, NodeMessage> m = new LinkedHashMap<>();
        m.put("STANZA", NodeMessage.about(NodeMessage.Type.STANZA, 7, N1, OWN, STANZA).relayedBy(N2));
        m.put("HANDOFF", NodeMessage.about(NodeMessage.Type.HANDOFF, 8, N1, OWN, room));
        m.put("FLUSH", NodeMessage.marker(NodeMessage.Type.FLUSH, 9, N1));
        m.put("DONE", NodeMessage.marker(NodeMessage.Type.DONE, 10, N2));
        m.put("SNAPSHOT", NodeMessage.about(NodeMessage.Type.SNAPSHOT, 11, N1, OWN,
                new BackupPayload(0, 0, room).encode()));
        m.put("DELTA", NodeMessage.about(NodeMessage.Type.DELTA, 11, N1, OWN,
                new BackupPayload(42, T0 + 5_000, STANZA).encode()));
        m.put("BEAT", NodeMessage.about(NodeMessage.Type.BEAT, 11, N1, "",
                new BackupPayload(0, T0 + 120_000, new byte[0]).encode()));
        m.put("DROP", NodeMessage.about(NodeMessage.Type.DROP, 12, N1, OWN, new byte[0]));
        m.put("RESYNC", NodeMessage.about(NodeMessage.Type.RESYNC, 12, N3, OWN, new byte[0]));
        m.put("OUTPUT", NodeMessage.about(NodeMessage.Type.OUTPUT, 13, N1, "",
                new RelayedOutput(OUTPUT_RECIPIENTS, TEMPLATE).encode()));
        return m;
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
