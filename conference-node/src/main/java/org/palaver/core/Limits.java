package org.palaver.core;

import org.palaver.xml.Element;

/**
 * Limits per user and per room (issue 10). Token-bucket rate limits: stanzas per second and burst
 * per sender (bare JID) and per room; a rate of 0 switches that limit off. And bounds on what a
 * node keeps on a user's behalf, so that one user cannot fill the heap: the presence and status a
 * room keeps per occupant (replayed to every newcomer), the room name, topic and description
 * the owners set, and how many rooms and user records one bare JID holds on this node. The
 * defaults are far above what a person or an ordinary client needs, so they only stop abuse.
 *
 * @param userRate  stanzas per second one bare JID may send, sustained (0 = no limit)
 * @param userBurst stanzas one bare JID may send at once after a quiet period
 * @param roomRate  stanzas per second one room accepts from all senders together (0 = no limit)
 * @param roomBurst stanzas one room accepts at once
 * @param maxPresenceChars longest available presence to a room, in characters of names, attribute
 *                  values and text (about its size as XML); a longer one is refused
 * @param maxStatusChars longest {@code <status>} text of an available presence to a room
 * @param maxRoomNameChars longest room name and room password an owner may set
 * @param maxTopicChars longest topic (subject), room description and ban reason
 * @param maxRoomsPerUser most rooms on this node in which one bare JID has a user record
 *                  (registered, entered or owner) at once
 * @param maxRegistrationsPerUser most user records one bare JID holds on this node at once (one
 *                  per full JID and room: resources times rooms)
 * @param maxAffiliationsPerRoom most entries in a room's affiliation lists (owners, admins, members,
 *                  outcasts together)
 */
public record Limits(int userRate, int userBurst, int roomRate, int roomBurst, int maxPresenceChars,
                     int maxStatusChars, int maxRoomNameChars, int maxTopicChars, int maxRoomsPerUser,
                     int maxRegistrationsPerUser, int maxAffiliationsPerRoom) {
    public static final int DEFAULT_MAX_PRESENCE_CHARS = 16 * 1024;
    public static final int DEFAULT_MAX_STATUS_CHARS = 1024;
    public static final int DEFAULT_MAX_ROOM_NAME_CHARS = 256;
    public static final int DEFAULT_MAX_TOPIC_CHARS = 4096;
    public static final int DEFAULT_MAX_ROOMS_PER_USER = 100;
    public static final int DEFAULT_MAX_REGISTRATIONS_PER_USER = 200;
    public static final int DEFAULT_MAX_AFFILIATIONS_PER_ROOM = 1000;

    public Limits {
        if (userRate < 0 || roomRate < 0 || userBurst < 1 || roomBurst < 1 || maxPresenceChars < 1
                || maxStatusChars < 1 || maxRoomNameChars < 1 || maxTopicChars < 1 || maxRoomsPerUser < 1
                || maxRegistrationsPerUser < 1 || maxAffiliationsPerRoom < 1) {
            throw new IllegalArgumentException("need rates >= 0 and bursts, sizes and counts >= 1");
        }
    }

    /** The given rates and presence size with the default sizes and counts. */
    public Limits(int userRate, int userBurst, int roomRate, int roomBurst, int maxPresenceChars) {
        this(userRate, userBurst, roomRate, roomBurst, maxPresenceChars, DEFAULT_MAX_STATUS_CHARS,
                DEFAULT_MAX_ROOM_NAME_CHARS, DEFAULT_MAX_TOPIC_CHARS, DEFAULT_MAX_ROOMS_PER_USER,
                DEFAULT_MAX_REGISTRATIONS_PER_USER, DEFAULT_MAX_AFFILIATIONS_PER_ROOM);
    }

    public static Limits defaults() {
        return new Limits(500, 2000, 2000, 10_000, DEFAULT_MAX_PRESENCE_CHARS);
    }

    /** No rate limits (benchmarks, the start-up warm-up); the size and count limits stay. */
    public static Limits off() {
        return new Limits(0, 1, 0, 1, DEFAULT_MAX_PRESENCE_CHARS);
    }

    /** These rates and presence size with other bounds on texts and on what one user holds. */
    public Limits withHoldings(int statusChars, int roomNameChars, int topicChars, int roomsPerUser,
                               int registrationsPerUser) {
        return new Limits(userRate, userBurst, roomRate, roomBurst, maxPresenceChars, statusChars, roomNameChars,
                topicChars, roomsPerUser, registrationsPerUser, maxAffiliationsPerRoom);
    }

    /** These limits with another bound on a room's affiliation lists. */
    public Limits withAffiliations(int perRoom) {
        return new Limits(userRate, userBurst, roomRate, roomBurst, maxPresenceChars, maxStatusChars,
                maxRoomNameChars, maxTopicChars, maxRoomsPerUser, maxRegistrationsPerUser, perRoom);
    }

    /** Rough size of an element in characters, stopping as soon as it exceeds {@code max}. */
    static int size(Element e, int max) {
        int n = e.name().length() + 2;
        for (int i = 0; i < e.attrCount() && n <= max; i++) {
            n += e.attrName(i).length() + e.attrValue(i).length() + 4;
        }
        for (Object c : e.children()) {
            if (n > max) {
                break;
            }
            n += c instanceof String t ? t.length() : size((Element) c, max - n);
        }
        return n;
    }
}
