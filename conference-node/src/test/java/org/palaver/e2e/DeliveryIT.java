package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.palaver.e2e.Received.groupchatBody;
import static org.palaver.e2e.Received.presenceFrom;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.parts.Resourcepart;
import org.palaver.testkit.Await;
import org.palaver.xml.Element;

/**
 * Room traffic under concurrent senders through the real router (spec §8.1): three participants,
 * one of each style, send at the same time; every participant receives every message exactly
 * once, addressed in its own style, and each sender's messages in the order sent.
 */
class DeliveryIT {
    private static final String ROOM = "traffic@" + ConferenceStack.SERVICE;
    private static final String ROOM_ESCAPE = "escape@" + ConferenceStack.SERVICE;
    private static final int PER_SENDER = 10;
    /** The test's messages ("nick #n"), not notices. */
    private static final Predicate<Element> TRAFFIC = e -> e.name().equals("message") && e.childText("body") != null
            && e.childText("body").matches("u0[1-3] #\\d+");
    @RegisterExtension
    static final ConferenceStack stack = new ConferenceStack();

    /** A participant: its client, its nick, and how it sends to the room. */
    private record Participant(SmackClient client, String nick, boolean newStyle, Sender sender) {
        /** The {@code from} under which this participant receives {@code author}'s messages (§9.5). */
        String fromOf(Participant author) {
            return ROOM + "/" + (newStyle ? author.client.hash() : author.nick);
        }
    }

    @FunctionalInterface
    private interface Sender {
        void send(String body) throws Exception;
    }

    @Test
    void everyoneGetsEveryMessageExactlyOnceWithTheRightFrom() throws Exception {
        SmackClient u01 = stack.login("u01", "traffic");
        u01.presence(ROOM);
        assertEquals("result", u01.iq(IQ.Type.set, ROOM, "query", SmackClient.CONFERENCE, "<nick>u01</nick>").attr("type"));
        SmackClient u02 = stack.login("u02", "traffic");
        u02.presence(ROOM + "/u02");
        u02.await(presenceFrom(ROOM + "/u02"), "its own join presence");
        SmackClient u03 = stack.login("u03", "traffic");
        MultiUserChat muc = u03.muc(ROOM);
        muc.join(Resourcepart.from("u03"));
        List<Participant> all = List.of(
                new Participant(u01, "u01", true, body -> u01.say(ROOM, body)),
                new Participant(u02, "u02", false, body -> u02.say(ROOM, body)),
                new Participant(u03, "u03", false, muc::sendMessage));

        List<CompletableFuture<Void>> sending = new ArrayList<>();
        for (Participant p : all) {
            sending.add(CompletableFuture.runAsync(() -> sendAll(p)));
        }
        CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).join();
        for (Participant p : all) {
            p.client.await(TRAFFIC, all.size() * PER_SENDER, "room messages");
        }

        // The room handles stanzas one at a time and every hop keeps order, so a duplicate of any
        // earlier message would reach each recipient before this one.
        u01.say(ROOM, "barrier");
        for (Participant p : all) {
            p.client.await(groupchatBody("barrier"), "the barrier message");
        }
        for (Participant recipient : all) {
            assertReceivedExactlyOnce(recipient, all);
        }
    }

    /**
     * Markup characters and non-ASCII text in a nick (an attribute value on the way out) and in a
     * body survive the trip through c2s, sm, router, node and back, for each recipient style.
     */
    @Test
    void markupAndNonAsciiSurviveTheRoundTrip() throws Exception {
        String nick = "Zoë & <Co> 'x' \"y\"";
        // no "]]>": Smack 4.4.8 does not escape '>' in text, and c2s rejects that as not well-formed
        String body = "1 < 2 & 3 > 2, \"quoted\" 'apos' — ünïcødé 😀";
        SmackClient zoe = stack.login("u04", "escape");
        zoe.presence(ROOM_ESCAPE + "/" + nick);
        zoe.await(presenceFrom(ROOM_ESCAPE + "/" + nick), "its own join presence");
        SmackClient newStyle = stack.login("u05", "escape");
        newStyle.presence(ROOM_ESCAPE);
        Element entered = newStyle.iq(IQ.Type.set, ROOM_ESCAPE, "query", SmackClient.CONFERENCE, "<nick>n</nick>");
        assertEquals("result", entered.attr("type"), entered.toString());
        assertEquals(List.of(ROOM_ESCAPE + "/" + zoe.hash() + " " + nick),
                Received.browseUsers(newStyle.await(Received.push("conference"), "the initial push")));
        SmackClient mucClient = stack.login("u06", "escape");
        MultiUserChat muc = mucClient.muc(ROOM_ESCAPE);
        muc.join(Resourcepart.from("m"));
        // Smack fills its occupant map on its listener thread, after join() has returned
        Await.until(ConferenceStack.WAIT,
                () -> muc.getOccupants().stream().anyMatch(o -> o.getResourcepart().toString().equals(nick)),
                () -> "Smack parsed the nick: " + muc.getOccupants());

        zoe.say(ROOM_ESCAPE, body);
        zoe.await(Received.groupchat(ROOM_ESCAPE + "/" + nick, body), "its own message echoed");
        newStyle.await(Received.groupchat(ROOM_ESCAPE + "/" + zoe.hash(), body), "the message by hash id");
        mucClient.await(Received.groupchat(ROOM_ESCAPE + "/" + nick, body), "the message by nick");
    }

    private static void sendAll(Participant p) {
        try {
            for (int i = 1; i <= PER_SENDER; i++) {
                p.sender.send(p.nick + " #" + i);
            }
        } catch (Exception e) {
            throw new IllegalStateException(p.nick + " could not send", e);
        }
    }

    private static void assertReceivedExactlyOnce(Participant recipient, List<Participant> all) {
        List<Element> got = recipient.client.received(TRAFFIC);
        assertEquals(all.size() * PER_SENDER, got.size(), recipient.nick + " got " + got);
        Map<String, List<Integer>> sequence = new HashMap<>();
        for (Element m : got) {
            String[] nickAndNumber = m.childText("body").split(" #");
            Participant author = all.stream().filter(p -> p.nick.equals(nickAndNumber[0])).findFirst().orElseThrow();
            assertEquals("groupchat", m.attr("type"), m.toString());
            assertEquals(recipient.fromOf(author), m.attr("from"), recipient.nick + " got " + m);
            assertEquals(recipient.client.jid().toString(), m.attr("to"), m.toString());
            sequence.computeIfAbsent(author.nick, k -> new ArrayList<>()).add(Integer.parseInt(nickAndNumber[1]));
        }
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 1; i <= PER_SENDER; i++) {
            inOrder.add(i);
        }
        for (Participant author : all) {
            assertEquals(inOrder, sequence.get(author.nick), recipient.nick + " got " + author.nick + "'s messages");
        }
    }
}
