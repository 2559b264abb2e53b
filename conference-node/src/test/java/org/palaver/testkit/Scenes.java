package org.palaver.testkit;

import static org.palaver.testkit.Expect.recipients;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.A2;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HA;
import static org.palaver.testkit.Harness.HB;
import static org.palaver.testkit.Harness.HD;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.T0;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.palaver.core.ServiceSettings;
import org.palaver.core.ServiceSettings.PredefinedRoom;
import org.palaver.xml.Element;

/**
 * Preconditions and expected-stanza builders for the §18 scenarios.
 *
 * <p>The lounge is configured as a predefined room named "The Lounge" (so it has a name, as §18
 * assumes, and no user is its owner, so every occupant is shown to MUC clients as
 * {@code affiliation='none' role='participant'}, as scenario 84 expects); {@code help@S} is the
 * predefined "Assistance Zone" without privacy. Scenarios about dynamic rooms use other rooms.
 */
public final class Scenes {
    public static final String LOUNGE = "The Lounge";
    public static final String HELP = "help@" + S;
    public static final String HELP_NAME = "Assistance Zone";
    /** Somebody who is in no room at all (scenarios 85, 87). */
    public static final String E = "erin@example.org/pad";

    public static final String NS_BROWSE = "jabber:iq:browse";
    public static final String NS_CONFERENCE = "jabber:iq:conference";
    public static final String NS_MUC = "http://jabber.org/protocol/muc";
    public static final String NS_MUC_USER = "http://jabber.org/protocol/muc#user";
    public static final String NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private static final DateTimeFormatter LEGACY_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter XMPP_STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Scenes() {
    }

    // ---- settings -----------------------------------------------------------------------------

    /** §18 defaults plus the predefined lounge (privacy allowed) and help rooms. */
    public static ServiceSettings settings() {
        return settings(10, null);
    }

    /** As {@link #settings()} with another history size and, optionally, a lounge secret. */
    public static ServiceSettings settings(int historySize, String loungeSecret) {
        return ServiceSettings.defaults(S).withHistorySize(historySize).withRooms(List.of(
                new PredefinedRoom("lounge", LOUNGE, loungeSecret, true, null, null, null),
                new PredefinedRoom("help", HELP_NAME, null, false, null, null, null)));
    }

    public static Harness harness() {
        return new Harness(settings());
    }

    // ---- preconditions ------------------------------------------------------------------------

    /** Available presence to the bare room: {@code jid} becomes a registered user (§0.1, §6.1). */
    public static void register(Harness h, String room, String jid) {
        h.given("<presence to='" + room + "' from='" + jid + "'/>");
    }

    /** Unavailable presence to {@code R} or {@code R/x}: {@code jid} leaves or is forgotten (§10.1). */
    public static void leave(Harness h, String address, String jid) {
        h.given("<presence type='unavailable' to='" + address + "' from='" + jid + "'/>");
    }

    /** Presence to the bare room, then an iq:conference set with one nick (and a secret if given). */
    public static void joinNewStyle(Harness h, String room, String jid, String nick, String secret) {
        register(h, room, jid);
        h.given("<iq type='set' id='join-" + nick + "' to='" + room + "' from='" + jid + "'>"
                + "<query xmlns='jabber:iq:conference'>"
                + (secret == null ? "" : "<secret>" + secret + "</secret>")
                + "<nick>" + nick + "</nick></query></iq>");
    }

    public static void joinLegacy(Harness h, String room, String jid, String nick) {
        h.given("<presence to='" + room + "/" + nick + "' from='" + jid + "'/>");
    }

    public static void joinMuc(Harness h, String room, String jid, String nick) {
        h.given("<presence to='" + room + "/" + nick + "' from='" + jid + "'><x xmlns='" + NS_MUC + "'/></presence>");
    }

    public static void aliceJoins(Harness h) {
        joinNewStyle(h, R, A, "alice", null);
    }

    public static void bobJoins(Harness h) {
        joinNewStyle(h, R, B, "bob", null);
    }

