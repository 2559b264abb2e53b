package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.cluster.GoldenScenario.N1;
import static org.palaver.cluster.GoldenScenario.N2;
import static org.palaver.cluster.GoldenScenario.N3;
import static org.palaver.cluster.GoldenScenario.OWN;
import static org.palaver.cluster.GoldenScenario.STANZA;
import static org.palaver.cluster.GoldenScenario.T0;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.palaver.core.ConferenceService;
import org.palaver.core.RoomListing;
import org.palaver.core.RoomState;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Releases;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Element;
import org.palaver.xml.ElementReader;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlWriter;

/**
 * Bytes written by every recorded release (RELEASES), for every format that crosses nodes or is
 * stored in Hazelcast, read by the current code: the room state, every node message type, the
 * replication payloads (snapshot, delta, heartbeat), the relayed output, the ownership view and
 * the placement it gives, the room listings. Each is decoded and its content asserted; a change
 * that can no longer read what a release wrote fails here (docs/compatibility.md). The files
 * were written by {@link GoldenWriterTest} run with that release's code, from the inputs of
 * {@link GoldenScenario}.
 */
class GoldenFilesTest {
    static Stream<String> releases() {
        return Releases.recorded().all().stream().map(Releases.Release::version);
    }

    @Test
    void everyRecordedReleaseHasGoldenFiles() {
        List<String> missing = new ArrayList<>();
        releases().forEach(v -> {
            if (GoldenFilesTest.class.getResource("/golden/" + v + "/room-state.bin") == null) {
                missing.add(v);
            }
        });
        assertTrue(releases().findAny().isPresent(), "RELEASES lists a release");
        assertEquals(List.of(), missing, "releases without golden files (README, \"Releases\")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void roomStateAnswersEveryProbeAsTheRoomItWasWrittenFrom(String release) {
        RoomState state = RoomState.decode(bytes(release, "room-state.bin"));
        assertEquals(Jid.parse(OWN), state.room());
        assertRoomIsTheScenarios(state);
    }

    /** Imports {@code state} into a fresh core; it must answer every probe as the scenario's room, built now. */
    private static void assertRoomIsTheScenarios(RoomState state) {
        Harness reference = GoldenScenario.fullRoom();
        Harness decoded = new Harness(new ConferenceService(Scenes.settings(), T0), reference.now());
        decoded.service().importRoom(state, reference.now());
        assertEquals(4, decoded.service().participantCount(), "alice, dave, bob, carol entered");

        List<Element> join = decoded.in(GoldenScenario.PROBES[0]);
        List<String> joinXml = join.stream().map(XmlWriter::toXml).toList();
        assertTrue(joinXml.stream().anyMatch(x -> x.contains("<body>one</body>") && x.contains("urn:xmpp:delay")),
                "history replayed with its time: " + joinXml);
        assertTrue(joinXml.stream().anyMatch(x -> x.contains("<body>two</body>")), "the whole history: " + joinXml);
        assertTrue(joinXml.stream().anyMatch(x -> x.contains("<subject>Topic!</subject>")), "the topic: " + joinXml);
        assertTrue(joinXml.stream().anyMatch(x -> x.contains("<status>here</status>")), "carol's cached presence");
        assertEquals(xml(reference.in(GoldenScenario.PROBES[0])), joinXml, GoldenScenario.PROBES[0]);
        for (int i = 1; i < GoldenScenario.PROBES.length; i++) {
            String probe = GoldenScenario.PROBES[i];
            assertEquals(xml(reference.in(probe)), xml(decoded.in(probe)), "answer to " + probe);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void forwardedStanza(String release) {
        NodeMessage m = message(release, NodeMessage.Type.STANZA);
        assertEquals(7, m.epoch());
        assertEquals(N2, m.sender(), "the relaying node");
        assertEquals(1, m.hops());
        assertEquals(OWN, m.key());
        assertArrayEquals(STANZA, m.payload());
        Element stanza = ElementReader.unbounded().read(m.payload());
        assertEquals("hello & more", stanza.childText("body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void handoffCarriesTheRoomState(String release) {
        NodeMessage m = message(release, NodeMessage.Type.HANDOFF);
        assertHeader(m, 8, N1, OWN);
        assertArrayEquals(bytes(release, "room-state.bin"), m.payload());
        assertRoomIsTheScenarios(RoomState.decode(m.payload()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void barrierMarkers(String release) {
        NodeMessage flush = message(release, NodeMessage.Type.FLUSH);
        assertHeader(flush, 9, N1, "");
        assertEquals(0, flush.payload().length);
        NodeMessage done = message(release, NodeMessage.Type.DONE);
        assertHeader(done, 10, N2, "");
        assertEquals(0, done.payload().length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void replication(String release) {
        NodeMessage snapshot = message(release, NodeMessage.Type.SNAPSHOT);
        assertHeader(snapshot, 11, N1, OWN);
        BackupPayload s = BackupPayload.decode(snapshot.payload());
        assertEquals(0, s.seq());
        assertEquals(0, s.now());
        assertRoomIsTheScenarios(RoomState.decode(s.body()));

        NodeMessage delta = message(release, NodeMessage.Type.DELTA);
        assertHeader(delta, 11, N1, OWN);
        BackupPayload d = BackupPayload.decode(delta.payload());
        assertEquals(42, d.seq());
        assertEquals(T0 + 5_000, d.now());
        assertArrayEquals(STANZA, d.body());

        NodeMessage beat = message(release, NodeMessage.Type.BEAT);
        assertHeader(beat, 11, N1, "");
        BackupPayload b = BackupPayload.decode(beat.payload());
        assertEquals(T0 + 120_000, b.now());
        assertEquals(0, b.body().length);

        NodeMessage drop = message(release, NodeMessage.Type.DROP);
        assertHeader(drop, 12, N1, OWN);
        assertEquals(0, drop.payload().length);
        NodeMessage resync = message(release, NodeMessage.Type.RESYNC);
        assertHeader(resync, 12, N3, OWN);
        assertEquals(0, resync.payload().length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void relayedOutput(String release) {
        NodeMessage m = message(release, NodeMessage.Type.OUTPUT);
        assertHeader(m, 13, N1, "");
        RelayedOutput broadcast = RelayedOutput.decode(m.payload());
        assertEquals(GoldenScenario.OUTPUT_RECIPIENTS, broadcast.recipients());
        assertArrayEquals(GoldenScenario.TEMPLATE, broadcast.stanza());
        assertNull(ElementReader.unbounded().read(broadcast.stanza()).attr("to"), "a template has no 'to'");

        RelayedOutput single = RelayedOutput.decode(bytes(release, "relayed-output-single.bin"));
        assertNull(single.recipients());
        assertArrayEquals(STANZA, single.stanza());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void ownershipViewAndThePlacementItGives(String release) {
        OwnershipView view = OwnershipView.decode(new String(bytes(release, "ownership-view.txt"), StandardCharsets.UTF_8));
        assertEquals(GoldenScenario.VIEW, view);
        assertEquals(5, view.epoch());
        assertEquals(List.of(N1, N2, N3), view.members());
        // nodes of different versions must agree on every room's owner and backup
        String[] lines = new String(bytes(release, "placement.txt"), StandardCharsets.UTF_8).split("\n");
        assertEquals(GoldenScenario.PLACED_KEYS, lines.length);
        for (int i = 0; i < lines.length; i++) {
            Jid key = GoldenScenario.placedKey(i);
            assertEquals(key + " " + view.owner(key) + " " + view.backup(key), lines[i], "owner and backup of " + key);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void listings(String release) {
        RoomListing full = ListingCodec.decode(bytes(release, "listing-full.bin"));
        assertEquals(GoldenScenario.LISTING_FULL, full);
        assertEquals("Own R\u00f6\u00f6m", full.displayName());
        assertEquals(2, full.registered().size());
        RoomListing bare = ListingCodec.decode(bytes(release, "listing-bare.bin"));
        assertEquals(GoldenScenario.LISTING_BARE, bare);
        assertNull(bare.displayName());
        assertTrue(bare.predefined());
        assertFalse(full.predefined());
    }

    private static void assertHeader(NodeMessage m, long epoch, String sender, String key) {
        assertEquals(epoch, m.epoch(), "epoch");
        assertEquals(sender, m.sender(), "sender");
        assertEquals(0, m.hops(), "hops");
        assertEquals(key, m.key(), "key");
    }

    /**
     * The writers still write every release's bytes, byte for byte, for the formats whose version
     * has not changed since 0.1.0 (node message 1, relayed output, backup payload): the messages of
     * {@link GoldenScenario#messages}, the room-carrying ones with the release's own room state,
     * and the single relayed output. (Room state and listing have new versions since; their old
     * bytes are read above.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void theWritersStillWriteTheSameBytes(String release) {
        GoldenScenario.messages(bytes(release, "room-state.bin")).forEach((type, m) ->
                assertArrayEquals(bytes(release, "node-message-" + type + ".bin"), m.encode().getBytes(), type));
        assertArrayEquals(bytes(release, "relayed-output-single.bin"), RelayedOutput.single(STANZA).encode());
    }

    private static NodeMessage message(String release, NodeMessage.Type type) {
        NodeMessage m = NodeMessage.decode(Buffer.buffer(bytes(release, "node-message-" + type + ".bin")));
        assertEquals(type, m.type());
        return m;
    }

    private static byte[] bytes(String release, String file) {
        String path = "/golden/" + release + "/" + file;
        try (InputStream in = GoldenFilesTest.class.getResourceAsStream(path)) {
            assertNotNull(in, path + " is missing");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(path, e);
        }
    }

    private static List<String> xml(List<Element> out) {
        return out.stream().map(XmlWriter::toXml).toList();
    }
}
