package org.palaver.core;

import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * Nick rules: uniqueness per room (exact, case-sensitive, spec §1.3), the made-up nick of a join
 * without {@code <nick>} (spec §6.1.2, DEV-10), the candidate scan (DEV-1) and the content limits
 * of decision 14 (not blank, at most {@code maxLength} characters, and the PRECIS nickname
 * profile of {@link NicknameProfile}: no controls, bidi overrides or invisible-only nicks).
 */
final class Nicks {
    /** Base of the made-up nick when the real JID has no node (DEV-10). */
    static final String GUEST = "guest";

    private final int maxLength;

    Nicks(int maxLength) {
        this.maxLength = maxLength;
    }

    /** The outcome of choosing a nick: the nick, or the error to answer. */
    record Choice(String nick, StanzaError error, String text) {
        static Choice of(String nick) {
            return new Choice(nick, null, null);
        }

        static Choice refused(StanzaError error, String text) {
            return new Choice(null, error, text);
        }
    }

    /**
     * Refuses a nick someone else holds (409, E17/E19) or one that breaks the nick rules (400 with
     * the reason); {@code true} when the sender was answered with the error.
     */
    boolean refused(boolean taken, String nick, Inbound in, Outbox out) {
        if (taken) {
            Replies.error(in, StanzaError.CONFLICT, out);
            return true;
        }
        String why = problem(nick);
        if (why != null) {
            Replies.error(in, StanzaError.BAD_REQUEST, why, out);
            return true;
        }
        return false;
    }

    /**
     * Why {@code nick} is not acceptable as a nick, or {@code null} when it is. An empty nick is
     * reported too (callers that treat empty as "no candidate" check that first).
     */
    String problem(String nick) {
        if (nick.isBlank()) {
            return "nick must not be empty";
        }
        if (nick.codePointCount(0, nick.length()) > maxLength) {
            return "nick longer than " + maxLength + " characters";
        }
        return NicknameProfile.problem(nick);
    }

    /**
     * Spec §6.1.2 step 2: no {@code <nick>} ⇒ made-up nick; else the first non-empty candidate not
     * in use. None usable ⇒ 409 (all empty or taken, DEV-1), or 400 when a candidate broke the
     * content rules and none was merely taken.
     */
    Choice choose(Room room, Element query, Jid real) {
        boolean anyNick = false;
        String invalid = null;
        boolean taken = false;
        for (Element e : query.elements()) {
            if (!e.name().equals("nick")) {
                continue;
            }
            anyNick = true;
            String candidate = e.text();
            if (candidate.isEmpty()) {
                continue;
            }
            String why = problem(candidate);
            if (why != null) {
                invalid = why;
            } else if (room.nickInUse(candidate)) {
                taken = true;
            } else {
                return Choice.of(candidate);
            }
        }
        if (!anyNick) {
            return Choice.of(madeUp(room, real));
        }
        return invalid != null && !taken ? Choice.refused(StanzaError.BAD_REQUEST, invalid)
                : Choice.refused(StanzaError.CONFLICT, null);
    }

    /** node, node1, node2, … (node cut to fit the length limit; {@code guest} without a node). */
    String madeUp(Room room, Jid real) {
        String base = real.hasNode() && problem(cut(real.node(), 0)) == null ? real.node() : GUEST;
        String nick = cut(base, 0);
        for (int n = 1; room.nickInUse(nick); n++) {
            String suffix = Integer.toString(n);
            nick = cut(base, suffix.length()) + suffix;
        }
        return nick;
    }

    /** {@code base} shortened so that {@code reserve} more characters still fit the limit. */
    private String cut(String base, int reserve) {
        int keep = Math.max(1, maxLength - reserve);
        if (base.codePointCount(0, base.length()) <= keep) {
            return base;
        }
        return base.substring(0, base.offsetByCodePoints(0, keep));
    }
}
