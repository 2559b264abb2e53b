package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.T0;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlWriter;

/**
 * A room moved through its byte form ({@link RoomState}) is the same room: a full room answers
 * every probe exactly as its never-moved twin; bad bytes are refused readably; newer minor
 * versions are read, newer major versions refused.
 */
class RoomStateTest {
    private static final String OWN = "own@" + S;
    private static final Jid OWN_KEY = Jid.parse(OWN);
    private static final String F = "frank@example.org/f";

    private static Harness fullRoom() {
        return Scenes.fullRoom(OWN);
    }

    /** Moves the room out of {@code from} into a new single-node core through bytes. */
    private static Harness moved(Harness from) {
        RoomState state = from.service().exportRoom(OWN_KEY);
        assertEquals(OWN_KEY, state.room());
        Harness to = new Harness(new ConferenceService(Scenes.settings(), T0), from.now());
        to.service().importRoom(RoomState.decode(state.bytes()), from.now());
        return to;
    }

    /** Probes every part of the room; each answer must equal the never-moved room's. */
    private static final String[] PROBES = Scenes.fullRoomProbes(OWN);

    @Test
    void aFullRoomAnswersEveryProbeAsIfItNeverMoved() {
        Harness reference = fullRoom();
        Harness source = fullRoom();
        int rooms = source.service().roomCount();
        int participants = source.service().participantCount();
        Harness target = moved(source);
        assertEquals(rooms - 1, source.service().roomCount());
        assertEquals(participants - 4, source.service().participantCount());
        assertEquals(rooms, target.service().roomCount());
        assertEquals(participants, target.service().participantCount());

        List<Element> muc = target.in(PROBES[0]);
        String replay = muc.stream().map(XmlWriter::toXml).filter(x -> x.contains("<body>one</body>")).findFirst().orElseThrow();
        assertTrue(replay.contains("jabber:x:delay") && replay.contains("urn:xmpp:delay"), replay);
        assertTrue(muc.stream().map(XmlWriter::toXml).anyMatch(x -> x.contains("<status>here</status>")), "C's cached presence");
        assertSame(reference.in(PROBES[0]), muc, PROBES[0]);
        for (int i = 1; i < PROBES.length; i++) {
            assertSame(reference.in(PROBES[i]), target.in(PROBES[i]), PROBES[i]);
        }
        // F's registration expires on the same heartbeat; the ownerless room then goes when empty
        reference.advanceWithHeartbeats(240_000);
        target.advanceWithHeartbeats(240_000);
        String join = "<iq type='set' id='p20' to='" + OWN + "' from='" + F + "'><query xmlns='jabber:iq:conference'>"
                + "<secret>pw</secret><nick>frank</nick></query></iq>";
        assertSame(reference.in(join), target.in(join), join);
        assertEquals(reference.service().registrationsExpired(), target.service().registrationsExpired());
    }

    private static void assertSame(List<Element> expected, List<Element> actual, String probe) {
        assertEquals(expected.stream().map(XmlWriter::toXml).toList(), actual.stream().map(XmlWriter::toXml).toList(),
                "answer to " + probe);
    }

