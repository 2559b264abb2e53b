package org.palaver.core;

import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * The room's membership events and what everybody receives (spec §6.3, §9.2, §9.3, §10):
 * entering (both styles), renaming and leaving. Each event updates the room first, then
 * announces itself through a {@link Broadcast} (subject first, then the others by style).
 */
final class Membership {
    private final ServiceSettings settings;
    /** Entered participants in all rooms: admitted minus removed (admit only sees outsiders). */
    private int participants;

    Membership(ServiceSettings settings) {
        this.settings = settings;
    }

    // ---- entering ----------------------------------------------------------------------------

    /**
     * New-style entry (§6.3): result, initial browse push, the others' cached presence (DEV-5),
     * announcement, then history, topic and join notice.
     */
    void enterNewStyle(Room room, Participant u, String nick, boolean privacy, Inbound request, Outbox out) {
        admit(room, u, nick, false, false, privacy);
        Replies.result(request, ConferenceIq.identity(room, u), out);
        out.send(Browse.initialPush(settings, room, u));
        for (Participant p : room.entered()) {
            if (p != u) {
                out.send(Presences.of(p, p.hashJid(), u.real));
            }
        }
        announceEntry(room, u, out);
        welcome(room, u, HistoryRequest.ALL, out);
    }

    /**
     * gc-1.0 entry (§9.2): the joining presence is cached (DEV-4); the joiner receives the others'
     * cached presence, then the announcement (its own presence after the others'), history, topic
     * (or the MUC subject) and the join notice.
     */
    void enterLegacy(Room room, Participant u, String nick, Element presence, boolean muc, Outbox out) {
        u.cachePresence(Presences.cacheable(presence));
        admit(room, u, nick, true, muc, false);
        for (Participant p : room.entered()) {
            if (p != u) {
                Element copy = Presences.of(p, p.nickJid(), u.real);
                out.send(muc ? MucBridge.forViewer(room, p, u, Presences.with(copy, MucBridge.present(room, p))) : copy);
            }
        }
        announceEntry(room, u, out);
        welcome(room, u, muc ? HistoryRequest.of(presence) : HistoryRequest.ALL, out);
    }

    private void admit(Room room, Participant u, String nick, boolean legacy, boolean muc, boolean privacy) {
        u.enter(room.jid.withResource(HashId.of(u.real)), room.jid.withResource(nick), legacy, muc, privacy);
        room.addEntered(u);
        participants++;
    }

    int participants() {
        return participants;
    }

    /** A room with {@code delta} participants moved in (positive) or out (negative) whole. */
    void moved(int delta) {
        participants += delta;
    }

    /** The "U enters" row of §9.5: a push for new-style, the cached presence for gc-1.0. */
    private static void announceEntry(Room room, Participant u, Outbox out) {
        new Broadcast() {
            @Override
            protected Element[] newStyle() {
                return new Element[] {Browse.userPush(room, u)};
            }

            @Override
            protected Element[] legacy(boolean mucCapable, boolean self) {
                Element p = Presences.of(u, u.nickJid());
                if (mucCapable) {
                    p = Presences.with(p, self ? MucBridge.joined(room, u) : MucBridge.present(room, u));
                }
                return new Element[] {p};
            }
        }.announce(room, u, out);
    }

    /**
     * §6.3 steps 6–8: history, then the topic unless a replayed message carried a subject (MUC
     * joiners get no subject changes in history and always exactly one subject message, §13.2),
     * then the join notice. Sent even when history is off (DEV-6). The dispatcher set
     * {@code room.last} to the join's arrival time (step 4): the history request's "now".
     */
    private static void welcome(Room room, Participant u, HistoryRequest request, Outbox out) {
        boolean subjectReplayed = room.history.replay(u, room.jid, request, room.last, out);
        if (u.muc()) {
            out.send(MucBridge.subject(room, u));
        } else if (!subjectReplayed && room.topic != null) {
            out.send(topicMessage(room, u.real));
        }
        if (room.notices.join() != null) {
            Broadcast.notice(room, u, u.nick() + room.notices.join(), out);
        }
    }

    /** The topic as told to a joiner (§11.1). */
    static Element topicMessage(Room room, Jid to) {
        return new Element("message").attr("type", "groupchat").attr("from", room.jid.toString())
                .attr("to", to.toString())
                .add(Stanzas.textElement("subject", room.topic.subject()))
                .add(Stanzas.textElement("body", room.topic.announcement()));
    }

    // ---- renaming ----------------------------------------------------------------------------

    /**
     * Rename (§9.3): gc-1.0 recipients see the old nick leave and the new one arrive, new-style
     * recipients get a push; then the rename notice. The hash id never changes.
     */
    void rename(Room room, Participant u, String newNick, Outbox out) {
        String oldNick = u.nick();
        Jid oldJid = u.nickJid();
        u.rename(room.jid.withResource(newNick));
        room.renamed(u, oldNick);
        new Broadcast() {
            @Override
            protected Element[] newStyle() {
                return new Element[] {Browse.userPush(room, u)};
            }

            @Override
            protected Element[] legacy(boolean mucCapable, boolean self) {
                Element gone = Presences.unavailable(oldJid);
                Element back = Presences.of(u, u.nickJid());
                if (mucCapable) {
                    gone = Presences.with(gone, MucBridge.nickChange(room, u, newNick, self));
                    back = Presences.with(back, self ? MucBridge.self(room, u) : MucBridge.present(room, u));
                }
                return new Element[] {gone, back};
            }
        }.announce(room, u, out);
        if (room.notices.rename() != null) {
            Broadcast.notice(room, u, oldNick + room.notices.rename() + newNick, out);
        }
    }

    // ---- leaving -----------------------------------------------------------------------------

    /**
     * Removes a user record (§10.1): a mere registration is forgotten silently; a participant is
     * announced as gone to everyone including itself, the leave notice goes to the others and
     * ownership is cleared. History keeps the leaver's messages (authors by value, §11.2 update). Returns whether {@code u} was a participant.
     */
    boolean remove(Room room, Participant u, Outbox out) {
        return remove(room, u, Exit.LEAVE, out);
    }

    /** {@link #remove(Room, Participant, Outbox)} for a leave of the given kind (kick, ban). */
    boolean remove(Room room, Participant u, Exit exit, Outbox out) {
        boolean participant = u.entered();
        if (participant) {
            room.removeEntered(u);
            participants--;
            new Broadcast() {
                @Override
                protected Element[] newStyle() {
                    return new Element[] {Browse.removePush(room, u)};
                }

                @Override
                protected Element[] legacy(boolean mucCapable, boolean self) {
                    Element gone = Presences.unavailable(u.nickJid());
                    if (mucCapable) {
                        gone = Presences.with(gone, MucBridge.gone(room, u, exit, self));
                    }
                    return new Element[] {gone};
                }
            }.announce(room, u, out);
            if (exit.notice() != null) {
                Broadcast.notice(room, u, u.nick() + exit.notice(), out);
            } else if (room.notices.leave() != null) {
                Broadcast.notice(room, null, u.nick() + room.notices.leave(), out);
            }
        }
        room.forget(u);
        return participant;
    }
}