    public static void carolJoinsLegacy(Harness h) {
        joinLegacy(h, R, C, "carol");
    }

    public static void daveJoinsMuc(Harness h) {
        joinMuc(h, R, D, "dave");
    }

    /** "Alice, Bob (new-style) and Carol (gc-1.0) are in R", joined in that order. */
    public static Harness aliceBobCarol() {
        Harness h = harness();
        aliceJoins(h);
        bobJoins(h);
        carolJoinsLegacy(h);
        return h;
    }

    /** A message from a participant to the bare room. */
    public static void say(Harness h, String jid, String body) {
        h.given("<message type='groupchat' to='" + R + "' from='" + jid + "'><body>" + body + "</body></message>");
    }

    // ---- common checks ----------------------------------------------------------------------

    /** §10.1 for Alice leaving a room with Bob (new-style) and Carol (legacy). */
    public static void assertAliceLeft(Harness h, List<Element> out) {
        recipients(out)
                .to(A, removePush(A, R, HA))
                .to(B, removePush(B, R, HA), notice(B, R, "alice has left"))
                .to(C, unavailable(C, R + "/alice"), notice(C, R, "alice has left"))
                .andNothingElse();
        // Alice no longer receives room traffic.
        recipients(h.in("<message type='groupchat' to='" + R + "' from='" + B + "'><body>after</body></message>"))
                .to(B, groupchat(B, R + "/" + HB, "<body>after</body>"))
                .to(C, groupchat(C, R + "/bob", "<body>after</body>"))
                .andNothingElse();
    }

    /** Alice is still in: her message reaches everybody. */
    public static void assertAliceStays(Harness h) {
        recipients(h.in("<message type='groupchat' to='" + R + "' from='" + A + "'><body>still</body></message>"))
                .to(A, groupchat(A, R + "/" + HA, "<body>still</body>"))
                .to(B, groupchat(B, R + "/" + HA, "<body>still</body>"))
                .to(C, groupchat(C, R + "/alice", "<body>still</body>"))
                .andNothingElse();
    }

    // ---- expected stanzas ---------------------------------------------------------------------

    /** The DEV-12 error element for a legacy code, conditions and types after XEP-0086 (§14.2). */
    public static String err(int code) {
        return switch (code) {
            case 400 -> err(code, "modify", "bad-request");
            case 401 -> err(code, "auth", "not-authorized");
            case 403 -> err(code, "auth", "forbidden");
            case 404 -> err(code, "cancel", "item-not-found");
            case 405 -> err(code, "cancel", "not-allowed");
            case 406 -> err(code, "modify", "not-acceptable");
            case 409 -> err(code, "cancel", "conflict");
            case 501 -> err(code, "cancel", "feature-not-implemented");
            default -> throw new IllegalArgumentException("no mapping for " + code);
        };
    }

    public static String err(int code, String type, String condition) {
        return "<error code='" + code + "' type='" + type + "'><" + condition + " xmlns='" + NS_STANZAS
                + "'/></error>";
    }

    /** A single-user browse push (§7.3) about {@code hash}: enter or rename. */
    public static String push(String to, String room, String hash, String nick) {
        return "<iq type='set' id='*' to='" + to + "' from='" + room + "'><user xmlns='jabber:iq:browse' jid='"
                + room + "/" + hash + "' name='" + nick + "'/></iq>";
    }

    public static String removePush(String to, String room, String hash) {
        return "<iq type='set' id='*' to='" + to + "' from='" + room + "'><user xmlns='jabber:iq:browse' jid='"
                + room + "/" + hash + "' type='remove'/></iq>";
    }

