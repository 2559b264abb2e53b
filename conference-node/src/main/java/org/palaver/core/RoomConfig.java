package org.palaver.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.palaver.xml.Jid;

/**
 * What the owners configure beyond the spec's name, secret and privacy (XEP-0045 subset, issue 9):
 * description, moderation, members-only, a per-room occupant limit, who may change the subject,
 * whether real JIDs are shown to MUC occupants, whether the room is listed, and the affiliation lists by bare JID (owners,
 * admins, members, outcasts with the ban's reason). All of it is room state (moved, replicated,
 * kept through takeover); the lists live as long as the room.
 */
final class RoomConfig {
    String description;
    /** Non-members enter as visitors and need voice to speak. */
    boolean moderated;
    /** Only members, admins and owners may enter (407 otherwise). */
    boolean membersOnly;
    /** Most occupants of this room, 0 = the service's limit only. */
    int maxOccupants;
    /** Whether any participant may change the subject (spec §11.1; else only moderators). */
    boolean subjectByAnyone = true;
    /** Whether MUC occupants see each other's real JID (non-anonymous; privacy mode still hides). */
    boolean realJidsShown;
    /** Left out of the service's room lists (XEP-0045 hidden room, {@code muc#roomconfig_publicroom} off; room state 1.2). */
    boolean hidden;
    private final Map<Jid, Affiliation> affiliations = new LinkedHashMap<>();
    private final Map<Jid, String> banReasons = new LinkedHashMap<>();

    Affiliation affiliation(Jid real) {
        return affiliations.getOrDefault(real.bare(), Affiliation.NONE);
    }

    /** Sets {@code bare}'s affiliation ({@link Affiliation#NONE} removes it from the lists). */
    void affiliate(Jid bare, Affiliation a, String reason) {
        Jid key = bare.bare();
        banReasons.remove(key);
        if (a == Affiliation.NONE) {
            affiliations.remove(key);
        } else {
            affiliations.put(key, a);
            if (a == Affiliation.OUTCAST && reason != null) {
                banReasons.put(key, reason);
            }
        }
    }

    String banReason(Jid bare) {
        return banReasons.get(bare.bare());
    }

    /** The lists, in the order entries were made. */
    Map<Jid, Affiliation> affiliations() {
        return Collections.unmodifiableMap(affiliations);
    }
}
