package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.A2;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.S;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * Issue 10, memory bounded by configuration: rooms and user records per user (bare JID, on this
 * core), occupants per room, and the texts a room keeps (status, topic, name, description); each
 * refused with an error that names the limit, and counted.
 */
class HoldingsTest {
    private static final Jid ALICE = Jid.parse(A);

    private static Harness harness(int roomsPerUser, int registrationsPerUser) {
        return new Harness(ServiceSettings.defaults(S).withLimits(Limits.off()
                .withHoldings(64, 32, 64, roomsPerUser, registrationsPerUser)));
    }

    private static String room(int i) {
        return "r" + i + "@" + S;
    }

    private static List<Element> join(Harness h, int room, String from, String nick) {
        return h.in("<presence from='" + from + "' to='" + room(room) + "/" + nick + "'/>");
    }

    /** The single error's condition and text, e.g. {@code resource-constraint: ...}; {@code null} when none. */
    private static String error(List<Element> out) {
        for (Element e : out) {
            if ("error".equals(e.attr("type"))) {
                Element err = e.child("error");
                return err.firstElement().name() + ": " + err.childText("text");
            }
        }
        return null;
    }

    @Test
    void roomsPerUserCountsEveryRoomWithARecordAndLeavingFreesOne() {
        Harness h = harness(3, 100);
        join(h, 1, B, "b"); // bob's room: alice is only an occupant there
        for (int i = 1; i <= 3; i++) {
            assertNull(error(join(h, i, A, "a")));
        }
        List<Element> out = join(h, 4, A, "a");
        assertEquals("resource-constraint: you are in too many rooms here (at most 3); leave one first", error(out));
        assertEquals(3, h.service().roomCount(), "the refused presence created no room");
        assertEquals(3, h.service().roomsHeldBy(ALICE));
        assertEquals(1, h.service().refused(Refusal.ROOMS_PER_USER));
        assertNotNull(error(h.in("<presence from='" + A2 + "' to='" + room(5) + "'/>")),
                "another resource of the same bare JID counts too, also when it only registers");
        assertNull(error(join(h, 2, A2, "a2")), "a room the user is in already is no new room");
        assertNull(error(join(h, 4, B, "b")), "other users are not affected");
        h.given("<presence type='unavailable' from='" + A + "' to='" + room(1) + "/a'/>");
        h.given("<presence type='unavailable' from='" + A2 + "' to='" + room(2) + "/a2'/>");
        assertEquals(2, h.service().roomsHeldBy(ALICE), "leaving a room it did not create frees it");
        assertNull(error(join(h, 5, A, "a")));
    }

    @Test
    void registrationsPerUserCountsResourcesInAllRooms() {
        Harness h = harness(100, 3);
        assertNull(error(join(h, 1, "alice@example.org/1", "a1")));
        assertNull(error(join(h, 1, "alice@example.org/2", "a2")));
        assertNull(error(join(h, 2, "alice@example.org/3", "a3")));
        List<Element> out = join(h, 1, "alice@example.org/4", "a4");
        assertEquals("resource-constraint: your resources are in too many rooms here (at most 3 in all); leave one first",
                error(out));
        assertEquals(1, h.service().refused(Refusal.REGISTRATIONS_PER_USER));
        assertNull(error(h.in("<presence from='alice@example.org/3' to='" + room(2) + "/a3'><show>away</show></presence>")),
                "a known record may update its presence");
    }

