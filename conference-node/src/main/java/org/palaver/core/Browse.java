package org.palaver.core;

import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * {@code jabber:iq:browse} (spec §4.1, §7): the service, room and participant answers, and the
 * live-browsing pushes. Uses the original's element-name style ({@code <conference>},
 * {@code <user>} as the category) and omits attributes whose value is absent, as the original's
 * XML library did.
 */
final class Browse {
    private Browse() {
    }

    static String serviceType(ServiceSettings settings) {
        return settings.publicService() ? "public" : "private";
    }

    /**
     * Service browse (§4.1): no {@code jid} on the top element; one {@code <conference>} per room
     * visible to {@code requester} (all on a public service, else only rooms it is registered in),
     * named {@code "<name> (<entered count>)"}.
     */
    static Element service(ServiceSettings settings, Iterable<RoomListing> rooms, Jid requester) {
        String type = serviceType(settings);
        Element top = new Element("conference", Ns.BROWSE).attr("type", type)
                .attr("name", settings.serviceName());
        for (String ns : ServiceQuery.BROWSE_NAMESPACES) { // DEV-16
            top.add(Stanzas.textElement("ns", ns));
        }
        for (RoomListing room : rooms) {
            if (visible(settings, room, requester)) {
                top.add(new Element("conference").attr("type", type).attr("jid", room.room().toString())
                        .attr("name", room.displayName() + " (" + room.participants() + ")"));
            }
        }
        return top;
    }

    /**
     * §5.5: a private service shows a requester only the rooms it is registered or entered in; a
     * hidden room is shown to nobody (decision 51).
     */
    static boolean visible(ServiceSettings settings, RoomListing room, Jid requester) {
        return !room.hidden() && (settings.publicService() || room.registered().contains(requester));
    }

    /**
     * Room browse (§7.1). Participants see everyone (themselves included) and no {@code <ns>};
     * outsiders see the {@code <ns>} and, on a public service only, the participants.
     */
    static Element room(ServiceSettings settings, Room room, boolean entered) {
        Element top = roomTop(settings, room);
        if (!entered) {
            top.add(Stanzas.textElement("ns", Ns.CONFERENCE));
        }
        if (entered || settings.publicService()) {
            for (Participant p : room.entered()) {
                top.add(user(p));
            }
        }
        return top;
    }

    private static Element roomTop(ServiceSettings settings, Room room) {
        return new Element("conference", Ns.BROWSE).attr("name", room.name())
                .attr("type", serviceType(settings));
    }

    private static Element user(Participant p) {
        return user(p, null);
    }

    private static Element user(Participant p, String ns) {
        return new Element("user", ns).attr("jid", p.hashJid().toString()).attr("name", p.nick());
    }

    /**
     * Participant browse (§7.2), answered by the service on the target's behalf: the nick, and the
     * real JID unless the target is in privacy mode.
     */
    static Element participant(Participant target) {
        Element top = new Element("user", Ns.BROWSE).attr("name", target.nick());
        if (!Privacy.hidesRealJid(target)) {
            top.add(new Element("user").attr("jid", target.real.toString()));
        }
        return top;
    }

    // ---- pushes (§7.3) -----------------------------------------------------------------------

    /** The initial list pushed to a new-style joiner: every other entered participant. */
    static Element initialPush(ServiceSettings settings, Room room, Participant joiner) {
        Element list = roomTop(settings, room);
        for (Participant p : room.entered()) {
            if (p != joiner) {
                list.add(user(p));
            }
        }
        return push(room, list).attr("to", joiner.real.toString());
    }

    /** Fan-out template announcing {@code p} under its (new) nick. */
    static Element userPush(Room room, Participant p) {
        return push(room, user(p, Ns.BROWSE));
    }

    /** Fan-out template announcing that {@code p} left. */
    static Element removePush(Room room, Participant p) {
        return push(room, new Element("user", Ns.BROWSE).attr("jid", p.hashJid().toString())
                .attr("type", "remove"));
    }

    /** {@code <iq type='set' id from=R>} around the payload; every push gets an id (DEV-11). */
    private static Element push(Room room, Element payload) {
        return new Element("iq").attr("type", "set").attr("id", room.nextPushId())
                .attr("from", room.jid.toString()).add(payload);
    }
}
