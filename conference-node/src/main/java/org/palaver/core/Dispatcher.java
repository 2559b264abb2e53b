package org.palaver.core;

import java.util.Locale;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;
import org.palaver.xml.JidCache;
import org.palaver.xml.XmlWriter;

/**
 * Spec §3, steps 0–10, in the original's order with our deviations: every inbound stanza is
 * sanity-checked (DEV-8), classified, routed to the service or a room, creates a room or
 * registers its sender when it is available presence, and ends in exactly one handler.
 */
final class Dispatcher {
    private final ServiceSettings settings;
    private final String domain;
    private final Rooms rooms;
    private final ServiceHandler service;
    private final Membership membership;
    private final Gc10 gc10;
    private final RoomHandler roomHandler;
    /** Addresses seen recently: senders and rooms repeat on every message of a conversation. */
    private final JidCache jids = new JidCache(4096);
    private long participantsLeft;
    private long participantsBounced;
    private final Tally tally = new Tally();
    private long registrationsExpired;
    private final TokenBuckets<Jid> senderBuckets;
    private final TokenBuckets<Jid> roomBuckets;
    private long senderLimited;
    private final Limits limits;
    private final Refusals refusals = new Refusals();
    private long roomLimited;

    Dispatcher(ServiceSettings settings, long startMillis, RoomDirectory directory) {
        this.settings = settings;
        this.domain = settings.domain().toLowerCase(Locale.ROOT);
        this.rooms = new Rooms(settings, directory, startMillis);
        this.service = new ServiceHandler(settings, startMillis, rooms);
        this.membership = new Membership(settings);
        Nicks nicks = new Nicks(settings.maxNickLength());
        this.limits = settings.limits();
        Capacity capacity = new Capacity(settings.maxParticipants(), refusals);
        Traffic traffic = new Traffic(tally, refusals, limits);
        this.gc10 = new Gc10(nicks, membership, traffic, capacity);
        this.roomHandler = new RoomHandler(settings, new ConferenceIq(nicks, membership, capacity, refusals, limits),
                traffic, new Moderation(membership, rooms, tally, refusals, limits));
        this.senderBuckets = new TokenBuckets<>(limits.userRate(), limits.userBurst());
        this.roomBuckets = new TokenBuckets<>(limits.roomRate(), limits.roomBurst());
    }

    /** Stanzas refused so far by {@code why}. */
    long refused(Refusal why) {
        return refusals.count(why);
    }

    /** All refusals so far. */
    long refusals() {
        return refusals.total();
    }

    /** Stanzas refused because their sender (bare JID) was over its rate limit. */
    long senderLimited() {
        return senderLimited;
    }

    /** Stanzas refused because their room was over its rate limit. */
    long roomLimited() {
        return roomLimited;
    }

    Rooms rooms() {
        return rooms;
    }

    int participantCount() {
        return membership.participants();
    }

    long participantsLeft() {
        return participantsLeft;
    }

    long participantsBounced() {
        return participantsBounced;
    }

    long count(RoomEvent event) {
        return tally.count(event);
    }

    long events() {
        return tally.total();
    }

    long registrationsExpired() {
        return registrationsExpired;
    }

    void handle(Element stanza, long now, Outbox out) {
        Inbound in = sane(stanza, out);
        if (in == null || overLimit(in, now, out)) {
            return;
        }
        if (in.kind == Inbound.Kind.UNKNOWN) {
            Replies.error(in, StanzaError.BAD_REQUEST, out); // E1
        } else if (!in.to.hasNode()) {
            service.handle(in, now, out); // step 1
        } else {
            toRoom(in, now, out);
        }
    }

    /**
     * Step 0 (DEV-8): no usable {@code from}, a {@code from} in our own domain (a router bounce of
     * something we sent) or a {@code to} outside our domain ⇒ dropped without a word. A {@code to}
     * in our domain that does not parse (e.g. a space in the node) gets 400 (E1, §18 scenario 77).
     */
    private Inbound sane(Element stanza, Outbox out) {
        Jid from = jids.parse(stanza.attr("from"));
        if (from == null || from.domainIs(domain)) {
            return null;
        }
        String rawTo = stanza.attr("to");
        Jid to = jids.parse(rawTo);
        if (to == null) {
            if (rawTo != null && domainOf(rawTo).equalsIgnoreCase(domain) && Replies.answerable(stanza)) {
                out.send(Stanzas.error(stanza, StanzaError.BAD_REQUEST, null));
            }
            return null;
        }
        if (!to.domainIs(domain)) {
            return null;
        }
        if (!XmlWriter.isStanzaNamespace(stanza.namespace())) {
            foreignNamespace(stanza, out);
            return null;
        }
        return new Inbound(stanza, from, to);
    }