    /** The initial browse push to a new-style joiner; {@code hashNick} alternates hash, nick. */
    public static Object initialPush(String to, String room, String name, String... hashNick) {
        StringBuilder sb = new StringBuilder("<iq type='set' id='*' to='" + to + "' from='" + room + "'>"
                + "<conference xmlns='jabber:iq:browse'" + (name == null ? "" : " name='" + name + "'")
                + " type='public'>");
        for (int i = 0; i < hashNick.length; i += 2) {
            sb.append("<user jid='").append(room).append('/').append(hashNick[i]).append("' name='")
                    .append(hashNick[i + 1]).append("'/>");
        }
        return Expect.childrenAnyOrder(sb.append("</conference></iq>").toString());
    }

    /** The iq:conference join result (§6.1.2): nick, name, id. */
    public static String joinResult(String to, String room, String id, String nick, String name, String hash) {
        return "<iq type='result' id='" + id + "' to='" + to + "' from='" + room + "'>"
                + "<query xmlns='jabber:iq:conference'><nick>" + nick + "</nick>"
                + (name == null ? "<name/>" : "<name>" + name + "</name>")
                + "<id>" + room + "/" + hash + "</id></query></iq>";
    }

    public static String presence(String to, String from, String inner) {
        return inner.isEmpty() ? "<presence to='" + to + "' from='" + from + "'/>"
                : "<presence to='" + to + "' from='" + from + "'>" + inner + "</presence>";
    }

    public static String unavailable(String to, String from) {
        return "<presence type='unavailable' to='" + to + "' from='" + from + "'/>";
    }

    public static String groupchat(String to, String from, String inner) {
        return "<message type='groupchat' to='" + to + "' from='" + from + "'>" + inner + "</message>";
    }

    /** A notice from the bare room (§11.3). */
    public static String notice(String to, String room, String text) {
        return groupchat(to, room, "<body>" + text + "</body>");
    }

    /** The jabber:x:delay element of a history copy stored {@code secs} after {@link Harness#T0}. */
    public static String xDelay(String room, long secs) {
        return "<x xmlns='jabber:x:delay' from='" + room + "' stamp='"
                + LEGACY_STAMP.format(Instant.ofEpochMilli(T0 + secs * 1000)) + "'>" + room + "</x>";
    }

    /** The urn:xmpp:delay element (DEV-19) of a history copy stored {@code secs} after T0. */
    public static String xmppDelay(String room, long secs) {
        return "<delay xmlns='urn:xmpp:delay' from='" + room + "' stamp='"
                + XMPP_STAMP.format(Instant.ofEpochMilli(T0 + secs * 1000)) + "'/>";
    }

    /** {@code <x xmlns='muc#user'>} with one item and optional status codes (§13.2). */
    public static String mucUser(String itemAttrs, int... statuses) {
        StringBuilder sb = new StringBuilder("<x xmlns='" + NS_MUC_USER + "'><item " + itemAttrs + "/>");
        for (int s : statuses) {
            sb.append("<status code='").append(s).append("'/>");
        }
        return sb.append("</x>").toString();
    }

    /** The item of an ordinary occupant (no owner in predefined rooms). */
    public static final String PARTICIPANT = "affiliation='none' role='participant'";

