package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.T0;
import static org.palaver.testkit.Scenes.HELP;
import static org.palaver.testkit.Scenes.register;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlWriter;

/**
 * Service listings come from the {@link RoomDirectory}: predefined rooms (materialised or not)
 * first in configuration order, then rooms by creation; rooms held by other cores are listed;
 * private-service visibility follows the registrations; the core tells the directory of every
 * listing change and of nothing else.
 */
class RoomDirectoryTest {
    private static final String LOUNGE = Harness.R;
    private static final String BROWSE = "<query xmlns='jabber:iq:browse'/>";
    private static final String ITEMS = "<query xmlns='http://jabber.org/protocol/disco#items'/>";

    /** A cluster-style core (predefined rooms on demand) over {@code directory}. */
    private static Harness lazy(ServiceSettings settings, RoomDirectory directory) {
        return new Harness(new ConferenceService(settings, T0, directory), T0);
    }

    private static Element serviceGet(Harness h, String from, String query) {
        return h.in("<iq type='get' id='q' to='" + S + "' from='" + from + "'>" + query + "</iq>").get(0);
    }

    private static List<String> listedRooms(Element answer) {
        List<String> jids = new ArrayList<>();
        for (Element e : answer.firstElement().elements()) {
            if (e.attr("jid") != null) {
                jids.add(e.attr("jid") + " " + e.attr("name"));
            }
        }
        return jids;
    }

    /** Same stanza to both, same answer. */
    private static List<Element> same(Harness eager, Harness lazy, String xml) {
        List<Element> expected = eager.in(xml);
        List<Element> actual = lazy.in(xml);
        assertEquals(xml(expected), xml(actual), xml);
        return actual;
    }

    private static List<String> xml(List<Element> out) {
        return out.stream().map(XmlWriter::toXml).toList();
    }

    @Test
    void listingsKeepTheirOrderWithLazyPredefinedRooms() {
        Harness eager = Scenes.harness();
        Harness h = lazy(Scenes.settings(), new LocalRoomDirectory());
        assertEquals(0, h.service().roomCount());
        assertEquals(List.of(LOUNGE + " The Lounge (0)", HELP + " Assistance Zone (0)"),
                listedRooms(serviceGet(h, A, BROWSE)));

        // two dynamic rooms in the same millisecond: creation order, not alphabetical
        for (Harness x : List.of(eager, h)) {
            register(x, "zed@" + S, A);
            register(x, "abc@" + S, B);
            Scenes.joinLegacy(x, LOUNGE, D, "dave");
        }
        same(eager, h, "<iq type='get' id='r' to='" + HELP + "' from='" + C + "'><query xmlns='jabber:iq:conference'/></iq>");
        assertEquals(List.of(LOUNGE + " The Lounge (1)", HELP + " Assistance Zone (0)", "zed@" + S + " zed (0)",
                "abc@" + S + " abc (0)"), listedRooms(serviceGet(h, A, BROWSE)));
        assertEquals(4, h.service().roomCount());
        for (String query : List.of(BROWSE, ITEMS)) {
            same(eager, h, "<iq type='get' id='q' to='" + S + "' from='" + A + "'>" + query + "</iq>");
        }
    }

    @Test
    void roomsHeldElsewhereAreListedInTheirPlace() {
        LocalRoomDirectory directory = new LocalRoomDirectory();
        Harness one = lazy(Scenes.settings(), directory);
        Harness two = lazy(Scenes.settings(), directory);
        Harness eager = Scenes.harness();
        for (Harness x : List.of(eager, one)) {
            register(x, "first@" + S, A);
            x.advance(5);
            register(x, "second@" + S, B);
            x.advance(5);
            register(x, "third@" + S, C);
            Scenes.joinLegacy(x, LOUNGE, D, "dave");
        }
        two.advance(10);
        two.service().importRoom(one.service().exportRoom(Jid.parse("first@" + S)), two.now());
        two.service().importRoom(one.service().exportRoom(Jid.parse(LOUNGE)), two.now());
        assertEquals(2, one.service().roomCount());
        assertEquals(2, two.service().roomCount());
        String browse = "<iq type='get' id='q' to='" + S + "' from='" + A + "'>" + BROWSE + "</iq>";
        List<String> expected = xml(eager.in(browse));
        assertEquals(expected, xml(one.in(browse)));
        assertEquals(expected, xml(two.in(browse)));
    }

