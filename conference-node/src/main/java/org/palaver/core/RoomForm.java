package org.palaver.core;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
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
        x.add(presenceBroadcast(c));
        return x;
    }

    /**
     * Which text limit a submitted form passes: {@link Refusal#ROOM_NAME_SIZE} for the name or
     * password, {@link Refusal#TOPIC_SIZE} for the description; {@code null} when none.
     */
    static Refusal tooLong(Element form, Limits limits) {
        if (ConferenceIq.longer(value(form, "roomname"), limits.maxRoomNameChars())
                || ConferenceIq.longer(value(form, "roomsecret"), limits.maxRoomNameChars())) {
            return Refusal.ROOM_NAME_SIZE;
        }
        return ConferenceIq.longer(value(form, "roomdesc"), limits.maxTopicChars()) ? Refusal.TOPIC_SIZE : null;
    }

    /** {@code muc#roomconfig_presencebroadcast}: the roles whose presence is broadcast ({@link PresenceBroadcast}). */
    private static Element presenceBroadcast(RoomConfig c) {
        Element f = field(P + "presencebroadcast", "list-multi", "Roles whose presence is broadcast", null);
        for (Role r : Role.values()) {
            if (c.presenceBroadcast.contains(r)) {
                f.add(Stanzas.textElement("value", r.value()));
            }
        }
        for (Role r : Role.values()) {
            f.add(option(LABELS.get(r), r.value()));
        }
        return f;
    }

    private static final Map<Role, String> LABELS = Map.of(Role.MODERATOR, "Moderator", Role.PARTICIPANT, "Participant",
            Role.VISITOR, "Visitor");

    /** The submitted roles of {@code muc#roomconfig_presencebroadcast}; {@code null} when not sent. */
    private static Set<Role> broadcastRoles(Element form) throws IllegalArgumentException {
        Element field = fieldOf(form, "presencebroadcast");
        if (field == null) {
            return null;
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Element v : field.elements()) {
            if (v.name().equals("value")) {
                Role r = Role.of(v.text().trim());
                if (r == null) {
                    throw new IllegalArgumentException("muc#roomconfig_presencebroadcast values must be moderator,"
                            + " participant or visitor, got '" + v.text() + "'");
                }
                roles.add(r);
            }
        }
        return Set.copyOf(roles);
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
        Set<Role> broadcast;
        try {
            broadcast = broadcastRoles(form);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
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
        if (broadcast != null) {
            c.presenceBroadcast = broadcast.size() == Role.values().length ? PresenceBroadcast.ALL : broadcast;
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
        Element f = fieldOf(form, name);
        if (f == null) {
            return null;
        }
        Element v = f.child("value");
        return v == null ? "" : v.text();
    }

    private static Element fieldOf(Element form, String name) {
        for (Element f : form.elements()) {
            if (f.name().equals("field") && (P + name).equals(f.attr("var"))) {
                return f;
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
