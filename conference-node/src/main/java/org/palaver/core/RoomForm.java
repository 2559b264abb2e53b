package org.palaver.core;

import org.palaver.xml.Element;

/**
 * The owner's {@code muc#roomconfig} form (XEP-0045 §10.2) mapped onto the room: name and
 * secret are the spec's (§5.3); the rest is {@link RoomConfig}. Fields a client does not send keep
 * their value. Whether the room is persistent follows the predefined flag (§5.2) and is shown
 * read-only (changes are ignored); {@code publicroom} off hides the room from the service's lists
 * (decision 51), on a private service too (which lists rooms only to their users, §5.5).
 */
final class RoomForm {
    private static final String FORM_TYPE = "http://jabber.org/protocol/muc#roomconfig";
    private static final String P = "muc#roomconfig_";

    private RoomForm() {
    }

    static Element of(Room room) {
        RoomConfig c = room.config;
        Element x = new Element("x", Moderation.DATA).attr("type", "form");
        x.add(Stanzas.textElement("title", "Configuration of " + room.jid));
        x.add(field("FORM_TYPE", "hidden", null, FORM_TYPE));
        x.add(field(P + "roomname", "text-single", "Name", room.name()));
        x.add(field(P + "roomdesc", "text-single", "Description", c.description));
        x.add(field(P + "changesubject", "boolean", "Occupants may change the subject", bool(c.subjectByAnyone)));
        x.add(field(P + "maxusers", "text-single", "Most occupants (0: no limit of the room's own)",
                Integer.toString(c.maxOccupants)));
        x.add(field(P + "publicroom", "boolean", "Listed in the service's room list", bool(!c.hidden)));
        x.add(field(P + "persistentroom", "boolean", "Persistent (predefined rooms only)", bool(room.predefined)));
        x.add(field(P + "moderatedroom", "boolean", "Moderated", bool(c.moderated)));
        x.add(field(P + "membersonly", "boolean", "Members only", bool(c.membersOnly)));
        x.add(field(P + "passwordprotectedroom", "boolean", "Password required", bool(room.secret != null)));
        x.add(field(P + "roomsecret", "text-private", "Password", room.secret));
        Element whois = field(P + "whois", "list-single", "Who may see real JIDs",
                c.realJidsShown ? "anyone" : "moderators");
        whois.add(option("Moderators (browse)", "moderators")).add(option("Anyone", "anyone"));
        x.add(whois);
        return x;
    }

    /** Applies a submitted form; returns a problem text (406) or {@code null}. Nothing is applied on a problem. */
    static String apply(Room room, Element form) {
        String maxUsers = value(form, "maxusers");
        int max = room.config.maxOccupants;
        if (maxUsers != null) {
            String m = maxUsers.trim();
            try {
                max = m.isEmpty() || m.equals("none") ? 0 : Integer.parseInt(m);
            } catch (NumberFormatException e) {
                return "muc#roomconfig_maxusers must be a number, got '" + maxUsers + "'";
            }
            if (max < 0) {
                return "muc#roomconfig_maxusers must not be negative";
            }
        }
        String whois = value(form, "whois");
        if (whois != null && !whois.equals("anyone") && !whois.equals("moderators")) {
            return "muc#roomconfig_whois must be 'moderators' or 'anyone', got '" + whois + "'";
        }
        RoomConfig c = room.config;
        String name = value(form, "roomname");
        if (name != null) {
            room.name(Rooms.emptyToNull(name));
        }
        String desc = value(form, "roomdesc");
        if (desc != null) {
            c.description = Rooms.emptyToNull(desc);
        }
        c.subjectByAnyone = flag(form, "changesubject", c.subjectByAnyone);
        c.maxOccupants = max;
        c.moderated = flag(form, "moderatedroom", c.moderated);
        c.membersOnly = flag(form, "membersonly", c.membersOnly);
        boolean hidden = !flag(form, "publicroom", !c.hidden);
        if (hidden != c.hidden) {
            c.hidden = hidden;
            room.publish();
        }
        if (whois != null) {
            c.realJidsShown = whois.equals("anyone");
        }
        boolean protectedRoom = flag(form, "passwordprotectedroom", room.secret != null);
        String secret = value(form, "roomsecret");
        if (!protectedRoom) {
            room.secret = null;
        } else if (secret != null) {
            room.secret = Rooms.emptyToNull(secret);
        }
        return null;
    }

    private static Element field(String var, String type, String label, String value) {
        Element f = new Element("field").attr("var", var).attr("type", type).attr("label", label);
        if (value != null) {
            f.add(Stanzas.textElement("value", value));
        }
        return f;
    }

    private static Element option(String label, String value) {
        return new Element("option").attr("label", label).add(Stanzas.textElement("value", value));
    }

    private static String bool(boolean b) {
        return b ? "1" : "0";
    }

    /** The first value of {@code muc#roomconfig_name} in a submitted form; {@code null} when not sent. */
    private static String value(Element form, String name) {
        for (Element f : form.elements()) {
            if (f.name().equals("field") && (P + name).equals(f.attr("var"))) {
                Element v = f.child("value");
                return v == null ? "" : v.text();
            }
        }
        return null;
    }

    private static boolean flag(Element form, String name, boolean current) {
        String v = value(form, name);
        if (v == null) {
            return current;
        }
        String t = v.trim();
        return t.equals("1") || t.equalsIgnoreCase("true");
    }
}