    @Test
    void lazilyCreatedPredefinedRoomsBehaveAsEagerOnesAndSurviveTheHeartbeat() {
        Harness eager = Scenes.harness();
        Harness h = lazy(Scenes.settings(), new LocalRoomDirectory());
        String get = "<iq type='get' id='g' to='" + HELP + "' from='" + C + "'><query xmlns='jabber:iq:conference'/></iq>";
        same(eager, h, "<message type='groupchat' to='" + HELP + "' from='" + C + "'><body>hi</body></message>");
        same(eager, h, "<iq type='get' id='d' to='" + HELP + "' from='" + C + "'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        same(eager, h, "<presence type='unavailable' to='" + LOUNGE + "' from='" + C + "'/>");
        same(eager, h, "<presence to='" + LOUNGE + "/carol' from='" + C + "'/>");
        eager.advanceWithHeartbeats(400_000);
        h.advanceWithHeartbeats(400_000);
        same(eager, h, "<presence type='unavailable' to='" + LOUNGE + "' from='" + C + "'/>");
        eager.advanceWithHeartbeats(400_000);
        h.advanceWithHeartbeats(400_000);
        List<Element> requirements = same(eager, h, get);
        assertEquals("result", requirements.get(0).attr("type")); // not 404: never destroyed (§5.2, scenario 67)
        assertEquals(2, h.service().roomCount());
    }

    @Test
    void aPrivateServiceListsToEachOnlyItsRoomsWhereverTheyAre() {
        ServiceSettings settings = ServiceSettings.defaults(S).withPublicService(false);
        LocalRoomDirectory directory = new LocalRoomDirectory();
        Harness one = lazy(settings, directory);
        Harness other = lazy(settings, directory); // answers service requests for rooms it does not hold
        register(one, "x@" + S, A);
        register(one, "x@" + S, B);
        register(one, "y@" + S, C);
        assertEquals(List.of("x@" + S + " x (0)"), listedRooms(serviceGet(other, B, BROWSE)));
        assertEquals(List.of("y@" + S + " y (0)"), listedRooms(serviceGet(other, C, BROWSE)));
        assertEquals(List.of(), listedRooms(serviceGet(other, D, BROWSE)));
        assertEquals(1, serviceGet(other, A, ITEMS).firstElement().elements().size());

        Scenes.leave(one, "x@" + S, B); // forgotten: no longer shown to B
        assertEquals(List.of(), listedRooms(serviceGet(other, B, BROWSE)));
        one.advanceWithHeartbeats(360_000); // A's and C's registrations expire at 240 s, the rooms go at 360 s
        assertEquals(List.of(), listedRooms(serviceGet(other, A, BROWSE)));
        assertTrue(directory.rooms().isEmpty(), directory.rooms().toString());
    }

    /** Records what the core tells the directory. */
    private static final class Recording implements RoomDirectory {
        final LocalRoomDirectory inner = new LocalRoomDirectory();
        final List<String> events = new ArrayList<>();

        @Override
        public void changed(RoomListing l) {
            events.add("changed " + l.room().node() + " '" + l.displayName() + "' " + l.participants()
                    + (l.registered().isEmpty() ? "" : " " + l.registered().size() + " registered"));
            inner.changed(l);
        }

        @Override
        public void removed(Jid room) {
            events.add("removed " + room.node());
            inner.removed(room);
        }

        @Override
        public Collection<RoomListing> rooms() {
            return inner.rooms();
        }

        List<String> drain() {
            List<String> e = List.copyOf(events);
            events.clear();
            return e;
        }
    }

    @Test
    void theDirectoryHearsOfEveryListingChangeAndOfNothingElse() {
        Recording d = new Recording();
        Harness h = lazy(Scenes.settings(), d);
        String x = "x@" + S;
        register(h, x, A);
        assertEquals(List.of("changed x 'x' 0"), d.drain());
        h.given("<iq type='set' id='j' to='" + x + "' from='" + A + "'><query xmlns='jabber:iq:conference'>"
                + "<nick>alice</nick><name>X</name></query></iq>");
        assertEquals(List.of("changed x 'X' 0", "changed x 'X' 1"), d.drain()); // configured, then entered
        register(h, x, B);
        Scenes.joinLegacy(h, x, C, "carol");
        assertEquals(List.of("changed x 'X' 2"), d.drain());
        h.given("<message type='groupchat' to='" + x + "' from='" + A + "'><body>hot path</body></message>");
        h.given("<presence to='" + x + "/carol' from='" + C + "'><show>away</show></presence>");
        h.given("<presence to='" + x + "/caroline' from='" + C + "'/>");
        assertEquals(List.of(), d.drain());
        Scenes.leave(h, x, C);
        assertEquals(List.of("changed x 'X' 1"), d.drain()); // one update per leave
        Scenes.leave(h, x, B); // a mere registration: not listed on a public service
        assertEquals(List.of(), d.drain());
        Scenes.leave(h, x, A);
        assertEquals(List.of("changed x 'X' 0"), d.drain());
        h.given("<iq type='get' id='g' to='" + HELP + "' from='" + C + "'><query xmlns='jabber:iq:conference'/></iq>");
        assertEquals(List.of("changed help 'Assistance Zone' 0"), d.drain()); // materialised
        RoomState help = h.service().exportRoom(Jid.parse(HELP));
        assertEquals(List.of("removed help"), d.drain());
        h.service().importRoom(help, h.now());
        assertEquals(List.of("changed help 'Assistance Zone' 0"), d.drain());
        h.advanceWithHeartbeats(360_000);
        assertEquals(List.of("removed x"), d.drain());
    }

    @Test
    void onAPrivateServiceRegistrationsAreListedToo() {
        Recording d = new Recording();
        Harness h = lazy(ServiceSettings.defaults(S).withPublicService(false), d);
        String x = "x@" + S;
        register(h, x, A);
        register(h, x, B);
        assertEquals(List.of("changed x 'x' 0 1 registered", "changed x 'x' 0 2 registered"), d.drain());
        assertEquals(Set.of(Jid.parse(A), Jid.parse(B)), d.rooms().iterator().next().registered());
        h.advanceWithHeartbeats(360_000);
        assertEquals(List.of("changed x 'x' 0", "removed x"), d.drain()); // both expire on one beat, the room goes later
    }
}
