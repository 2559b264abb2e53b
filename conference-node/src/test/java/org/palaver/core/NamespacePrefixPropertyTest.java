package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.WireCore;
import org.palaver.xml.Jid;

/**
 * Seeded namespace and prefix games against the real parser and core: stanzas whose elements and
 * attributes use random prefixes bound (and re-bound on descendants) to the stanza namespaces,
 * protocol namespaces, the streams namespace, the empty namespace and others, as joins (cached
 * presence), groupchat (history, subject), private messages and iqs; now and then a newcomer joins
 * (replay of presence and history) and the room moves through its byte form. {@link WireCore}
 * reads every byte written back with a strict namespace-aware parser, so any unbound prefix,
 * duplicate attribute or stray declaration in the output fails the test with the seed's step.
 */
class NamespacePrefixPropertyTest {
    private static final String S = Harness.S;
    private static final String[] NAMESPACES = {
        "jabber:component:accept", "jabber:client", "http://etherx.jabber.org/streams", "",
        "urn:a", "urn:b", "http://jabber.org/protocol/muc", "http://jabber.org/protocol/muc#user",
        "jabber:iq:browse", "jabber:iq:conference", "http://jabber.org/protocol/disco#items",
        "http://jabber.org/protocol/disco#info", "jabber:x:delay", "urn:ietf:params:xml:ns:xmpp-stanzas",
    };
    private static final String[] PREFIXES = {"x", "j", "a", "b", "stream", "db", "xml", "c"};
    private static final String[] NAMES = {"body", "subject", "status", "show", "x", "query", "item", "error",
        "iq", "message", "presence", "thread", "delay", "text", "nick", "conference"};
    private static final String[] USERS = {"m@localhost/x", "n@localhost/y", "o@example.org/z", "m@localhost/w"};
    private static final String[] ROOMS = {"pfx@" + S, "two@" + S};
    private static final int STEPS = 3000;

    @Test
    void everyOutputIsNamespaceWellFormed() {
        for (long seed = 1; seed <= 4; seed++) {
            run(seed);
        }
    }

