package org.palaver.core;

/**
 * Available presence to {@code R/nick} (spec §9.1): presence update (own nick, or own hash id —
 * DEV-14), MUC rejoin (§13.2), conflict (409), rename of an entered user, or the gc-1.0 join
 * (405 for a secret room unless a MUC client brings the password, DEV-20).
 */
final class Gc10 {
    private final Nicks nicks;
    private final Membership membership;
    private final Traffic traffic;
    private final Capacity capacity;

    Gc10(Nicks nicks, Membership membership, Traffic traffic, Capacity capacity) {
        this.nicks = nicks;
        this.membership = membership;
        this.traffic = traffic;
        this.capacity = capacity;
    }

    void presence(Room room, Participant u, Inbound in, Outbox out) {
        String nick = in.to.resource();
        Participant holder = room.resolve(nick); // a hash id counts as taken, own hash = DEV-14
        boolean mucJoin = MucBridge.isJoin(in.stanza);
        if (holder == u) {
            if (mucJoin && u.legacy() && nick.equals(u.nick())) {
                MucBridge.rejoin(room, u, out);
            } else {
                traffic.presence(room, u, in, out);
            }
            return;
        }
        if (nicks.refused(holder != null, nick, in, out)) {
            return;
        }
        if (u.entered()) {
            u.cachePresence(Presences.cacheable(in.stanza)); // DEV-4
            membership.rename(room, u, nick, out);
            return;
        }
        join(room, u, nick, mucJoin, in, out);
    }

    private void join(Room room, Participant u, String nick, boolean mucJoin, Inbound in, Outbox out) {
        StanzaError barred = Moderation.barred(room, u);
        if (barred != null) {
            Replies.error(in, barred, out);
            return;
        }
        if (room.secret != null) {
            if (!mucJoin) {
                Replies.error(in, StanzaError.NOT_ALLOWED, out); // gc-1.0 cannot present a secret
                return;
            }
            if (!room.secret.equals(MucBridge.password(in.stanza))) {
                Replies.error(in, StanzaError.NOT_AUTHORIZED, out);
                return;
            }
        }
        if (capacity.refuses(room, in, out)) {
            return;
        }
        membership.enterLegacy(room, u, nick, in.stanza, mucJoin, out);
    }
}
