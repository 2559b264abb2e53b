package org.palaver.core;

import static org.palaver.core.Addressing.S;
import static org.palaver.core.Addressing.hash;
import static org.palaver.core.Addressing.norm;
import static org.palaver.core.Addressing.stanza;
import static org.palaver.testkit.Scenes.NS_BROWSE;
import static org.palaver.testkit.Scenes.NS_CONFERENCE;
import static org.palaver.testkit.Scenes.NS_MUC;
import static org.palaver.testkit.Scenes.NS_STANZAS;

import java.util.List;
import java.util.Random;
import org.palaver.xml.Element;

/**
 * Seeded random traffic for one run: entries of every style, renames, leaves, room and private
 * messages, queries, answers to pushes, errors, malformed stanzas and service-level requests, and
 * now and then a clock jump. All draws come from one {@link Random}, in a fixed order, so a seed
 * replays the same run; ids carry the step number so a failing input points back to its step.
 */
final class TrafficGenerator {
    /** Pool of senders: two resources of one user, case variants (§1.3), a bare JID and a server. */
    private static final String[] USERS = {
        "u0@example.org/a", "u0@example.org/b", "u1@example.org/x", "U1@EXAMPLE.ORG/x",
        "u2@example.net/gc", "u3@example.net/m", "u4@example.org", "example.org",
    };
    /** Unusable senders: unparseable, our own domain or a room; they must get nothing back. */
    private static final String[] BAD_FROMS = {
        "bad user@example.org/x", "@example.org", "u5@/x", S, "room0@" + S + "/x", "a@b@c",
    };
    /** Colliding, case-variant, odd, empty, too long and the observers' own nicks. */
    private static final String[] NICKS = {
        "a", "b", "ann", "Ann", "bob", "x y", "a/b", "~w0", "~w1", "ümlaut", "", "n".repeat(70),
    };
    /** The tracked rooms, the free scratch room, a case variant and a room nobody creates on purpose. */
    private static final String[] ROOM_TARGETS = {
        "room0@" + S, "room1@" + S, "room2@" + S, "scratch@" + S, "Room1@" + S, "ghost@" + S,
    };
    private static final String[] QUERY_NAMESPACES = {NS_CONFERENCE, NS_BROWSE, "jabber:iq:version",
        "jabber:iq:last", "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
        "http://jabber.org/protocol/muc#owner", "jabber:iq:register"};
    private static final String[] SERVICE_NAMESPACES = {NS_BROWSE, NS_CONFERENCE, "jabber:iq:version",
        "jabber:iq:time", "jabber:iq:last", "http://jabber.org/protocol/disco#info",
        "http://jabber.org/protocol/disco#items"};

    private final Random rnd;
    private final StepContext ctx;
    private final RecentPushes pushes;

    TrafficGenerator(StepContext ctx, RecentPushes pushes) {
        this.rnd = new Random(ctx.seed());
        this.ctx = ctx;
        this.pushes = pushes;
    }

    /** Whether this step lets time pass instead of sending a stanza. */
    boolean nextIsClockJump() {
        return rnd.nextInt(100) < 6;
    }

    /** How far the clock jumps: often past the 240 s idle limit (§5.4), otherwise within it. */
    long clockJump() {
        return rnd.nextInt(3) == 0 ? 370_000 : rnd.nextInt(130_000);
    }

