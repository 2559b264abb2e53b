package org.palaver.cluster;

import static org.palaver.cluster.GoldenScenario.OWN;
import static org.palaver.cluster.GoldenScenario.STANZA;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

        for (Map.Entry<String, NodeMessage> m : GoldenScenario.messages(room).entrySet()) {
            write(dir, m.getKey(), m.getValue());
        }
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