    @Test
    void exportingAnUnknownRoomGivesNothingAndImportingAHeldRoomIsRefused() {
        Harness h = fullRoom();
        assertNull(h.service().exportRoom(Jid.parse("nowhere@" + S)));
        RoomState state = h.service().exportRoom(Jid.parse("OWN@" + S + "/x")); // any form of the room's JID
        h.service().importRoom(state, h.now());
        int rooms = h.service().roomCount();
        int participants = h.service().participantCount();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.service().importRoom(state, h.now()));
        assertTrue(e.getMessage().contains(OWN), e.getMessage());
        assertEquals(rooms, h.service().roomCount());
        assertEquals(participants, h.service().participantCount());
    }

    @Test
    void aSnapshotIsTheExportWithoutTheRoomLeaving() {
        Harness h = fullRoom();
        int participants = h.service().participantCount();
        assertNull(h.service().snapshotRoom(Jid.parse("nowhere@" + S)));
        assertTrue(h.service().holds(OWN_KEY));
        byte[] snapshot = h.service().snapshotRoom(Jid.parse("OWN@" + S + "/x")).bytes();
        assertTrue(h.service().holds(OWN_KEY), "still held after the snapshot");
        assertEquals(participants, h.service().participantCount());
        assertArrayEquals(snapshot, h.service().snapshotRoom(OWN_KEY).bytes(), "a snapshot changes nothing");
        assertArrayEquals(snapshot, h.service().exportRoom(OWN_KEY).bytes(), "the same bytes as the export");
        assertFalse(h.service().holds(OWN_KEY));
    }

    // ---- bad input ---------------------------------------------------------------------------

    private static byte[] fullRoomBytes() {
        return fullRoom().service().exportRoom(OWN_KEY).bytes();
    }

    private static String refusal(byte[] bytes) {
        return assertThrows(IllegalArgumentException.class, () -> RoomState.decode(bytes)).getMessage();
    }

    @Test
    void garbageIsRefusedReadably() {
        assertTrue(refusal(new byte[0]).contains("too short"), refusal(new byte[0]));
        assertTrue(refusal("<presence/>".getBytes()).contains("schema version"), refusal("<presence/>".getBytes()));
        byte[] noise = new byte[300];
        new Random(1).nextBytes(noise);
        noise[0] = 0;
        noise[1] = 1; // looks like version 1.x, then nonsense
        assertTrue(refusal(noise).startsWith("not a usable room state"), refusal(noise));
    }

    @Test
    void everyTruncationIsRefusedReadably() {
        byte[] bytes = fullRoomBytes();
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            String why = refusal(cut);
            assertTrue(why.startsWith("not a usable room state: "), n + " bytes: " + why);
        }
    }

    @Test
    void damagedBytesNeverEscapeAsAnythingButARefusal() {
        byte[] bytes = fullRoomBytes();
        Random rnd = new Random(42);
        for (int i = 0; i < 3_000; i++) {
            byte[] damaged = bytes.clone();
            for (int k = 0; k <= rnd.nextInt(3); k++) {
                damaged[rnd.nextInt(damaged.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            try {
                RoomState.decode(damaged);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().startsWith("not a usable room state"), expected.getMessage());
            } catch (RuntimeException e) {
                fail("damaged state escaped as " + e, e);
            }
        }
    }

    @Test
    void aNewerMajorVersionIsRefusedAndAnOlderUnknownOneToo() {
        byte[] bytes = fullRoomBytes();
        ByteBuffer.wrap(bytes).putInt(0, 2 << 16 | 3);
        String why = refusal(bytes);
        assertTrue(why.contains("schema version 2.3 is newer than this node reads (1.x)"), why);
        ByteBuffer.wrap(bytes).putInt(0, 7);
        assertTrue(refusal(bytes).contains("unknown schema version 0.7"), refusal(bytes));
    }

    /** A newer minor version appends fields to sections and records, and whole sections: all skipped. */
    @Test
    void aNewerMinorVersionIsReadSkippingWhatItAppended() throws IOException {
        Harness reference = fullRoom();
        Harness source = fullRoom();
        byte[] bytes = source.service().exportRoom(OWN_KEY).bytes();
        byte[] newer = appendToEverySection(bytes);
        Harness target = new Harness(new ConferenceService(Scenes.settings(), T0), source.now());
        target.service().importRoom(RoomState.decode(newer), source.now());
        for (String probe : PROBES) {
            assertSame(reference.in(probe), target.in(probe), probe);
        }
    }

    /** Version 1.99: eight unknown bytes at the end of every section, and one unknown section. */
    private static byte[] appendToEverySection(byte[] bytes) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        assertEquals(RoomCodec.MAJOR << 16 | RoomCodec.MINOR, in.getInt());
        out.writeInt(RoomCodec.MAJOR << 16 | 99);
        List<byte[]> sections = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] s = new byte[in.getInt()];
            in.get(s);
            sections.add(s);
        }
        assertEquals(4, sections.size());
        for (byte[] s : sections) {
            out.writeInt(s.length + 8);
            out.write(s);
            out.writeLong(0x5eed_5eed_5eed_5eedL);
        }
        out.writeInt(4);
        out.writeInt(12345);
        return b.toByteArray();
    }

    @Test
    void anEmptyPredefinedRoomRoundTrips() {
        Harness h = Scenes.harness();
        Jid help = Jid.parse(Scenes.HELP);
        byte[] bytes = h.service().exportRoom(help).bytes();
        assertEquals(1, h.service().roomCount());
        h.service().importRoom(RoomState.decode(bytes), h.now());
        assertEquals(2, h.service().roomCount());
        assertFalse(h.service().roomKeys().isEmpty());
        // still predefined: never destroyed by the heartbeat
        h.advanceWithHeartbeats(400_000);
        assertEquals(2, h.service().roomCount());
    }
}