    /** The next stanza; the dice thresholds set the mix of traffic kinds (in percent). */
    Element next() {
        int dice = rnd.nextInt(100);
        String from = rnd.nextInt(40) == 0 ? pick(BAD_FROMS) : pick(USERS);
        String room = pick(ROOM_TARGETS);
        if (dice < 13) {
            return bareRoomPresence(room, from);
        } else if (dice < 28) {
            return nickPresence(room, from);
        } else if (dice < 41) {
            return conferenceSet(room, from);
        } else if (dice < 46) {
            return query(randomTarget(room), from);
        } else if (dice < 59) {
            return message(room, from);
        } else if (dice < 66) {
            return rnd.nextBoolean() ? message(randomTarget(room), from) : query(randomTarget(room), from);
        } else if (dice < 74) {
            return unavailable(room, from);
        } else if (dice < 80) {
            return errorStanza(room, from);
        } else if (dice < 83) {
            return otherPresence(room, from);
        } else if (dice < 86) {
            return iqResult(room, from);
        } else if (dice < 93) {
            return malformed(room, from);
        } else {
            return serviceLevel(from);
        }
    }

    /** Presence to the bare room: registration, creation of a dynamic room (§5.1) or a status update. */
    private Element bareRoomPresence(String room, String from) {
        Element p = stanza("presence", room, from);
        decoratePresence(p);
        return p;
    }

    /** gc-1.0 entry or rename (§9.1); with {@code <x muc>} the bridge path (§13.2). */
    private Element nickPresence(String room, String from) {
        Element p = stanza("presence", room + "/" + pick(NICKS), from);
        decoratePresence(p);
        if (rnd.nextInt(3) == 0) {
            Element x = p.addChild("x", NS_MUC);
            if (rnd.nextBoolean()) {
                x.addTextChild("password", rnd.nextBoolean() ? "pw" : "nope");
            }
        }
        return p;
    }

    private void decoratePresence(Element p) {
        if (rnd.nextInt(3) == 0) {
            p.addTextChild("show", pick(new String[] {"away", "chat", "dnd", "xa"}));
        }
        if (rnd.nextInt(4) == 0) {
            p.addTextChild("status", "s" + rnd.nextInt(5));
        }
    }

    /** A join, nick change or configuration (§6.1.2, §6.2.2), also with the old {@code <enter>}. */
    private Element conferenceSet(String room, String from) {
        Element iq = stanza("iq", room, from).attr("type", "set").attr("id", "c" + ctx.step());
        Element q = iq.addChild(rnd.nextInt(5) == 0 ? "enter" : "query", NS_CONFERENCE);
        if (rnd.nextInt(4) == 0) {
            q.addTextChild("secret", rnd.nextBoolean() ? "pw" : "");
        }
        if (rnd.nextInt(6) == 0) {
            q.addTextChild("name", "Name" + rnd.nextInt(3));
        }
        int nicks = rnd.nextInt(4);
        for (int i = 0; i < nicks; i++) {
            q.addTextChild("nick", pick(NICKS));
        }
        if (rnd.nextInt(4) == 0) {
            q.addChild("privacy", null);
        }
        return iq;
    }

    private Element query(String to, String from) {
        Element iq = stanza("iq", to, from).attr("type", rnd.nextInt(5) == 0 ? "set" : "get")
                .attr("id", "q" + ctx.step());
        if (rnd.nextInt(6) == 0) {
            iq.addChild("ping", "urn:xmpp:ping");
        } else if (rnd.nextInt(10) != 0) {
            iq.addChild("query", pick(QUERY_NAMESPACES));
        }
        return iq;
    }

    /** Any message type, sometimes a topic or an {@code invite:} subject (§11.1, §12.2) or an invitation. */
    private Element message(String to, String from) {
        Element m = stanza("message", to, from);
        String type = pick(new String[] {null, "groupchat", "chat", "normal", "headline"});
        if (type != null) {
            m.attr("type", type);
        }
        if (rnd.nextInt(8) == 0) {
            m.addTextChild("subject", rnd.nextBoolean() ? "topic" + rnd.nextInt(3)
                    : "invite:" + pick(new String[] {"friend@example.org", "", "bad jid@x", "Friend@Example.ORG/r"}));
        }
        m.addTextChild("body", "b" + ctx.step());
        if (rnd.nextInt(10) == 0) {
            m.addChild("x", "jabber:x:conference").attr("jid", "room1@" + S);
        }
        return m;
    }

