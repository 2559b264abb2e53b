package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.T0;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlWriter;

/**
 * History in the room state (schema 1.1): authors by value survive a move, departed authors'
 * messages included; what a 1.0 reader sees of a 1.1 state; 0.1.0's state still reads.
 */
class HistoryStateTest {
    private static final Jid LOUNGE = Jid.parse(R);
    private static final String JOIN_CAROL = "<presence to='" + R + "/carol' from='" + C + "'/>";

    private static void say(Harness h, String from, String body) {
        h.given("<message type='groupchat' to='" + R + "' from='" + from + "'><body>" + body + "</body></message>");
    }

    /** Bob says b1, Alice a1, Bob renames to bobby and says b2, Bob leaves, a subject-only change. */
    private static Harness conversation() {
        Harness h = Scenes.harness();
        Scenes.joinLegacy(h, R, A, "alice");
        Scenes.joinLegacy(h, R, B, "bob");
        say(h, B, "b1");
        h.advance(1_000);
        say(h, A, "a1");
        h.given("<presence to='" + R + "/bobby' from='" + B + "'/>");
        h.advance(1_000);
        say(h, B, "b2");
        h.given("<presence type='unavailable' to='" + R + "/bobby' from='" + B + "'/>");
        h.given("<message type='groupchat' to='" + R + "' from='" + A + "'><subject>T</subject></message>");
        return h;
    }

    private static List<String> xml(List<Element> out) {
        return out.stream().map(XmlWriter::toXml).toList();
    }

    private static Harness moved(byte[] bytes, long now) {
        Harness target = new Harness(new ConferenceService(Scenes.settings(), T0), now);
        target.service().exportRoom(LOUNGE); // the predefined lounge materialised at start
        target.service().importRoom(RoomState.decode(bytes), now);
        return target;
    }

    @Test
    void departedAuthorsMessagesMoveWithTheRoomByValue() {
        Harness twin = conversation();
        Harness source = conversation();
        Harness target = moved(source.service().exportRoom(LOUNGE).bytes(), source.now());
        List<String> expected = xml(twin.in(JOIN_CAROL));
        assertEquals(expected, xml(target.in(JOIN_CAROL)));
        String all = String.join("\n", expected);
        for (String said : List.of("from='" + R + "/bob' to='" + C + "'><body>b1</body>",
                "from='" + R + "/alice' to='" + C + "'><body>a1</body>",
                "from='" + R + "/bobby' to='" + C + "'><body>b2</body>")) {
            assertEquals(true, all.contains(said), said + " in\n" + all);
        }
    }

    @Test
    void aVersion10ReaderGetsThePresentAuthorsMessages() throws IOException {
        Harness source = conversation();
        byte[] asOld = asVersion10(source.service().exportRoom(LOUNGE).bytes());
        Harness target = moved(asOld, source.now());
        List<Element> toCarol = Harness.to(target.in(JOIN_CAROL), C);
        List<String> bodies = new ArrayList<>();
        for (Element e : toCarol) {
            if (e.name().equals("message") && e.child("x", "jabber:x:delay") != null) {
                bodies.add(e.attr("from") + ":" + e.childText("body"));
            }
        }
        assertEquals(List.of(R + "/alice:a1"), bodies, "Bob left: a 1.0 reader skips his messages");
    }

    @Test
    void anEmptyRoomKeepsItsHistory() throws IOException {
        Harness source = conversation();
        source.given("<presence type='unavailable' to='" + R + "/alice' from='" + A + "'/>");
        byte[] bytes = source.service().exportRoom(LOUNGE).bytes();
        Harness target = moved(bytes, source.now());
        assertEquals(3, Harness.filter(target.in(JOIN_CAROL),
                e -> e.name().equals("message") && e.child("x", "jabber:x:delay") != null).size());
        Harness old = moved(asVersion10(bytes), source.now()); // readable, without history
        assertEquals(0, Harness.filter(old.in(JOIN_CAROL),
                e -> e.name().equals("message") && e.child("x", "jabber:x:delay") != null).size());
    }

    /**
     * What a 1.0 reader reads of these bytes: the first three sections by the 1.0 rules (it skips
     * appended fields and sections), as this reader does for a state that says 1.0.
     */
    private static byte[] asVersion10(byte[] bytes) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.getInt();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(1 << 16);
        for (int i = 0; i < 3; i++) {
            byte[] s = new byte[in.getInt()];
            in.get(s);
            out.writeInt(s.length);
            out.write(s);
        }
        return b.toByteArray();
    }

    /** 0.1.0's golden room state (the room RoomStateTest builds): history one, (Topic!), two. */
    @Test
    void theStateOf010StillReads() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/golden/0.1.0/room-state.bin")) {
            assertNotNull(in, "golden/0.1.0/room-state.bin");
            bytes = in.readAllBytes();
        }
        RoomState state = RoomState.decode(bytes);
        assertEquals(Jid.parse("own@" + S), state.room());
        Harness h = new Harness(new ConferenceService(Scenes.settings(), T0), T0 + 60_000);
        h.service().importRoom(state, h.now());
        List<Element> out = Harness.to(h.in("<presence to='own@" + S + "/erin' from='" + Scenes.E + "'>"
                + "<x xmlns='" + Scenes.NS_MUC + "'><password>pw</password></x></presence>"), Scenes.E);
        List<String> history = new ArrayList<>();
        for (Element e : out) {
            if (e.name().equals("message")) {
                history.add(e.attr("from") + ":" + (e.child("subject") != null ? "subject " + e.childText("subject")
                        : e.childText("body")));
            }
        }
        // authors by the nick they have now (1.0 had no other), the subject-only change no longer
        // history, the subject once at the end
        assertEquals(List.of("own@" + S + "/alice:one", "own@" + S + "/dave:two", "own@" + S + ":subject Topic!"),
                history);
    }
}
