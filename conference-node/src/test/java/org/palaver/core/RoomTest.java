package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.xml.Jid;

class RoomTest {
    private static Room dynamicRoom() {
        return new Room(Jid.parse("r@s.example"), false, new History(10, 65536), new Notices(null, null, null), 0);
    }

    private static Participant enter(Room room, String user, String nick, boolean legacy) {
        Participant p = room.register(Jid.parse(user + "@x.example/r"), 0);
        p.enter(room.jid.withResource(HashId.of(p.real)), room.jid.withResource(nick), legacy, false, false);
        room.addEntered(p);
        return p;
    }

    @Test
    void pushIds() {
        Room room = dynamicRoom();
        assertFalse(room.isPushId("push1"), "not issued yet");
        assertEquals("push1", room.nextPushId());
        assertEquals("push2", room.nextPushId());
        assertTrue(room.isPushId("push1"));
        assertTrue(room.isPushId("push2"));
        assertFalse(room.isPushId("push3"));
        assertFalse(room.isPushId("push"));
        assertFalse(room.isPushId("push0"));
        assertFalse(room.isPushId("pushx"));
        assertFalse(room.isPushId("push99999999999999999999999"));
        assertFalse(room.isPushId(null));
    }

    @Test
    void resourceResolvesHashBeforeNick() {
        Room room = dynamicRoom();
        Participant a = enter(room, "a", "alice", false);
        assertSame(a, room.resolve(a.hash()));
        assertSame(a, room.resolve("alice"));
        assertNull(room.resolve("nobody"));
        assertTrue(room.nickInUse("alice"));
        assertTrue(room.nickInUse(a.hash()), "a hash id is no free nick: R/x resolves hashes first");
        assertFalse(room.nickInUse("Alice"), "nicks compare case-sensitively");
    }

    @Test
    void recipientSnapshotIsRebuiltOnlyOnMembershipChange() {
        Room room = dynamicRoom();
        Participant a = enter(room, "a", "alice", false);
        Participant c = enter(room, "c", "carol", true);
        Recipients first = room.recipients();
        assertEquals(List.of(a.real), first.newStyle);
        assertEquals(List.of(c.real), first.plainLegacy);
        assertSame(first, room.recipients());
        room.renamed(a, "alice"); // renames keep the snapshot
        assertSame(first, room.recipients());
        room.removeEntered(c);
        assertEquals(List.of(), room.recipients().plainLegacy);
    }

    @Test
    void expiryClearsOwnershipAndIdleRules() {
        Room room = dynamicRoom();
        room.owner = room.register(Jid.parse("o@x.example/r"), 0);
        room.expireRegistrations(120_000, Rooms.REGISTRATION_IDLE_MS);
        assertTrue(room.isRegistered(Jid.parse("o@x.example/r")), "exactly 120 s idle is not more than 120 s");
        assertFalse(room.idle(1_000_000, Rooms.ROOM_IDLE_MS), "owned");
        room.expireRegistrations(120_001, Rooms.REGISTRATION_IDLE_MS);
        assertNull(room.owner);
        assertFalse(room.idle(240_000, Rooms.ROOM_IDLE_MS));
        assertTrue(room.idle(240_001, Rooms.ROOM_IDLE_MS));
        Room predefined = new Room(Jid.parse("p@s.example"), true, new History(10, 65536), new Notices(null, null, null), 0);
        assertFalse(predefined.idle(10_000_000, Rooms.ROOM_IDLE_MS));
    }
}
