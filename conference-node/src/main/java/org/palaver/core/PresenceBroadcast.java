package org.palaver.core;

import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * Whose presence a room broadcasts: XEP-0045's {@code muc#roomconfig_presencebroadcast}, the roles
 * (moderator, participant, visitor) whose presence everyone receives, as Prosody's
 * {@code presence_broadcast}. All three by default. An occupant whose role is not in the room's
 * set is known only to itself: its entry, presence changes, renames and departure go to it alone
 * (in every address style: presence for gc-1.0 and MUC, browse pushes for new-style), joiners are
 * not told of it, and no join, leave or rename notice names it. Its messages still reach
 * everyone. What it saves: a join costs copies to every occupant for the joiner's announcement and
 * one presence per occupant to the joiner; with visitors not broadcast, a visitor's join costs
 * the copies to itself and one presence per broadcast occupant (docs/performance.md, large rooms).
 *
 * <p>A role change across the set (voice granted or revoked, an affiliation or the configuration
 * changed) shows the others the occupant arriving or leaving, so their rosters stay true.
 */
final class PresenceBroadcast {
    static final Set<Role> ALL = Set.copyOf(EnumSet.allOf(Role.class));

    private PresenceBroadcast() {
    }

    /** Whether everyone receives {@code u}'s presence (its role is in the room's set). */
    static boolean shown(Room room, Participant u) {
        Set<Role> roles = room.config.presenceBroadcast;
        return roles == ALL || roles.contains(room.role(u)); // ALL: the common case, no role to work out
    }

    /** Who of the entered is shown now, to compare after a change ({@link #afterChange}). */
    static Map<Participant, Boolean> snapshot(Room room) {
        Map<Participant, Boolean> shown = new IdentityHashMap<>();
        for (Participant p : room.entered()) {
            shown.put(p, shown(room, p));
        }
        return shown;
    }

    /** After a configuration change: every occupant's presence again, arrivals and departures where the set changed. */
    static void afterChange(Room room, Map<Participant, Boolean> before, Outbox out) {
        for (Participant p : room.entered()) {
            roleChanged(room, p, before.getOrDefault(p, true), out);
        }
    }

    /** {@code u}'s role may have changed; {@code wasShown}: whether it was broadcast before. */
    static void roleChanged(Room room, Participant u, boolean wasShown, Outbox out) {
        boolean shown = shown(room, u);
        if (shown && wasShown) {
            Traffic.announcePresence(room, u, out);
            return;
        }
        if (shown) {
            arrival(room, u).announceToOthers(room, u, out);
        } else if (wasShown) {
            departure(room, u).announceToOthers(room, u, out);
        }
        toSelf(room, u, out);
    }

    /** {@code u}'s cached presence to itself alone, in its style. */
    static void toSelf(Room room, Participant u, Outbox out) {
        List<Jid> self = List.of(u.real);
        if (!u.legacy()) {
            out.fanout(Presences.of(u, u.hashJid()), self);
        } else if (u.muc()) {
            MucBridge.fanout(room, u, Presences.with(Presences.of(u, u.nickJid()), MucBridge.present(room, u)), self, out);
        } else {
            out.fanout(Presences.of(u, u.nickJid()), self);
        }
    }

    /** How others learn of an occupant now shown: as of an entry. */
    private static Broadcast arrival(Room room, Participant u) {
        return new Broadcast() {
            @Override
            protected Element[] newStyle() {
                return new Element[] {Browse.userPush(room, u)};
            }

            @Override
            protected Element[] legacy(boolean mucCapable, boolean self) {
                Element p = Presences.of(u, u.nickJid());
                return new Element[] {mucCapable ? Presences.with(p, MucBridge.present(room, u)) : p};
            }
        };
    }

    /** How others learn of an occupant no longer shown: as of a departure (role none). */
    private static Broadcast departure(Room room, Participant u) {
        return new Broadcast() {
            @Override
            protected Element[] newStyle() {
                return new Element[] {Browse.removePush(room, u)};
            }

            @Override
            protected Element[] legacy(boolean mucCapable, boolean self) {
                Element gone = Presences.unavailable(u.nickJid());
                return new Element[] {mucCapable ? Presences.with(gone, MucBridge.gone(room, u)) : gone};
            }
        };
    }
}