    /**
     * A top-level element in a namespace other than the stanza namespaces (the parser leaves those
     * implicit, tests may name them) is not a client stanza, whatever its name: 400, without its payload, whose
     * namespace would change in a reply written in ours.
     */
    private static void foreignNamespace(Element stanza, Outbox out) {
        if (Replies.answerable(stanza)) {
            out.send(Stanzas.reply(stanza, "error").add(StanzaError.BAD_REQUEST.element(
                    "stanzas in namespace '" + stanza.namespace() + "' are not supported")));
        }
    }

    /**
     * Rate limits (issue 10): a token per stanza from the sender's bare JID, then from the room's
     * bucket. Over either ⇒ {@code policy-violation} (sender) or {@code resource-constraint}
     * (room), counted. Errors and leaving are never limited: they only shrink what a room holds.
     */
    private boolean overLimit(Inbound in, long now, Outbox out) {
        if (in.isError() || in.isUnavailable()) {
            return false;
        }
        if (!senderBuckets.take(in.from.bare(), now)) {
            senderLimited++;
            Replies.error(in, StanzaError.POLICY_VIOLATION, "too many stanzas from you; slow down", out);
            return true;
        }
        if (in.to.hasNode() && !roomBuckets.take(in.to.roomKey(), now)) {
            roomLimited++;
            Replies.error(in, StanzaError.RESOURCE_CONSTRAINT, "this room is too busy; try again shortly", out);
            return true;
        }
        return false;
    }

    private static String domainOf(String rawJid) {
        int slash = rawJid.indexOf('/');
        String bare = slash < 0 ? rawJid : rawJid.substring(0, slash);
        return bare.substring(bare.lastIndexOf('@') + 1); // '@@domain' is malformed, but ours
    }

    /** Steps 2–10. */
    private void toRoom(Inbound in, long now, Outbox out) {
        if (in.isAvailable() && tooLarge(in, out)) {
            return; // refused before it creates a room or registers anyone: the room would keep it
        }
        Room room = rooms.get(in.to.roomKey(), now);
        if (in.isAvailable() && (room == null || room.user(in.from) == null) && overHoldings(in, out)) {
            return;
        }
        if (room == null) {
            room = create(in, now, out);
            if (room == null) {
                return;
            }
        }
        Participant u = room.user(in.from);
        if (u == null && in.isAvailable()) {
            u = room.register(in.from, now); // step 3
        }
        room.last = now; // step 4
        if (u != null) {
            u.last = now;
        }
        if (in.isAvailable() && in.to.hasResource()) {
            gc10.presence(room, u, in, out); // step 5
        } else if (in.isUnavailable()) {
            if (u != null && membership.remove(room, u, out)) { // step 6
                participantsLeft++;
            }
        } else if (in.isError()) {
            errorFrom(room, u, in, out); // step 7
        } else if (in.isProbe()) {
            return; // DEV-9: probes are neither broadcast nor cached
        } else if (u == null || !u.entered()) {
            outsider(room, u, in, out); // step 8
        } else if (in.to.hasResource()) {
            toOccupant(room, u, in, now, out); // step 9
        } else {
            roomHandler.participant(room, u, in, now, out); // step 10
        }
    }

    /**
     * An available presence a room would keep per occupant and replay to every newcomer: bounded
     * as a whole ({@link Limits#maxPresenceChars()}) and in its status ({@link Limits#maxStatusChars()}).
     */
    private boolean tooLarge(Inbound in, Outbox out) {
        int max = limits.maxPresenceChars();
        if (Limits.size(in.stanza, max) > max) {
            refusals.refuse(Refusal.PRESENCE_SIZE, in, StanzaError.NOT_ACCEPTABLE,
                    "presence larger than " + max + " characters is not kept", out);
            return true;
        }
        int status = 0;
        for (Element e : in.stanza.elements()) {
            if (e.name().equals("status")) {
                status += e.text().length();
            }
        }
        if (status > limits.maxStatusChars()) {
            refusals.refuse(Refusal.STATUS_SIZE, in, StanzaError.NOT_ACCEPTABLE,
                    "status longer than " + limits.maxStatusChars() + " characters is not kept", out);
            return true;
        }
        return false;
    }

