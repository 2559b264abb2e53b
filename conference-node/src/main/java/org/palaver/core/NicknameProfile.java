package org.palaver.core;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The PRECIS nickname profile (RFC 8266) as far as it concerns what a room accepts: the
 * enforcement mappings (every Unicode space to U+0020, leading and trailing spaces removed, runs
 * collapsed, NFKC) and the code points of the FreeformClass (RFC 8264 §4.3), plus one rule of our
 * own: a nick needs at least one visible base character, so that nobody can take a name that
 * renders as nothing (U+2800 braille blank, combining marks only).
 *
 * <p>A nick is accepted only in its enforced form: one that the mappings would change is refused
 * with the form it should have, rather than silently changed, so the nick a user asked for is the
 * nick everyone sees. Comparison stays exact as the protocol requires (spec §1.3).
 */
final class NicknameProfile {
    private NicknameProfile() {
    }

    /** The enforced form: spaces mapped, trimmed and collapsed, then NFKC. */
    static String enforce(String nick) {
        StringBuilder sb = new StringBuilder(nick.length());
        boolean space = false;
        for (int i = 0; i < nick.length(); ) {
            int cp = nick.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) == Character.SPACE_SEPARATOR) {
                space = sb.length() > 0;
            } else {
                if (space) {
                    sb.append(' ');
                    space = false;
                }
                sb.appendCodePoint(cp);
            }
        }
        return Normalizer.normalize(sb, Normalizer.Form.NFKC);
    }

    /** Why {@code nick} (non-empty) breaks the profile, or {@code null} when it does not. */
    static String problem(String nick) {
        boolean visible = false;
        for (int i = 0; i < nick.length(); ) {
            int cp = nick.codePointAt(i);
            i += Character.charCount(cp);
            String why = disallowed(cp);
            if (why != null) {
                return "nick contains " + why + " (" + String.format(Locale.ROOT, "U+%04X", cp) + ")";
            }
            visible |= isVisibleBase(cp);
        }
        if (!visible) {
            return "nick has no visible character";
        }
        String enforced = enforce(nick);
        return enforced.equals(nick) ? null : "nick is not in normalised form (RFC 8266), use '" + enforced + "'";
    }

    /** The FreeformClass's disallowed and unassigned code points, by kind; {@code null} when valid. */
    private static String disallowed(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
                return "a control character";
            case Character.FORMAT:
                return "an invisible or direction-changing character";
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return "a line break";
            case Character.UNASSIGNED:
            case Character.SURROGATE:
                return "an unassigned code point";
            case Character.PRIVATE_USE:
                return "a private-use character";
            default:
                return isDefaultIgnorable(cp) ? "an invisible character" : null;
        }
    }

    /**
     * Default-ignorable code points that are not format characters (RFC 8264 §9.13, Unicode
     * DerivedCoreProperties): the Hangul fillers, the combining grapheme joiner and the variation
     * selectors, which render as nothing.
     */
    private static boolean isDefaultIgnorable(int cp) {
        return cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5
                || (cp >= 0x180B && cp <= 0x180F) || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F)
                || cp == 0xFFA0 || (cp >= 0xE0000 && cp <= 0xE0FFF);
    }

    /** A character that renders as something on its own: not a space, mark or blank pattern. */
    private static boolean isVisibleBase(int cp) {
        switch (Character.getType(cp)) {
            case Character.SPACE_SEPARATOR:
            case Character.NON_SPACING_MARK:
            case Character.ENCLOSING_MARK:
            case Character.COMBINING_SPACING_MARK:
                return false;
            default:
                return cp != 0x2800;
        }
    }
}
