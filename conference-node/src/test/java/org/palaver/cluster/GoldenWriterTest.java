package org.palaver.cluster;

import static org.palaver.cluster.GoldenScenario.N1;
import static org.palaver.cluster.GoldenScenario.N2;
import static org.palaver.cluster.GoldenScenario.N3;
import static org.palaver.cluster.GoldenScenario.OWN;
import static org.palaver.cluster.GoldenScenario.STANZA;
import static org.palaver.cluster.GoldenScenario.T0;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.palaver.xml.Jid;

/**
 * Writes the golden files of a release, when cutting it (README, "Releases"):
 * {@code mvn -B -q test -pl conference-node -Dtest=GoldenWriterTest -Dgolden.out=$PWD/conference-node/src/test/resources/golden/X.Y.Z}.
 * Skipped in ordinary builds. Every cross-node or stored format, with the inputs of
 * {@link GoldenScenario}; release 0.1.0's files were written by this same code run in a checkout
 * of that release.
 */
@EnabledIfSystemProperty(named = "golden.out", matches = ".+")
class GoldenWriterTest {
    @Test
    void write() throws Exception {
        Path dir = Path.of(System.getProperty("golden.out"));
        Files.createDirectories(dir);
        byte[] room = GoldenScenario.fullRoom().service().exportRoom(Jid.parse(OWN)).bytes();
        Files.write(dir.resolve("room-state.bin"), room);

        write(dir, "STANZA", NodeMessage.about(NodeMessage.Type.STANZA, 7, N1, OWN, STANZA).relayedBy(N2));
        write(dir, "HANDOFF", NodeMessage.about(NodeMessage.Type.HANDOFF, 8, N1, OWN, room));
        write(dir, "FLUSH", NodeMessage.marker(NodeMessage.Type.FLUSH, 9, N1));
        write(dir, "DONE", NodeMessage.marker(NodeMessage.Type.DONE, 10, N2));
        write(dir, "SNAPSHOT", NodeMessage.about(NodeMessage.Type.SNAPSHOT, 11, N1, OWN,
                new ReplicaPayload(0, 0, room).encode()));
        write(dir, "DELTA", NodeMessage.about(NodeMessage.Type.DELTA, 11, N1, OWN,
                new ReplicaPayload(42, T0 + 5_000, STANZA).encode()));
        write(dir, "BEAT", NodeMessage.about(NodeMessage.Type.BEAT, 11, N1, "",
                new ReplicaPayload(0, T0 + 120_000, new byte[0]).encode()));
        write(dir, "DROP", NodeMessage.about(NodeMessage.Type.DROP, 12, N1, OWN, new byte[0]));
        write(dir, "RESYNC", NodeMessage.about(NodeMessage.Type.RESYNC, 12, N3, OWN, new byte[0]));
        write(dir, "OUTPUT", NodeMessage.about(NodeMessage.Type.OUTPUT, 13, N1, "",
                new RelayedOutput(GoldenScenario.OUTPUT_RECIPIENTS, GoldenScenario.TEMPLATE).encode()));
        Files.write(dir.resolve("relayed-output-single.bin"), RelayedOutput.single(STANZA).encode());

        Files.writeString(dir.resolve("ownership-view.txt"), GoldenScenario.VIEW.encode());
        StringBuilder placement = new StringBuilder();
        for (int i = 0; i < GoldenScenario.PLACED_KEYS; i++) {
            Jid key = GoldenScenario.placedKey(i);
            placement.append(key).append(' ').append(GoldenScenario.VIEW.owner(key)).append(' ')
                    .append(GoldenScenario.VIEW.backup(key)).append('\n');
        }
        Files.writeString(dir.resolve("placement.txt"), placement.toString());
        Files.write(dir.resolve("listing-full.bin"), ListingCodec.encode(GoldenScenario.LISTING_FULL));
        Files.write(dir.resolve("listing-bare.bin"), ListingCodec.encode(GoldenScenario.LISTING_BARE));
    }

    private static void write(Path dir, String type, NodeMessage m) throws Exception {
        Files.write(dir.resolve("node-message-" + type + ".bin"), m.encode().getBytes());
    }
}