    /**
     * Step 3's guard: a new user record (available presence from a full JID the room does not
     * know, or creating the room) must keep its user within {@link Limits#maxRoomsPerUser()} and
     * {@link Limits#maxRegistrationsPerUser()} on this core: 500 resource-constraint (wait: leaving
     * a room frees one), counted.
     */
    private boolean overHoldings(Inbound in, Outbox out) {
        Refusal why = rooms.holdings().refusal(in.from, in.to.roomKey(), limits);
        if (why == Refusal.ROOMS_PER_USER) {
            refusals.refuse(why, in, StanzaError.RESOURCE_CONSTRAINT, "you are in too many rooms here (at most "
                    + limits.maxRoomsPerUser() + "); leave one first", out);
        } else if (why == Refusal.REGISTRATIONS_PER_USER) {
            refusals.refuse(why, in, StanzaError.RESOURCE_CONSTRAINT, "your resources are in too many rooms here "
                    + "(at most " + limits.maxRegistrationsPerUser() + " in all); leave one first", out);
        }
        return why != null;
    }

    /**
     * Step 2 for a room that does not exist: only available presence creates one (405 when dynamic
     * rooms are off, E15); anything else is 404 (E10) — a self-ping is 406 (DEV-21, the sender
     * certainly is not an occupant).
     */
    private Room create(Inbound in, long now, Outbox out) {
        if (!in.isAvailable()) {
            Replies.error(in, MucBridge.isPing(in) && in.to.hasResource()
                    ? StanzaError.NOT_ACCEPTABLE : StanzaError.ITEM_NOT_FOUND, out);
            return null;
        }
        if (!settings.dynamicRooms()) {
            Replies.error(in, StanzaError.NOT_ALLOWED, out);
            return null;
        }
        return rooms.create(in.to.roomKey(), in.from, now);
    }

    /**
     * Step 7: an error from a user that says the user is gone removes it (§10.3 as updated,
     * presence errors too, DEV-13); other errors are ignored and counted. iq errors to {@code R/x}
     * and iq errors answering one of our pushes (DEV-17) are dropped without a count. Errors are
     * never relayed or answered.
     */
    private void errorFrom(Room room, Participant u, Inbound in, Outbox out) {
        if (u == null || in.isIq() && (in.to.hasResource() || room.isPushId(in.id()))) {
            return;
        }
        if (!Bounce.meansGone(in.stanza)) {
            tally.one(RoomEvent.ERROR_IGNORED);
        } else if (membership.remove(room, u, out)) {
            participantsBounced++;
        }
    }

    /** Step 8: a non-participant; anything to {@code R/x} is 404 (a self-ping 406, DEV-21). */
    private void outsider(Room room, Participant u, Inbound in, Outbox out) {
        if (in.to.hasResource()) {
            Replies.error(in, MucBridge.isPing(in) ? StanzaError.NOT_ACCEPTABLE : StanzaError.ITEM_NOT_FOUND, out);
        } else {
            roomHandler.outsider(room, u, in, out);
        }
    }

    /** Step 9: resolve the target by hash id, then nick; unknown ⇒ 404. */
    private static void toOccupant(Room room, Participant u, Inbound in, long now, Outbox out) {
        Participant target = room.resolve(in.to.resource());
        if (target == null) {
            Replies.error(in, StanzaError.ITEM_NOT_FOUND, out);
        } else {
            OccupantHandler.handle(u, target, in, now, out);
        }
    }

    /** Takes a room off this core to move it (nothing is sent, nobody removed); {@code null} when not here. */
    Room export(Jid roomKey) {
        Room room = rooms.remove(roomKey);
        if (room != null) {
            membership.moved(-room.count());
        }
        return room;
    }

    /** Installs a room moved here; {@link IllegalStateException} when this core holds it already. */
    void install(Room room) {
        rooms.install(room);
        membership.moved(room.count());
    }

    /** §5.4. */
    void heartbeat(long now) {
        registrationsExpired += rooms.heartbeat(now);
        senderBuckets.forgetFull(now);
        roomBuckets.forgetFull(now);
    }
}
