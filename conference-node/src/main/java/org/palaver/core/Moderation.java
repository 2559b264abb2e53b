package org.palaver.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * XEP-0045 moderation (muc#admin) and owner configuration (muc#owner), the subset of issue 9:
 * kick (role none, 307), voice (visitor/participant), grant and revoke moderator; ban and unban
 * (outcast, 301) with the ban list; members, admins and owners by bare JID; the owner's
 * {@code muc#roomconfig} form; destroy with reason and alternate venue. Every change is room
 * state ({@link RoomConfig}, {@link Participant#role()}), so it moves and is replicated with the room.
 *
 * <p>Who may do what (XEP-0045 §§8–10): moderators change roles below moderator of occupants
 * who are not admins or owners; admins and owners ban, unban, edit the member list and grant
 * moderator; owners edit the admin and owner lists, configure and destroy.
 */
final class Moderation {
    static final String DATA = "jabber:x:data";
    private static final String FORM_TYPE = "http://jabber.org/protocol/muc#roomconfig";

    private final Membership membership;
    private final Rooms rooms;
    private final Tally tally;

    Moderation(Membership membership, Rooms rooms, Tally tally) {
        this.membership = membership;
        this.rooms = rooms;
        this.tally = tally;
    }

    /**
     * Why {@code u} may not enter (XEP-0045, sections 7.2.6 and 7.2.7): banned (403), or not a member of a
     * members-only room (407); {@code null} when it may.
     */
    static StanzaError barred(Room room, Participant u) {
        Affiliation a = room.affiliation(u);
        if (a == Affiliation.OUTCAST) {
            return StanzaError.FORBIDDEN;
        }
        return room.config.membersOnly && a == Affiliation.NONE ? StanzaError.REGISTRATION_REQUIRED : null;
    }

    // ---- muc#admin ---------------------------------------------------------------------------

    void admin(Room room, Participant u, Inbound in, Outbox out) {
        List<Element> items = in.payload().elements();
        if (items.isEmpty() || !(in.isGet() || in.isSet())) {
            Replies.error(in, StanzaError.BAD_REQUEST, out);
        } else if (in.isGet()) {
            list(room, u, items.get(0), in, out);
        } else {
            StanzaError refused = check(room, u, items);
            if (refused != null) {
                Replies.error(in, refused, out);
                return;
            }
            for (Element item : items) {
                apply(room, u, item, out);
            }
            Replies.result(in, null, out);
        }
    }

    /** The affiliation list (admins and owners) or the occupants with a role (moderators). */
    private void list(Room room, Participant u, Element item, Inbound in, Outbox out) {
        Affiliation a = Affiliation.of(item.attr("affiliation"));
        Role r = Role.of(item.attr("role"));
        Element q = new Element("query", Ns.MUC_ADMIN);
        if (a != null) {
            if (rank(room, u).compareTo(Affiliation.ADMIN) < 0) {
                Replies.error(in, StanzaError.FORBIDDEN, out);
                return;
            }
            if (a == Affiliation.OWNER && room.owner != null) {
                q.add(new Element("item").attr("affiliation", "owner").attr("jid", room.owner.real.bare().toString()));
            }
            for (Map.Entry<Jid, Affiliation> e : room.config.affiliations().entrySet()) {
                if (e.getValue() == a) {
                    Element i = new Element("item").attr("affiliation", a.value()).attr("jid", e.getKey().toString());
                    String reason = a == Affiliation.OUTCAST ? room.config.banReason(e.getKey()) : null;
                    q.add(reason == null ? i : i.add(Stanzas.textElement("reason", reason)));
                }
            }
        } else if (r != null) {
            if (room.role(u) != Role.MODERATOR) {
                Replies.error(in, StanzaError.FORBIDDEN, out);
                return;
            }
            for (Participant p : room.entered()) {
                if (room.role(p) == r) {
                    q.add(new Element("item").attr("nick", p.nick()).attr("role", r.value())
                            .attr("affiliation", room.affiliation(p).value()).attr("jid", p.real.toString()));
                }
            }
        } else {
            Replies.error(in, StanzaError.BAD_REQUEST, out);
            return;
        }
        Replies.result(in, q, out);
    }

    private static Affiliation rank(Room room, Participant u) {
        return room.affiliation(u);
    }

    /** The error for the first item that cannot be applied, or {@code null} when all can (all or nothing). */
    private static StanzaError check(Room room, Participant u, List<Element> items) {
        for (Element item : items) {
            String role = item.attr("role");
            String affiliation = item.attr("affiliation");
            if ((role == null) == (affiliation == null)) {
                return StanzaError.BAD_REQUEST;
            }
            StanzaError e = role != null ? checkRole(room, u, item, role) : checkAffiliation(room, u, item, affiliation);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    private static StanzaError checkRole(Room room, Participant u, Element item, String role) {
        Role r = Role.of(role);
        if (r == null && !"none".equals(role)) {
            return StanzaError.BAD_REQUEST;
        }
        Participant target = item.attr("nick") == null ? null : room.resolve(item.attr("nick"));
        if (target == null) {
            return item.attr("nick") == null ? StanzaError.BAD_REQUEST : StanzaError.ITEM_NOT_FOUND;
        }
        if (room.role(u) != Role.MODERATOR) {
            return StanzaError.FORBIDDEN;
        }
        Affiliation actor = rank(room, u);
        if (rank(room, target).compareTo(Affiliation.ADMIN) >= 0 && rank(room, target).compareTo(actor) >= 0
                && target != u) {
            return StanzaError.NOT_ALLOWED; // an admin or owner is not kicked or silenced by a peer or below
        }
        if ((r == Role.MODERATOR || room.role(target) == Role.MODERATOR) && actor.compareTo(Affiliation.ADMIN) < 0) {
            return StanzaError.FORBIDDEN;
        }
        if (target == u && r == null) {
            return StanzaError.CONFLICT; // no kicking oneself
        }
        return null;
    }

    private static StanzaError checkAffiliation(Room room, Participant u, Element item, String affiliation) {
        Affiliation a = Affiliation.of(affiliation);
        if (a == null) {
            return StanzaError.BAD_REQUEST;
        }
        Jid target = target(room, item);
        if (target == null) {
            return item.attr("nick") != null && item.attr("jid") == null ? StanzaError.ITEM_NOT_FOUND
                    : StanzaError.JID_MALFORMED;
        }
        Affiliation actor = rank(room, u);
        Affiliation current = currentAffiliation(room, target);
        Affiliation needed = a.compareTo(Affiliation.ADMIN) >= 0 || current.compareTo(Affiliation.ADMIN) >= 0
                ? Affiliation.OWNER : Affiliation.ADMIN;
        if (actor.compareTo(needed) < 0) {
            return StanzaError.FORBIDDEN;
        }
        if (room.owner != null && room.owner.real.bare().equals(target) && a != Affiliation.OWNER) {
            return StanzaError.CONFLICT; // the creator stays owner while present (spec §5.3)
        }
        return null;
    }

    /** The bare JID an affiliation item is about: its {@code jid}, or the real JID of the occupant {@code nick}. */
    private static Jid target(Room room, Element item) {
        String jid = item.attr("jid");
        if (jid != null) {
            Jid j = Jid.parse(jid);
            return j == null ? null : j.bare();
        }
        String nick = item.attr("nick");
        Participant p = nick == null ? null : room.resolve(nick);
        return p == null ? null : p.real.bare();
    }

    private static Affiliation currentAffiliation(Room room, Jid bare) {
        if (room.owner != null && room.owner.real.bare().equals(bare)) {
            return Affiliation.OWNER;
        }
        return room.config.affiliation(bare);
    }

    private void apply(Room room, Participant actor, Element item, Outbox out) {
        String reason = item.childText("reason");
        String role = item.attr("role");
        if (role != null) {
            Participant target = room.resolve(item.attr("nick"));
            if ("none".equals(role)) {
                if (membership.remove(room, target, Exit.kicked(reason), out)) {
                    tally.one(RoomEvent.KICKED);
                }
            } else {
                target.role(Role.of(role));
                Traffic.announcePresence(room, target, out);
            }
            return;
        }
        Jid bare = target(room, item);
        Affiliation a = Affiliation.of(item.attr("affiliation"));
        room.config.affiliate(bare, a, reason);
        for (Participant p : new ArrayList<>(room.entered())) {
            if (!p.real.bare().equals(bare)) {
                continue;
            }
            if (a == Affiliation.OUTCAST) {
                if (membership.remove(room, p, Exit.banned(reason), out)) {
                    tally.one(RoomEvent.BANNED);
                }
            } else if (room.config.membersOnly && room.affiliation(p) == Affiliation.NONE) {
                if (membership.remove(room, p, Exit.membershipRevoked(), out)) {
                    tally.one(RoomEvent.NOT_A_MEMBER);
                }
            } else {
                p.role(null); // the new affiliation's default role
                Traffic.announcePresence(room, p, out);
            }
        }
        if (a == Affiliation.OUTCAST) { // a registered-only record of the banned user goes too
            for (Participant p : new ArrayList<>(room.registered())) {
                if (p.real.bare().equals(bare)) {
                    membership.remove(room, p, out);
                }
            }
        }
    }

    // ---- muc#owner ---------------------------------------------------------------------------

    void owner(Room room, Participant u, Inbound in, Outbox out) {
        if (!room.isOwner(u)) {
            Replies.error(in, StanzaError.FORBIDDEN, out);
            return;
        }
        Element q = in.payload();
        if (in.isGet()) {
            Replies.result(in, new Element("query", Ns.MUC_OWNER).add(RoomForm.of(room)), out);
            return;
        }
        if (!in.isSet()) {
            Replies.error(in, StanzaError.BAD_REQUEST, out);
            return;
        }
        Element destroy = q.child("destroy");
        if (destroy != null) {
            destroy(room, destroy, in, out);
            return;
        }
        Element form = q.child("x", DATA);
        if (form != null && "submit".equals(form.attr("type"))) {
            boolean wasMembersOnly = room.config.membersOnly;
            boolean wasNonAnonymous = room.config.realJidsShown;
            String problem = RoomForm.apply(room, form);
            if (problem != null) {
                Replies.error(in, StanzaError.NOT_ACCEPTABLE, problem, out);
                return;
            }
            if (room.config.membersOnly && !wasMembersOnly) {
                removeNonMembers(room, out);
            }
            Traffic.announceAll(room, out); // roles (moderated) and shown JIDs may have changed
            configurationChanged(room, wasNonAnonymous, out);
        }
        Replies.result(in, null, out); // a cancel, or an empty submit (instant room)
    }

    /** XEP-0045 §10.2: a room made members-only removes its non-members, status 322 (decision 52). */
    private void removeNonMembers(Room room, Outbox out) {
        for (Participant p : new ArrayList<>(room.entered())) {
            if (room.affiliation(p) == Affiliation.NONE && membership.remove(room, p, Exit.roomNowMembersOnly(), out)) {
                tally.one(RoomEvent.NOT_A_MEMBER);
            }
        }
    }

    /**
     * XEP-0045 §10.2.1: MUC occupants are told the configuration changed, with 172 or 173 when the
     * room became non-anonymous or semi-anonymous, else 104 (decision 53). Others get nothing: the
     * spec has no such notice.
     */
    private static void configurationChanged(Room room, boolean wasNonAnonymous, Outbox out) {
        boolean nonAnonymous = room.config.realJidsShown;
        int code = nonAnonymous == wasNonAnonymous ? 104 : nonAnonymous ? 172 : 173;
        Element x = new Element("x", Ns.MUC_USER).add(MucBridge.status(code));
        Broadcast.fanout(new Element("message").attr("type", "groupchat").attr("from", room.jid.toString()).add(x),
                room.recipients().mucLegacy, out);
    }

    /**
     * Destroys the room (XEP-0045 §10.9): each occupant is told it is out — MUC occupants by an
     * unavailable presence with {@code <destroy jid><reason/></destroy>}, the others by the spec's
     * leave and a notice — then the owner gets the result and the room is gone (404 afterwards,
     * re-created by presence). Predefined rooms are never destroyed (§5.2): 405.
     */
    private void destroy(Room room, Element destroy, Inbound in, Outbox out) {
        if (room.predefined) {
            Replies.error(in, StanzaError.NOT_ALLOWED, out);
            return;
        }
        String reason = destroy.childText("reason");
        String venue = destroy.attr("jid");
        String text = "The room has been destroyed" + (reason == null || reason.isBlank() ? "" : ": " + reason)
                + (venue == null ? "" : " (now at " + venue + ")");
        for (Participant p : room.entered()) {
            List<Jid> to = List.of(p.real);
            if (!p.legacy()) {
                out.fanout(Browse.removePush(room, p), to);
            } else {
                Element gone = Presences.unavailable(p.nickJid());
                if (p.muc()) {
                    Element x = MucBridge.withStatus(userItemNone(), 110);
                    Element d = new Element("destroy").attr("jid", venue);
                    if (reason != null) {
                        d.add(Stanzas.textElement("reason", reason));
                    }
                    gone = Presences.with(gone, x.add(d));
                }
                out.fanout(gone, to);
            }
            if (!p.muc()) {
                out.fanout(new Element("message").attr("type", "groupchat").attr("from", room.jid.toString())
                        .add(Stanzas.textElement("body", text)), to);
            }
            tally.one(RoomEvent.DESTROYED);
        }
        Replies.result(in, null, out);
        membership.moved(-room.count());
        rooms.remove(room.jid);
    }

    private static Element userItemNone() {
        return new Element("x", Ns.MUC_USER).add(new Element("item").attr("affiliation", "none").attr("role", "none"));
    }
}