    /**
     * Stanzas that probe every part of {@link #fullRoom}: asked of a room that moved (or was read
     * from golden bytes) and of its never-moved twin, each answer must be the same.
     */
    public static String[] fullRoomProbes(String room) {
        return new String[] {
            // MUC joiner: history with both delay stamps, subject, the others' cached presence
            "<presence to='" + room + "/erin' from='" + E + "'><x xmlns='" + NS_MUC + "'><password>pw</password></x></presence>",
            // requirements for an outsider: name, secret, privacy
            "<iq type='get' id='p1' to='" + room + "' from='stranger@example.org/x'><query xmlns='jabber:iq:conference'/></iq>",
            "<iq type='get' id='p2' to='" + room + "' from='stranger@example.org/x'><query xmlns='jabber:iq:browse'/></iq>",
            "<iq type='get' id='p3' to='" + room + "' from='" + A + "'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
            // participant browse: B's privacy hides its real JID; D's does not
            "<iq type='get' id='p4' to='" + room + "/" + HB + "' from='" + A + "'><query xmlns='jabber:iq:browse'/></iq>",
            "<iq type='get' id='p5' to='" + room + "/dave' from='" + A + "'><query xmlns='jabber:iq:browse'/></iq>",
            // idle time of a participant (its last stanza)
            "<iq type='get' id='p6' to='" + room + "/" + HD + "' from='" + B + "'><query xmlns='jabber:iq:last'/></iq>",
            // relayed iq to a private participant is refused
            "<iq type='get' id='p7' to='" + room + "/bob' from='" + A + "'><query xmlns='jabber:iq:version'/></iq>",
            // a registered-only user enters without presence; new-style joiner gets history and topic
            "<iq type='set' id='p8' to='" + room + "' from='" + A2 + "'><query xmlns='jabber:iq:conference'>"
                    + "<secret>pw</secret><nick>alice2</nick></query></iq>",
            // the owner still has its powers
            "<iq type='set' id='p9' to='" + room + "' from='" + A + "'><query xmlns='jabber:iq:conference'>"
                    + "<name>Renamed</name></query></iq>",
            "<iq type='get' id='p10' to='" + S + "' from='" + A + "'><query xmlns='jabber:iq:browse'/></iq>",
            "<iq type='get' id='p11' to='" + S + "' from='" + A + "'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>",
            "<message type='groupchat' to='" + room + "' from='" + C + "'><body>three</body></message>",
            // a nick taken before the move; a rename
            "<presence to='" + room + "/bob' from='" + D + "'/>",
            "<presence to='" + room + "/david' from='" + D + "'/>",
            // leaving notifies everyone in their style (the history keeps its authors); the owner leaving loses ownership
            "<presence type='unavailable' to='" + room + "' from='" + B + "'/>",
            "<presence type='unavailable' to='" + room + "' from='" + A + "'/>",
            "<presence to='" + room + "/late' from='late@example.org/l'><x xmlns='" + NS_MUC + "'><password>pw</password></x></presence>",
            // an answer to a push this room sent before the move is no kick (push ids continue)
            "<iq type='error' id='push3' to='" + room + "' from='" + D + "'/>",
        };
    }

    /**
     * A dynamic room with everything in it: owner A (new-style, private) who named it, allowed
     * privacy and later set a secret; D plain gc-1.0; B new-style in privacy mode; C MUC with a
     * cached status; A2 and F registered only; a topic; history around it. The room of the room-state
     * tests and of every release's golden room state (GoldenScenario).
     */
    public static Harness fullRoom(String room) {
        Harness h = Scenes.harness();
        register(h, room, A);
        h.given("<iq type='set' id='j1' to='" + room + "' from='" + A + "'><query xmlns='jabber:iq:conference'>"
                + "<nick>alice</nick><name>Own Room</name><privacy/></query></iq>");
        h.advance(1_000);
        Scenes.joinLegacy(h, room, D, "dave");
        h.given("<iq type='set' id='s1' to='" + room + "' from='" + A + "'><query xmlns='jabber:iq:conference'>"
                + "<secret>pw</secret></query></iq>");
        register(h, room, B);
        h.given("<iq type='set' id='j2' to='" + room + "' from='" + B + "'><query xmlns='jabber:iq:conference'>"
                + "<secret>pw</secret><nick>bob</nick><privacy/></query></iq>");
        h.given("<presence to='" + room + "/carol' from='" + C + "'><x xmlns='" + NS_MUC + "'><password>pw</password></x>"
                + "<status>here</status></presence>");
        register(h, room, A2);
        h.advance(2_000);
        say(h, room, A, "<body>one</body>");
        h.advance(1_000);
        say(h, room, C, "<subject>Topic!</subject>");
        h.advance(1_000);
        say(h, room, D, "<body>two</body>");
        register(h, room, "frank@example.org/f");
        h.advance(10_000);
        return h;
    }

    private static void say(Harness h, String room, String from, String inner) {
        h.given("<message type='groupchat' to='" + room + "' from='" + from + "'>" + inner + "</message>");
    }
}
