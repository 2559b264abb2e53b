package org.palaver.core;

import java.util.List;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * XEP-0030 answers of the modern-client bridge (spec §13.1): service info (which also answers the
 * jabberd2 session manager's probe, §2.4), service items, room info and room items.
 */
final class Disco {
    private Disco() {
    }

    /** A disco query for a {@code node}: we publish none, so it is item-not-found (XEP-0030). */
    static boolean isNodeQuery(Inbound in) {
        return (in.payloadIs(Ns.DISCO_INFO) || in.payloadIs(Ns.DISCO_ITEMS)) && in.payload().attr("node") != null;
    }

    static Element serviceInfo(ServiceSettings settings) {
        Element q = new Element("query", Ns.DISCO_INFO);
        q.add(identity(settings.serviceName()));
        features(q, ServiceQuery.DISCO_FEATURES);
        return q;
    }

    /** One item per room visible to the requester under the §5.5 rules. */
    static Element serviceItems(ServiceSettings settings, Iterable<RoomListing> rooms, Jid requester) {
        Element q = new Element("query", Ns.DISCO_ITEMS);
        for (RoomListing room : rooms) {
            if (Browse.visible(settings, room, requester)) {
                q.add(new Element("item").attr("jid", room.room().toString()).attr("name", room.displayName()));
            }
        }
        return q;
    }

    /** Room info: identity plus the protocol and XEP-0045 state features of the room. */
    static Element roomInfo(ServiceSettings settings, Room room) {
        Element q = new Element("query", Ns.DISCO_INFO);
        q.add(identity(room.displayName()));
        features(q, List.of(Ns.DISCO_INFO, Ns.DISCO_ITEMS, Ns.MUC, Ns.CONFERENCE, Ns.BROWSE, Ns.MUC_SELF_PING,
                settings.publicService() && !room.config.hidden ? "muc_public" : "muc_hidden",
                room.config.membersOnly ? "muc_membersonly" : "muc_open",
                room.config.moderated ? "muc_moderated" : "muc_unmoderated",
                room.secret != null ? "muc_passwordprotected" : "muc_unsecured",
                room.config.realJidsShown ? "muc_nonanonymous" : "muc_semianonymous",
                room.predefined ? "muc_persistent" : "muc_temporary"));
        return q;
    }

    /** Room items: empty (occupants are not exposed through disco, spec §13.1 decision). */
    static Element roomItems() {
        return new Element("query", Ns.DISCO_ITEMS);
    }

    private static Element identity(String name) {
        return new Element("identity").attr("category", "conference").attr("type", "text")
                .attr("name", name);
    }

    private static void features(Element q, List<String> vars) {
        for (String v : vars) {
            q.add(new Element("feature").attr("var", v));
        }
    }
}