    @Test
    void expiredRegistrationsAndMovedRoomsKeepTheCountsRight() {
        Harness h = harness(2, 100);
        h.given("<presence from='" + A + "' to='" + room(1) + "'/>"); // creates and registers only
        h.given("<presence from='" + B + "' to='" + room(2) + "/b'/>");
        h.given("<presence from='" + A + "' to='" + room(2) + "'/>"); // registers only
        assertEquals(2, h.service().roomsHeldBy(ALICE));
        RoomState moved = h.service().exportRoom(Jid.parse(room(2)));
        assertEquals(1, h.service().roomsHeldBy(ALICE), "a room moved away takes its records along");
        h.service().importRoom(moved, h.now());
        assertEquals(2, h.service().roomsHeldBy(ALICE), "and brings them back");
        h.in("<message from='" + B + "' to='" + room(2) + "' type='groupchat'><body>keep r2 busy</body></message>");
        h.advanceWithHeartbeats(2 * Rooms.REGISTRATION_IDLE_MS);
        assertEquals(1, h.service().roomsHeldBy(ALICE),
                "expired registrations free their rooms, but the room alice created lives on (its history, topic, name)");
        h.advanceWithHeartbeats(Rooms.REGISTRATION_IDLE_MS);
        assertEquals(0, h.service().roomsHeldBy(ALICE), "until it is destroyed as idle");
        assertNull(error(join(h, 3, A, "a")));
    }

    /** Creating rooms, filling them and leaving must not let one user keep more than its rooms alive. */
    @Test
    void roomsACreatorLeftStillCountUntilTheyAreGone() {
        Harness h = harness(2, 100);
        join(h, 1, A, "a");
        h.given("<presence type='unavailable' from='" + A + "' to='" + room(1) + "/a'/>");
        join(h, 2, A, "a");
        h.given("<presence type='unavailable' from='" + A + "' to='" + room(2) + "/a'/>");
        assertEquals("resource-constraint: you are in too many rooms here (at most 2); leave one first",
                error(join(h, 3, A, "a")));
        assertNull(error(join(h, 1, A, "a")), "a room it created is one of its rooms, not a new one");
        RoomState moved = h.service().exportRoom(Jid.parse(room(2)));
        assertEquals(1, h.service().roomsHeldBy(ALICE), "a room moved away no longer counts here");
        assertNull(error(join(h, 3, A, "a")));
        h.service().importRoom(moved, h.now());
        assertEquals(3, h.service().roomsHeldBy(ALICE) + 1, "a room moved in counts by its records only");
    }

    @Test
    void occupantsPerRoomAreCounted() {
        Harness h = new Harness(ServiceSettings.defaults(S).withLimits(64, 1));
        join(h, 1, A, "a");
        assertEquals("service-unavailable: room is full", error(join(h, 1, B, "b")));
        assertEquals(1, h.service().refused(Refusal.OCCUPANTS_PER_ROOM));
    }

    @Test
    void longStatusIsRefusedOnJoinAndOnUpdateToTheBareRoom() {
        Harness h = harness(100, 100);
        String status = "<status>" + "s".repeat(65) + "</status>";
        List<Element> out = h.in("<presence from='" + A + "' to='" + room(1) + "/a'>" + status + "</presence>");
        assertEquals("not-acceptable: status longer than 64 characters is not kept", error(out));
        assertEquals(0, h.service().roomCount());
        assertNull(error(join(h, 1, A, "a")));
        out = h.in("<presence from='" + A + "' to='" + room(1) + "'>" + status + "</presence>");
        assertEquals("not-acceptable: status longer than 64 characters is not kept", error(out));
        assertEquals(2, h.service().refused(Refusal.STATUS_SIZE));
    }

    @Test
    void longTopicIsRefusedAndTheOldOneStays() {
        Harness h = harness(100, 100);
        join(h, 1, A, "a");
        h.given("<message from='" + A + "' to='" + room(1) + "' type='groupchat'><subject>short</subject></message>");
        List<Element> out = h.in("<message from='" + A + "' to='" + room(1) + "' type='groupchat'><subject>"
                + "t".repeat(65) + "</subject></message>");
        assertEquals("not-acceptable: topic longer than 64 characters", error(out));
        assertEquals(1, out.size(), "nothing broadcast");
        out = join(h, 1, B, "b");
        assertTrue(out.stream().anyMatch(e -> "short".equals(e.childText("subject"))), out.toString());
        assertEquals(1, h.service().refused(Refusal.TOPIC_SIZE));
    }

