package org.palaver.core;

/**
 * Limits per user and per room (issue 10). Token-bucket rate limits: stanzas per second and burst
 * per sender (bare JID) and per room; a rate of 0 switches that limit off. And the size of the
 * presence a room keeps for each occupant (replayed to every newcomer). The defaults are far above
 * what a person or an ordinary client sends, so they only stop abuse.
 *
 * @param userRate  stanzas per second one bare JID may send, sustained (0 = no limit)
 * @param userBurst stanzas one bare JID may send at once after a quiet period
 * @param roomRate  stanzas per second one room accepts from all senders together (0 = no limit)
 * @param roomBurst stanzas one room accepts at once
 * @param maxPresenceChars longest available presence to a room, in characters of names, attribute
 *                  values and text (about its size as XML); a longer one is refused
 */
public record Limits(int userRate, int userBurst, int roomRate, int roomBurst, int maxPresenceChars) {
    public static final int DEFAULT_MAX_PRESENCE_CHARS = 16 * 1024;

    public Limits {
        if (userRate < 0 || roomRate < 0 || userBurst < 1 || roomBurst < 1 || maxPresenceChars < 1) {
            throw new IllegalArgumentException("need rates >= 0, bursts >= 1 and maxPresenceChars >= 1");
        }
    }

    public static Limits defaults() {
        return new Limits(500, 2000, 2000, 10_000, DEFAULT_MAX_PRESENCE_CHARS);
    }

    /** No rate limits (benchmarks, the start-up warm-up); the size limit stays. */
    public static Limits off() {
        return new Limits(0, 1, 0, 1, DEFAULT_MAX_PRESENCE_CHARS);
    }

    /** Rough size of an element in characters, stopping as soon as it exceeds {@code max}. */
    static int size(org.palaver.xml.Element e, int max) {
        int n = e.name().length() + 2;
        for (int i = 0; i < e.attrCount() && n <= max; i++) {
            n += e.attrName(i).length() + e.attrValue(i).length() + 4;
        }
        for (Object c : e.children()) {
            if (n > max) {
                break;
            }
            n += c instanceof String t ? t.length() : size((org.palaver.xml.Element) c, max - n);
        }
        return n;
    }
}
