package org.palaver.core;

import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.T0;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.register;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.xml.Jid;

/**
 * Service listings are capped at {@code maxListedRooms} (issue 10: no request may produce an
 * answer as large as the service): browse shows the first rooms only; disco#items pages with
 * XEP-0059 Result Set Management ({@code <set xmlns='http://jabber.org/protocol/rsm'>}) and, asked
 * without it, returns the first page with a {@code <set>} saying how many there are.
 */
class ServiceListingPagingTest {
    private static final String RSM = "http://jabber.org/protocol/rsm";
    private static final int CAP = 3;

    /** Five rooms r1..r5, created in that order, on a core listing at most {@link #CAP}. */
    private static Harness fiveRooms(int cap) {
        Harness h = new Harness(ServiceSettings.defaults(S).withMaxListedRooms(cap));
        createFive(h);
        return h;
    }

    private static void createFive(Harness h) {
        for (int i = 1; i <= 5; i++) {
            register(h, room(i), A);
            h.advance(1);
        }
    }

    private static String room(int i) {
        return "r" + i + "@" + S;
    }

    private static String items(String set) {
        return "<iq type='get' id='i' to='" + S + "' from='" + A + "'>"
                + "<query xmlns='http://jabber.org/protocol/disco#items'>" + set + "</query></iq>";
    }

    private static String result(int... rooms) {
        StringBuilder b = new StringBuilder("<iq type='result' id='i' from='" + S + "' to='" + A + "'>"
                + "<query xmlns='http://jabber.org/protocol/disco#items'>");
        for (int i : rooms) {
            b.append("<item jid='").append(room(i)).append("' name='r").append(i).append("'/>");
        }
        return b.toString();
    }

    private static String set(int firstIndex, int first, int last, int count) {
        return "<set xmlns='" + RSM + "'><first index='" + firstIndex + "'>" + room(first) + "</first><last>"
                + room(last) + "</last><count>" + count + "</count></set></query></iq>";
    }

    @Test
    void browseListsOnlyTheFirstRoomsAndSaysNothingOfTheRest() {
        assertOut(fiveRooms(CAP).in("<iq type='get' id='b' to='" + S + "' from='" + A + "'>"
                        + "<query xmlns='jabber:iq:browse'/></iq>"),
                "<iq type='result' id='b' from='" + S + "' to='" + A + "'>"
                        + "<conference xmlns='jabber:iq:browse' type='public' name='Public Chatrooms'>"
                        + "<ns>jabber:iq:conference</ns><ns>jabber:iq:browse</ns><ns>jabber:iq:version</ns>"
                        + "<ns>jabber:iq:time</ns><ns>jabber:iq:last</ns><ns>vcard-temp</ns>"
                        + "<conference type='public' jid='" + room(1) + "' name='r1 (0)'/>"
                        + "<conference type='public' jid='" + room(2) + "' name='r2 (0)'/>"
                        + "<conference type='public' jid='" + room(3) + "' name='r3 (0)'/>"
                        + "</conference></iq>");
    }

    @Test
    void discoItemsWithoutASetGetsTheFirstPageAndASetSayingThereIsMore() {
        assertOut(fiveRooms(CAP).in(items("")), result(1, 2, 3) + set(0, 1, 3, 5));
    }

    @Test
    void aListingWithinTheCapIsAnsweredAsBefore() {
        assertOut(fiveRooms(5).in(items("")), result(1, 2, 3, 4, 5) + "</query></iq>");
    }

    @Test
    void pagesForwardWithMaxAndAfter() {
        Harness h = fiveRooms(CAP);
        assertOut(h.in(items("<set xmlns='" + RSM + "'><max>2</max></set>")), result(1, 2) + set(0, 1, 2, 5));
        assertOut(h.in(items("<set xmlns='" + RSM + "'><max>2</max><after>" + room(2) + "</after></set>")),
                result(3, 4) + set(2, 3, 4, 5));
        assertOut(h.in(items("<set xmlns='" + RSM + "'><max>2</max><after>" + room(4) + "</after></set>")),
                result(5) + set(4, 5, 5, 5));
        assertOut(h.in(items("<set xmlns='" + RSM + "'><max>2</max><after>" + room(5) + "</after></set>")),
                result() + "<set xmlns='" + RSM + "'><count>5</count></set></query></iq>");
    }

    @Test
    void aLargerMaxIsClippedToTheCap() {
        assertOut(fiveRooms(CAP).in(items("<set xmlns='" + RSM + "'><max>1000</max></set>")),
                result(1, 2, 3) + set(0, 1, 3, 5));
    }

    @Test
    void maxZeroAsksForTheCountOnly() {
        assertOut(fiveRooms(CAP).in(items("<set xmlns='" + RSM + "'><max>0</max></set>")),
                result() + "<set xmlns='" + RSM + "'><count>5</count></set></query></iq>");
    }

    @Test
    void pagesBackwardWithBeforeAndJumpsWithIndex() {
        Harness h = fiveRooms(CAP);
        assertOut(h.in(items("<set xmlns='" + RSM + "'><max>2</max><before/></set>")), result(4, 5) + set(3, 4, 5, 5));
        assertOut(h.in(items("<set xmlns='" + RSM + "'><max>10</max><before>" + room(3) + "</before></set>")),
                result(1, 2) + set(0, 1, 2, 5));
        assertOut(h.in(items("<set xmlns='" + RSM + "'><max>1</max><index>3</index></set>")), result(4) + set(3, 4, 4, 5));
    }

    @Test
    void anUnknownIdOrABadNumberIsRefused() {
        Harness h = fiveRooms(CAP);
        String unknown = "<set xmlns='" + RSM + "'><after>gone@" + S + "</after></set>";
        assertOut(h.in(items(unknown)), "<iq type='error' id='i' from='" + S + "' to='" + A + "'>"
                + "<query xmlns='http://jabber.org/protocol/disco#items'>" + unknown + "</query>"
                + errWithText(404, "cancel", "item-not-found", "no room gone@" + S + " in the listing") + "</iq>");
        String bad = "<set xmlns='" + RSM + "'><max>-1</max></set>";
        assertOut(h.in(items(bad)), "<iq type='error' id='i' from='" + S + "' to='" + A + "'>"
                + "<query xmlns='http://jabber.org/protocol/disco#items'>" + bad + "</query>"
                + errWithText(400, "modify", "bad-request", "&lt;max/&gt; must be a number of at least 0, got '-1'")
                + "</iq>");
    }

    private static String errWithText(int code, String type, String condition, String text) {
        String plain = err(code, type, condition);
        return plain.substring(0, plain.length() - "</error>".length())
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>" + text + "</text></error>";
    }

    /** In a cluster the listing comes from the shared directory: the cap and the pages apply there too. */
    @Test
    void roomsHeldByOtherCoresArePagedAndCappedAlike() {
        LocalRoomDirectory directory = new LocalRoomDirectory();
        ServiceSettings settings = ServiceSettings.defaults(S).withMaxListedRooms(CAP);
        Harness holder = new Harness(new ConferenceService(settings, T0, directory), T0);
        Harness other = new Harness(new ConferenceService(settings, T0, directory), T0);
        createFive(holder);
        other.service().importRoom(holder.service().exportRoom(Jid.parse(room(2))), other.now());
        assertOut(other.in(items("")), result(1, 2, 3) + set(0, 1, 3, 5));
        assertOut(other.in(items("<set xmlns='" + RSM + "'><after>" + room(3) + "</after></set>")),
                result(4, 5) + set(3, 4, 5, 5));
    }
}