    /** A leave to {@code R} or any {@code R/x} (§10.1), sometimes with a status as a session manager sends (§10.2). */
    private Element unavailable(String room, String from) {
        Element p = stanza("presence", rnd.nextBoolean() ? room : randomTarget(room), from)
                .attr("type", "unavailable");
        if (rnd.nextBoolean()) {
            p.addTextChild("status", "Disconnected");
        }
        return p;
    }

    /** Probes, subscription presences and unknown presence types (§3). */
    private Element otherPresence(String room, String from) {
        return stanza("presence", rnd.nextBoolean() ? room : randomTarget(room), from)
                .attr("type", pick(new String[] {"probe", "subscribe", "unsubscribed", "invisible"}));
    }

    /** An iq result, sometimes answering a push the sender really got (§7.3, DEV-8). */
    private Element iqResult(String room, String from) {
        List<String> ids = pushes.to(norm(from));
        return stanza("iq", rnd.nextBoolean() ? room : randomTarget(room), from).attr("type", "result")
                .attr("id", ids.isEmpty() || rnd.nextBoolean() ? "r" + ctx.step() : pick(ids));
    }

    /** A bounce (§10.3); iq errors sometimes answer a real push, which does not remove the sender (DEV-17). */
    private Element errorStanza(String room, String from) {
        String kind = pick(new String[] {"message", "presence", "iq"});
        Element e = stanza(kind, rnd.nextBoolean() ? room : randomTarget(room), from).attr("type", "error");
        if (kind.equals("iq")) {
            List<String> ids = pushes.to(norm(from));
            e.attr("id", ids.isEmpty() || rnd.nextBoolean() ? "e" + ctx.step() : pick(ids));
        } else {
            e.addTextChild("body", "bounced");
        }
        Element err = e.addChild("error", null).attr("code", "503");
        if (rnd.nextBoolean()) {
            err.attr("type", "cancel").addChild("service-unavailable", NS_STANZAS);
        }
        return e;
    }

    /** Stanzas the core must drop or reject (§3, E1): no from, no to, foreign, bad room, no type. */
    private Element malformed(String room, String from) {
        switch (rnd.nextInt(8)) {
            case 0:
                return new Element("message").attr("to", room).addTextChild("body", "no from");
            case 1:
                return new Element("presence").attr("from", from);
            case 2:
                return stanza("message", "someone@elsewhere.example/x", from).addTextChild("body", "x");
            case 3:
                return stanza("message", "bad room@" + S, from).addTextChild("body", "x");
            case 4:
                return stanza("foo", room, from);
            case 5:
                return stanza("iq", room, from).attr("id", "notype").add(new Element("query", NS_CONFERENCE));
            case 6:
                return stanza("iq", room, from).attr("type", "get").add(new Element("query", NS_BROWSE));
            default:
                return stanza("message", room, "room0@" + S + "/" + hash(pick(USERS)))
                        .attr("type", "error").addTextChild("body", "router bounce");
        }
    }

    private Element serviceLevel(String from) {
        switch (rnd.nextInt(4)) {
            case 0:
                return stanza("message", S, from).addTextChild("body", "hello service");
            case 1:
                return stanza("presence", S, from);
            default: {
                Element iq = stanza("iq", S, from).attr("type", rnd.nextInt(4) == 0 ? "set" : "get")
                        .attr("id", "s" + ctx.step());
                iq.addChild("query", pick(SERVICE_NAMESPACES));
                return iq;
            }
        }
    }

    /** {@code room/x} with x a nick or the hash id of a pool user. */
    private String randomTarget(String room) {
        return room + "/" + (rnd.nextBoolean() ? pick(NICKS) : hash(norm(pick(USERS))));
    }

    private <T> T pick(T[] options) {
        return options[rnd.nextInt(options.length)];
    }

    private String pick(List<String> options) {
        return options.get(rnd.nextInt(options.size()));
    }
}