    private void run(long seed) {
        Random rnd = new Random(seed);
        WireCore wire = new WireCore(new ConferenceService(ServiceSettings.defaults(S), Harness.T0), Harness.T0);
        int accepted = 0;
        for (int step = 0; step < STEPS; step++) {
            String xml = stanza(rnd, step);
            try {
                wire.in(xml);
                if (wire.lastError() == null) {
                    accepted++;
                }
                if (rnd.nextInt(50) == 0) {
                    moveRoom(wire, ROOMS[rnd.nextInt(ROOMS.length)]);
                }
                wire.advance(rnd.nextInt(2000));
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ", step " + step + ", input " + xml + ": " + e.getMessage(), e);
            }
        }
        assertTrue(accepted > STEPS / 2, "seed " + seed + ": only " + accepted + " inputs were parsed");
    }

    private static void moveRoom(WireCore wire, String room) {
        ConferenceService service = wire.service();
        RoomState state = service.exportRoom(Jid.parse(room));
        if (state != null) {
            service.importRoom(RoomState.decode(state.encoded()), Harness.T0);
        }
    }

    private static String stanza(Random rnd, int step) {
        String from = USERS[rnd.nextInt(USERS.length)];
        String room = ROOMS[rnd.nextInt(ROOMS.length)];
        String nick = "n" + rnd.nextInt(4);
        switch (rnd.nextInt(6)) {
            case 0: // join or presence update: cached and replayed
                return top(rnd, "presence", "from='" + from + "' to='" + room + "/" + nick + "'",
                        payload(rnd, 2, "status") + payload(rnd, 2, "x"));
            case 1: // groupchat: history
                return top(rnd, "message", "from='" + from + "' to='" + room + "' type='groupchat' id='s" + step + "'",
                        payload(rnd, 3, "body") + (rnd.nextInt(4) == 0 ? payload(rnd, 1, "subject") : ""));
            case 2: // private message
                return top(rnd, "message", "from='" + from + "' to='" + room + "/" + nick + "' type='chat'",
                        payload(rnd, 3, "body"));
            case 3: // iq to the service or a room
                String to = rnd.nextBoolean() ? S : room;
                return top(rnd, "iq", "from='" + from + "' to='" + to + "' id='q" + step + "' type='"
                        + (rnd.nextInt(3) == 0 ? "set" : "get") + "'", payload(rnd, 3, "query"));
            case 4: // leave
                return top(rnd, "presence", "from='" + from + "' to='" + room + "/" + nick + "' type='unavailable'",
                        payload(rnd, 1, "status"));
            default: // anything
                return element(rnd, 3, NAMES[rnd.nextInt(NAMES.length)], 1,
                        " from='" + from + "' to='" + (rnd.nextBoolean() ? room : S) + "'");
        }
    }

    /** The stanza element: unprefixed, or with a prefix bound to a stanza namespace (or not). */
    private static String top(Random rnd, String name, String attrs, String content) {
        int r = rnd.nextInt(6);
        String open;
        String qname;
        if (r == 0) {
            qname = "j:" + name;
            open = qname + " xmlns:j='" + (rnd.nextBoolean() ? "jabber:component:accept" : "jabber:client") + "'";
        } else if (r == 1) {
            qname = name;
            open = name + " xmlns='" + NAMESPACES[rnd.nextInt(NAMESPACES.length)] + "'";
        } else {
            qname = name;
            open = name;
        }
        return "<" + open + " " + attrs + extraAttrs(rnd) + ">" + content + "</" + qname + ">";
    }

    private static String payload(Random rnd, int depth, String name) {
        return element(rnd, depth, name, 2, "");
    }

    /** An element with a random name form, declarations, prefixed attributes, text and children. */
    private static String element(Random rnd, int depth, String local, int level, String attrs) {
        StringBuilder decls = new StringBuilder();
        String qname = local;
        switch (rnd.nextInt(5)) {
            case 0: {
                String p = PREFIXES[rnd.nextInt(PREFIXES.length - 1)];
                if (p.equals("xml")) {
                    p = "x";
                }
                qname = p + ":" + local;
                decls.append(" xmlns:").append(p).append("='").append(nonEmptyNs(rnd)).append('\'');
                break;
            }
            case 1:
                decls.append(" xmlns='").append(NAMESPACES[rnd.nextInt(NAMESPACES.length)]).append('\'');
                break;
            case 2:
                if (level > 1) {
                    qname = "xml:" + local; // the predefined prefix
                }
                break;
            default:
                break;
        }
        StringBuilder sb = new StringBuilder("<").append(qname).append(decls).append(attrs);
        if (level > 1) {
            sb.append(extraAttrs(rnd));
        }
        sb.append('>');
        int children = depth <= 1 ? 0 : rnd.nextInt(3);
        for (int i = 0; i < children; i++) {
            if (rnd.nextBoolean()) {
                sb.append(text(rnd));
            }
            sb.append(element(rnd, depth - 1, NAMES[rnd.nextInt(NAMES.length)], level + 1, ""));
        }
        sb.append(text(rnd));
        return sb.append("</").append(qname).append('>').toString();
    }

    private static String extraAttrs(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            String p = PREFIXES[rnd.nextInt(PREFIXES.length)];
            String name = "at" + i;
            if (p.equals("xml")) {
                sb.append(" xml:lang='en'");
            } else {
                sb.append(" xmlns:").append(p).append(i).append("='").append(nonEmptyNs(rnd)).append("' ")
                        .append(p).append(i).append(':').append(name).append("='v").append(i).append('\'');
            }
        }
        return sb.toString();
    }

    private static String nonEmptyNs(Random rnd) {
        String ns;
        do {
            ns = NAMESPACES[rnd.nextInt(NAMESPACES.length)];
        } while (ns.isEmpty());
        return ns;
    }

    private static String text(Random rnd) {
        switch (rnd.nextInt(5)) {
            case 0:
                return "";
            case 1:
                return "&lt;x:y&gt; &amp; \u00e4 \uD83D\uDE00";
            case 2:
                return "<![CDATA[<j:iq xmlns:j='x'>]]>";
            default:
                return "t" + rnd.nextInt(100);
        }
    }
}
