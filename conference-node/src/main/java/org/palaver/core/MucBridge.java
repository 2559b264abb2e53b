package org.palaver.core;

import java.util.ArrayList;
import java.util.List;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * The modern-client bridge (spec §13.2, §13.3): MUC-capable joiners are gc-1.0 participants that
 * sent {@code <x xmlns='http://jabber.org/protocol/muc'/>}; they additionally get
 * {@code muc#user} items on presence, status 110 on their own presence, 303 on nick changes, a
 * subject message after history, both delay forms, and no textual notices. Also: the MUC
 * password, rejoin, self-ping and the XEP-0045 admin namespaces we refuse.
 *
 * <p>Real JIDs in the items (decision 48, decision 53): in a semi-anonymous room ({@code whois}
 * moderators, the default) only moderators get the {@code jid}, in a non-anonymous one
 * ({@code whois} anyone) everybody; never for a participant in privacy mode (§8.4). The shared
 * decorations are built without it for the semi-anonymous case and a moderator's copy is made once
 * per event ({@link #fanout}), not per recipient.
 */
final class MucBridge {
    /** Shared decorations for the common cases; never modified. */
    private static final Element PARTICIPANT = userX("none", "participant", null);
    private static final Element OWNER = userX("owner", "moderator", null);

    private MucBridge() {
    }

    /** A join presence of a MUC client (spec §13.2). */
    static boolean isJoin(Element presence) {
        return presence.child("x", Ns.MUC) != null;
    }

    /** The {@code <password>} of a MUC join ({@code null} when absent). */
    static String password(Element presence) {
        Element x = presence.child("x", Ns.MUC);
        return x == null ? null : x.childText("password");
    }

    /** XEP-0410 self-ping shape: an iq get with {@code <ping xmlns='urn:xmpp:ping'/>}. */
    static boolean isPing(Inbound in) {
        return in.isGet(Ns.PING);
    }

    /** XEP-0045 registration-form requests: 501 (E22), whatever the iq type. */
    static boolean isUnsupported(Inbound in) {
        return Ns.MUC_REGISTER.equals(in.payloadNs());
    }

    // ---- muc#user decoration -----------------------------------------------------------------

    /** The item of an occupant present in the room: its affiliation and role (and real JID where shown). */
    static Element present(Room room, Participant subject) {
        Affiliation a = room.affiliation(subject);
        Role r = room.role(subject);
        if (!showsJid(room, subject)) {
            if (a == Affiliation.NONE && r == Role.PARTICIPANT) {
                return PARTICIPANT;
            }
            if (a == Affiliation.OWNER && r == Role.MODERATOR) {
                return OWNER;
            }
        }
        return item(room, subject, a.value(), r.value(), null);
    }

    /** The item of an occupant that left (role none). */
    static Element gone(Room room, Participant subject) {
        return item(room, subject, room.affiliation(subject).value(), "none", null);
    }

    private static boolean showsJid(Room room, Participant p) {
        return room.config.realJidsShown && !p.privacy();
    }

    /** Whether {@code viewer} gets {@code subject}'s real JID where the shared decoration lacks it. */
    private static boolean revealsTo(Room room, Participant subject, Participant viewer) {
        return !room.config.realJidsShown && !subject.privacy() && viewer != null
                && room.role(viewer) == Role.MODERATOR;
    }

    /** {@code presence} (decorated for everybody) as {@code viewer} receives it: with the real JID for a moderator. */
    static Element forViewer(Room room, Participant subject, Participant viewer, Element presence) {
        return revealsTo(room, subject, viewer) ? revealed(presence, subject) : presence;
    }

    /**
     * Fans a presence about {@code subject}, decorated for everybody, out to MUC occupants
     * {@code to}: the moderators among them get one copy with {@code subject}'s real JID when the
     * room is semi-anonymous (everyone else the template).
     */
    static void fanout(Room room, Participant subject, Element template, List<Jid> to, Outbox out) {
        if (to.isEmpty()) {
            return;
        }
        if (room.config.realJidsShown || subject.privacy()) {
            out.fanout(template, to);
            return;
        }
        List<Jid> others = new ArrayList<>(to.size());
        List<Jid> moderators = new ArrayList<>(2);
        for (Jid j : to) {
            (revealsTo(room, subject, room.user(j)) ? moderators : others).add(j);
        }
        if (moderators.isEmpty()) {
            out.fanout(template, to);
            return;
        }
        Broadcast.fanout(template, List.copyOf(others), out);
        out.fanout(revealed(template, subject), List.copyOf(moderators));
    }

    /** A copy of {@code presence} whose {@code muc#user} item carries {@code subject}'s real JID. */
    private static Element revealed(Element presence, Participant subject) {
        Element x = presence.child("x", Ns.MUC_USER);
        if (x == null || x.firstElement() == null || !x.firstElement().name().equals("item")) {
            return presence;
        }
        Element item = x.firstElement().shallowCopy().attr("jid", subject.real.toString());
        Element x2 = new Element("x", Ns.MUC_USER).add(item);
        List<Element> rest = x.elements();
        for (int i = 1; i < rest.size(); i++) {
            x2.add(rest.get(i));
        }
        Element copy = presence.shallowCopy();
        copy.removeChild(x);
        return copy.add(x2);
    }

    private static Element item(Room room, Participant p, String affiliation, String role, String nick) {
        Element x = userX(affiliation, role, nick);
        if (showsJid(room, p)) {
            x.firstElement().attr("jid", p.real.toString());
        }
        return x;
    }

    /** Own presence: the item plus status 110. */
    static Element self(Room room, Participant subject) {
        return withStatus(present(room, subject), 110);
    }

    /**
     * Own presence completing a join or rejoin: in a non-anonymous room status 100 ("your real JID
     * is shown to all", XEP-0045 §7.2.3) before 110.
     */
    static Element joined(Room room, Participant subject) {
        if (!room.config.realJidsShown) {
            return self(room, subject);
        }
        return withStatus(withStatus(present(room, subject), 100), 110);
    }

    /** The decoration of an unavailable presence for a leave, kick or ban (reason, 307/301, 110 to itself). */
    static Element gone(Room room, Participant subject, Exit exit, boolean self) {
        Element x = gone(room, subject);
        if (exit.reason() != null) {
            x.firstElement().add(Stanzas.textElement("reason", exit.reason()));
        }
        if (exit.status() != 0) {
            x.add(status(exit.status()));
        }
        if (self) {
            x.add(status(110));
        }
        return x;
    }

    /** The unavailable half of a nick change: item with the new nick and status 303 (+110). */
    static Element nickChange(Room room, Participant subject, String newNick, boolean self) {
        Element x = item(room, subject, room.affiliation(subject).value(), room.role(subject).value(), newNick);
        x.add(status(303));
        if (self) {
            x.add(status(110));
        }
        return x;
    }

    private static Element userX(String affiliation, String role, String nick) {
        Element x = new Element("x", Ns.MUC_USER);
        x.add(new Element("item").attr("affiliation", affiliation).attr("role", role).attr("nick", nick));
        return x;
    }

    static Element withStatus(Element shared, int code) {
        Element x = new Element("x", Ns.MUC_USER);
        for (Element child : shared.elements()) {
            x.add(child);
        }
        return x.add(status(code));
    }

    static Element status(int code) {
        return new Element("status").attr("code", Integer.toString(code));
    }

    // ---- join completion ---------------------------------------------------------------------

    /**
     * The subject message that completes a MUC join (XEP-0045 requires it): the topic, or an
     * empty {@code <subject/>}; no body.
     */
    static Element subject(Room room, Participant to) {
        Element subject = new Element("subject");
        if (room.topic != null) {
            subject.addText(room.topic.subject());
        }
        return new Element("message").attr("type", "groupchat").attr("from", room.jid.toString())
                .attr("to", to.real.toString()).add(subject);
    }

    /**
     * Rejoin (spec §13.2, §18 scenario 88): a MUC join presence from a participant to its own nick
     * re-sends the occupants' presences, the self-presence (110) and the subject to it alone.
     */
    static void rejoin(Room room, Participant u, Outbox out) {
        if (!u.muc()) {
            u.markMuc();
            room.styleChanged();
        }
        for (Participant p : room.entered()) {
            if (p != u) {
                out.send(forViewer(room, p, u, Presences.with(Presences.of(p, p.nickJid(), u.real), present(room, p))));
            }
        }
        out.send(forViewer(room, u, u, Presences.with(Presences.of(u, u.nickJid(), u.real), joined(room, u))));
        out.send(subject(room, u));
    }
}
