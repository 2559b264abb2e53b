package org.palaver.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.palaver.xml.Element;

/** Predicates over, and readings of, the stanzas a {@link SmackClient} received. */
final class Received {
    static final String MUC_USER = "http://jabber.org/protocol/muc#user";
    /** Any live-browse push. */
    static final Predicate<Element> ANY_PUSH = push("conference").or(push("user"));

    private Received() {
    }

    /** Available presence from {@code from}. */
    static Predicate<Element> presenceFrom(String from) {
        return e -> e.name().equals("presence") && e.attr("type") == null && from.equals(e.attr("from"));
    }

    static Predicate<Element> unavailableFrom(String from) {
        return e -> e.name().equals("presence") && "unavailable".equals(e.attr("type")) && from.equals(e.attr("from"));
    }

    /** Any presence from this occupant JID. */
    static Predicate<Element> anyPresenceFrom(String from) {
        return e -> e.name().equals("presence") && from.equals(e.attr("from"));
    }

    /** A groupchat message from {@code from} with this body. */
    static Predicate<Element> groupchat(String from, String body) {
        return groupchatBody(body).and(e -> from.equals(e.attr("from")));
    }

    /** A private message of type chat from {@code from} with this body. */
    static Predicate<Element> chat(String from, String body) {
        return e -> e.name().equals("message") && "chat".equals(e.attr("type")) && from.equals(e.attr("from"))
                && body.equals(e.childText("body"));
    }

    static Predicate<Element> groupchatBody(String body) {
        return e -> e.name().equals("message") && "groupchat".equals(e.attr("type")) && body.equals(e.childText("body"));
    }

    /** A live-browse push (iq set) whose payload is {@code <payload xmlns='jabber:iq:browse'>}. */
    static Predicate<Element> push(String payload) {
        return e -> e.name().equals("iq") && "set".equals(e.attr("type")) && e.child(payload, SmackClient.BROWSE) != null;
    }

    /** The single-user push for this hash id: an entry/rename ({@code name}) or {@code type='remove'}. */
    static Predicate<Element> userPush(String hashJid) {
        return push("user").and(e -> hashJid.equals(e.child("user", SmackClient.BROWSE).attr("jid")));
    }

    /** The {@code <item/>} of a presence's muc#user element, or {@code null} when it has none. */
    static Element mucItem(Element presence) {
        Element x = presence.child("x", MUC_USER);
        return x == null ? null : x.child("item");
    }

    /** The muc#user status codes of a presence. */
    static Set<String> statusCodes(Element presence) {
        Element x = presence.child("x", MUC_USER);
        if (x == null) {
            return Set.of();
        }
        return x.elements().stream().filter(c -> c.name().equals("status")).map(c -> c.attr("code"))
                .collect(Collectors.toSet());
    }

    /** {@code affiliation/role} of a presence's muc#user item. */
    static String affiliationRole(Element presence) {
        Element item = mucItem(presence);
        return item == null ? null : item.attr("affiliation") + "/" + item.attr("role");
    }

    /** The {@code <user>} entries of a browse result or push as {@code jid name} strings, in order. */
    static List<String> browseUsers(Element iq) {
        Element top = iq.childNs(SmackClient.BROWSE);
        List<String> users = new ArrayList<>();
        for (Element u : top.elements()) {
            if (u.name().equals("user")) {
                users.add(u.attr("jid") + " " + u.attr("name"));
            }
        }
        return users;
    }

    /** Position of the first stanza matching {@code which} in {@code stanzas}, -1 if none. */
    static int indexOf(List<Element> stanzas, Predicate<Element> which) {
        for (int i = 0; i < stanzas.size(); i++) {
            if (which.test(stanzas.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
