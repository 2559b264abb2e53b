package org.palaver.core;

import org.palaver.xml.Element;

/**
 * Room traffic (spec §8): groupchat broadcast (the hot path), presence updates and the relay
 * between participants.
 *
 * <p>A broadcast builds one template per recipient style — a shallow copy of the inbound stanza
 * with {@code to} removed, {@code type='groupchat'} and the style's {@code from} — and hands each
 * to {@link Outbox#fanout} with the room's immutable recipient snapshot: no per-recipient work in
 * the core. The new-style template doubles as the history entry.
 */
final class Traffic {
    private final Tally tally;

    Traffic(Tally tally) {
        this.tally = tally;
    }

    /** Spec §8.1 plus topic (§11.1) and the invite hack (§12.2). */
    void message(Room room, Participant u, Inbound in, long now, Outbox out) {
        Element subject = in.stanza.child("subject");
        if (subject != null && Invites.isInvite(subject)) {
            Invites.forward(u, subject, in, out);
            return;
        }
        Role role = room.role(u);
        if (role == Role.VISITOR || subject != null && !room.config.subjectByAnyone && role != Role.MODERATOR) {
            Replies.error(in, StanzaError.FORBIDDEN, out); // no voice, or the subject is the moderators'
            return;
        }
        if (subject != null) {
            String text = subject.text();
            room.topic = text.isEmpty() ? null : Topic.setBy(u.nick(), text);
        }
        Element byHash = Stanzas.copy(in.stanza).attr("to", null).attr("type", "groupchat")
                .attr("from", u.hashJid().toString());
        Recipients r = room.recipients();
        Broadcast.fanout(byHash, r.newStyle, out);
        if (!r.plainLegacy.isEmpty() || !r.mucLegacy.isEmpty()) {
            Element byNick = byHash.shallowCopy().attr("from", u.nickJid().toString());
            Broadcast.fanout(byNick, r.plainLegacy, out);
            Broadcast.fanout(byNick, r.mucLegacy, out);
        }
        room.history.add(byHash, u.nickJid(), now, tally);
    }

    /** Spec §8.2: broadcast to everyone including the sender, and cache. */
    void presence(Room room, Participant u, Inbound in, Outbox out) {
        Element cached = Presences.cacheable(in.stanza);
        u.cachePresence(cached);
        announcePresence(room, u, out);
    }

    /** Everyone's presence to everyone (after a configuration change that may change roles or shown JIDs). */
    static void announceAll(Room room, Outbox out) {
        for (Participant p : room.entered()) {
            announcePresence(room, p, out);
        }
    }

    /** {@code u}'s cached presence to everyone in the room, with its current role for MUC occupants. */
    static void announcePresence(Room room, Participant u, Outbox out) {
        Recipients r = room.recipients();
        Broadcast.fanout(Presences.of(u, u.hashJid()), r.newStyle, out);
        if (!r.plainLegacy.isEmpty() || !r.mucLegacy.isEmpty()) {
            Element byNick = Presences.of(u, u.nickJid());
            Broadcast.fanout(byNick, r.plainLegacy, out);
            if (!r.mucLegacy.isEmpty()) {
                MucBridge.fanout(room, u, Presences.with(byNick, MucBridge.present(room, u)), r.mucLegacy, out);
            }
        }
    }

    /** Spec §8.3 relay: to the target's real JID, from the sender's address in the target's style. */
    static void relay(Participant sender, Participant target, Inbound in, Outbox out) {
        out.send(Stanzas.readdressed(in.stanza, sender.addressFor(target).toString(), target.real.toString()));
    }
}