    @Test
    void longNameSecretOrDescriptionIsRefusedAndNothingApplied() {
        Harness h = harness(100, 100);
        String longName = "n".repeat(33);
        h.given("<presence from='" + A + "' to='" + room(1) + "'/>");
        List<Element> out = h.in("<iq type='set' id='j' from='" + A + "' to='" + room(1) + "'>"
                + "<query xmlns='jabber:iq:conference'><nick>a</nick><name>" + longName + "</name></query></iq>");
        assertEquals("not-acceptable: room name or secret longer than 32 characters", error(out));
        assertEquals(0, h.service().participantCount(), "the join is refused as a whole");
        h.given("<iq type='set' id='j2' from='" + A + "' to='" + room(1) + "'>"
                + "<query xmlns='jabber:iq:conference'><nick>a</nick><name>ok</name></query></iq>");
        out = h.in("<iq type='set' id='c' from='" + A + "' to='" + room(1) + "'>"
                + "<query xmlns='jabber:iq:conference'><secret>" + longName + "</secret></query></iq>");
        assertEquals("not-acceptable: room name or secret longer than 32 characters", error(out));
        out = h.in(form("roomname", longName));
        assertEquals("not-acceptable: room name or password longer than 32 characters", error(out));
        out = h.in(form("roomdesc", "d".repeat(65)));
        assertEquals("not-acceptable: room description longer than 64 characters", error(out));
        out = h.in("<iq type='get' id='n' from='" + A + "' to='" + room(1) + "'><query xmlns='jabber:iq:conference'/></iq>");
        assertEquals("ok", out.get(0).child("query").childText("name"));
        assertEquals(3, h.service().refused(Refusal.ROOM_NAME_SIZE));
        assertEquals(1, h.service().refused(Refusal.TOPIC_SIZE));
    }

    private static String form(String field, String value) {
        return "<iq type='set' id='f' from='" + A + "' to='" + room(1) + "'>"
                + "<query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>"
                + "<field var='muc#roomconfig_" + field + "'><value>" + value + "</value></field></x></query></iq>";
    }

    @Test
    void affiliationListsAndBanReasonsAreBounded() {
        Harness h = new Harness(ServiceSettings.defaults(S).withLimits(Limits.off().withHoldings(64, 32, 64, 100, 100)
                .withAffiliations(2)));
        join(h, 1, A, "a");
        assertNull(error(h.in(admin("<item affiliation='member' jid='m1@example.org'/>"))));
        List<Element> out = h.in(admin("<item affiliation='member' jid='m2@example.org'/>"
                + "<item affiliation='outcast' jid='m3@example.org'/>"));
        assertEquals("resource-constraint: the room's affiliation lists hold at most 2 entries", error(out));
        assertEquals(1, h.service().refused(Refusal.AFFILIATIONS_PER_ROOM));
        assertNull(error(h.in(admin("<item affiliation='admin' jid='m1@example.org'/>"))), "a change of an entry adds none");
        out = h.in(admin("<item affiliation='outcast' jid='m2@example.org'><reason>" + "r".repeat(65) + "</reason></item>"));
        assertEquals("not-acceptable: reason longer than 64 characters", error(out));
        assertNull(error(h.in(admin("<item affiliation='outcast' jid='m2@example.org'><reason>spam</reason></item>"))));
        assertEquals("resource-constraint: the room's affiliation lists hold at most 2 entries",
                error(h.in(admin("<item affiliation='member' jid='m4@example.org'/>"))));
        assertNull(error(h.in(admin("<item affiliation='none' jid='m1@example.org'/>"))), "removing frees an entry");
        assertNull(error(h.in(admin("<item affiliation='member' jid='m4@example.org'/>"))));
    }

    private static String admin(String items) {
        return "<iq type='set' id='ad' from='" + A + "' to='" + room(1) + "'>"
                + "<query xmlns='http://jabber.org/protocol/muc#admin'>" + items + "</query></iq>";
    }
}
