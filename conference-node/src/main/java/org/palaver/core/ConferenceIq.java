package org.palaver.core;

import org.palaver.xml.Element;

/**
 * {@code jabber:iq:conference} (spec §6): requirements for outsiders, the join set, the get and
 * set of entered participants. The payload is matched by namespace only (any element name, e.g.
 * Coccinella's {@code <enter>}); answers always use {@code <query>}.
 */
final class ConferenceIq {
    private final Nicks nicks;
    private final Membership membership;
    private final Capacity capacity;
    private final Refusals refusals;
    private final Limits limits;

    ConferenceIq(Nicks nicks, Membership membership, Capacity capacity, Refusals refusals, Limits limits) {
        this.nicks = nicks;
        this.membership = membership;
        this.capacity = capacity;
        this.refusals = refusals;
        this.limits = limits;
    }

    /** §6.1.1: name, an empty nick, then secret and privacy markers when they apply. */
    static Element requirements(Room room) {
        Element q = query().add(nameElement(room)).add(new Element("nick"));
        if (room.secret != null) {
            q.add(new Element("secret"));
        }
        if (room.privacyAllowed) {
            q.add(new Element("privacy"));
        }
        return q;
    }

    /** The join result (§6.1.2 step 5): nick, name, id in that order. */
    static Element identity(Room room, Participant u) {
        return query().add(Stanzas.textElement("nick", u.nick())).add(nameElement(room))
                .add(Stanzas.textElement("id", u.hashJid().toString()));
    }

    /** The get of an entered participant (§6.2.1): name, nick, id. */
    static Element current(Room room, Participant u) {
        return query().add(nameElement(room)).add(Stanzas.textElement("nick", u.nick()))
                .add(Stanzas.textElement("id", u.hashJid().toString()));
    }

    private static Element query() {
        return new Element("query", Ns.CONFERENCE);
    }

    private static Element nameElement(Room room) {
        return Stanzas.textElement("name", room.name() == null ? "" : room.name());
    }

    /**
     * The join set of an outsider (§6.1.2): registration required (403), secret (401), room
     * capacity (503), nick choice (409/400), privacy, the owner's configuration, then entry.
     */
    void join(Room room, Participant u, Inbound in, Outbox out) {
        if (u == null) {
            Replies.error(in, StanzaError.FORBIDDEN, out);
            return;
        }
        StanzaError barred = Moderation.barred(room, u);
        if (barred != null) {
            Replies.error(in, barred, out);
            return;
        }
        Element q = in.payload();
        if (room.secret != null && !room.secret.equals(q.childText("secret"))) {
            Replies.error(in, StanzaError.NOT_AUTHORIZED, out);
            return;
        }
        if (capacity.refuses(room, in, out)) {
            return;
        }
        Nicks.Choice choice = nicks.choose(room, q, u.real);
        if (choice.nick() == null) {
            Replies.error(in, choice.error(), choice.text(), out);
            return;
        }
        if (room.isOwner(u) && tooLong(q, in, out)) {
            return;
        }
        boolean privacy = Privacy.granted(room, q);
        if (room.isOwner(u)) {
            configure(room, q);
        }
        membership.enterNewStyle(room, u, choice.nick(), privacy, in, out);
    }

    /**
     * The set of an entered participant (§6.2.2): nick change by the first {@code <nick>} (409 when
     * someone else has it, nothing else applied), the owner's configuration (its {@code <privacy/>}
     * also turns on its own privacy), then an empty result — after the rename broadcast.
     */
    void change(Room room, Participant u, Inbound in, Outbox out) {
        Element q = in.payload();
        if (room.isOwner(u) && tooLong(q, in, out)) {
            return;
        }
        String nick = q.childText("nick");
        boolean rename = nick != null && !nick.isEmpty() && !nick.equals(u.nick());
        if (rename) {
            if (nicks.refused(room.nickInUse(nick), nick, in, out)) {
                return;
            }
            membership.rename(room, u, nick, out);
        }
        if (room.isOwner(u)) {
            configure(room, q);
            if (q.child("privacy") != null) {
                u.privacy(true);
            }
        }
        Replies.result(in, null, out);
    }

    /**
     * Whether the owner's name or secret is over {@link Limits#maxRoomNameChars()} (refused with
     * 406 and counted; nothing of the request is applied).
     */
    private boolean tooLong(Element q, Inbound in, Outbox out) {
        int max = limits.maxRoomNameChars();
        if (longer(q.childText("name"), max) || longer(q.childText("secret"), max)) {
            refusals.refuse(Refusal.ROOM_NAME_SIZE, in, StanzaError.NOT_ACCEPTABLE,
                    "room name or secret longer than " + max + " characters", out);
            return true;
        }
        return false;
    }

    static boolean longer(String text, int max) {
        return text != null && text.length() > max;
    }

    /** The owner's powers (§5.3): secret (empty clears it), name, allowing privacy. */
    private static void configure(Room room, Element q) {
        String secret = q.childText("secret");
        if (secret != null) {
            room.secret = Rooms.emptyToNull(secret);
        }
        String name = q.childText("name");
        if (name != null) {
            room.name(Rooms.emptyToNull(name));
        }
        if (q.child("privacy") != null) {
            room.privacyAllowed = true;
        }
    }
}
