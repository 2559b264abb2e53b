package org.palaver.core;

import static org.palaver.core.Addressing.hash;
import static org.palaver.core.Addressing.roomOf;
import static org.palaver.testkit.Scenes.NS_BROWSE;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.palaver.xml.Element;

/**
 * Room membership as far as it can be told from the core's output alone, never from its state.
 *
 * <p>Each tracked room has a new-style observer that entered first and never sends anything again,
 * so it receives the browse push of every entry, rename and leave (§7.3): replaying those pushes
 * gives the room's participants (hash → nick). For the other rooms only an upper bound is known:
 * everybody who ever sent them available presence.
 */
final class ObservedMembership {
    /** Rooms with an observer (membership tracked); the others (scratch, ghost) are free for all. */
    static final List<String> TRACKED = List.of("room0@" + Addressing.S, "room1@" + Addressing.S,
            "room2@" + Addressing.S);

    private final StepContext ctx;
    /** tracked room → (hash → nick), as announced to the room's observer. */
    private final Map<String, Map<String, String>> members = new LinkedHashMap<>();
    private final Map<String, String> realByHash = new HashMap<>();
    /** untracked room → everybody who ever sent it available presence. */
    private final Map<String, Set<String>> everIn = new HashMap<>();

    ObservedMembership(StepContext ctx) {
        this.ctx = ctx;
        for (String room : TRACKED) {
            members.put(room, new LinkedHashMap<>());
        }
    }

    /** The observer of the k-th tracked room. */
    static String observer(int k) {
        return "watch" + k + "@example.org/w";
    }

    static String observerOf(String trackedRoom) {
        return observer(TRACKED.indexOf(trackedRoom));
    }

    boolean tracks(String room) {
        return members.containsKey(room);
    }

    /** A tracked room's participants as its observer sees them now (hash → nick), read-only. */
    Map<String, String> nicks(String room) {
        return Collections.unmodifiableMap(members.get(room));
    }

    /** Remembers whose hash id this is, so pushes can be mapped back to real JIDs. */
    void sawSender(String sender) {
        realByHash.put(hash(sender), sender);
    }

    String realOf(String hash) {
        return realByHash.get(hash);
    }

    /** After a stanza: available presence to an untracked room may have entered the sender. */
    void sawInput(Element stanza, String sender) {
        String room = roomOf(stanza.attr("to"));
        if (sender != null && room != null && !tracks(room) && stanza.name().equals("presence")
                && stanza.attr("type") == null) {
            everIn.computeIfAbsent(room, k -> new HashSet<>()).add(sender);
        }
    }

    /** Whether a user may be in an untracked room (it sent the room available presence once). */
    boolean mayBeIn(String untrackedRoom, String user) {
        return everIn.getOrDefault(untrackedRoom, Set.of()).contains(user);
    }

    /** Feeds the observers' pushes into the model. */
    void observe(Element o) {
        for (int k = 0; k < TRACKED.size(); k++) {
            String room = TRACKED.get(k);
            // Pushes come from the bare room; iqs relayed from participants come from R/x.
            if (!observer(k).equals(o.attr("to")) || !o.name().equals("iq") || !"set".equals(o.attr("type"))
                    || !room.equals(o.attr("from"))) {
                continue;
            }
            Element p = o.firstElement();
            ctx.check(p != null && NS_BROWSE.equals(p.namespace()), "iq set to an observer that is no push: " + o);
            if (p.name().equals("conference")) {
                applyInitialList(room, p, o);
            } else {
                ctx.check(p.name().equals("user"), "unknown push " + o);
                applyUserPush(room, p, o);
            }
        }
    }

    private void applyInitialList(String room, Element conference, Element o) {
        for (Element u : conference.elements()) {
            members.get(room).put(hashOf(u.attr("jid"), room, o), u.attr("name"));
        }
    }

    private void applyUserPush(String room, Element user, Element o) {
        Map<String, String> m = members.get(room);
        String hash = hashOf(user.attr("jid"), room, o);
        if ("remove".equals(user.attr("type"))) {
            ctx.check(m.remove(hash) != null, "remove push for somebody not entered: " + o);
        } else {
            String nick = user.attr("name");
            ctx.check(nick != null && !nick.isEmpty(), "push without a nick: " + o);
            m.put(hash, nick);
        }
    }

    private String hashOf(String occupant, String room, Element o) {
        ctx.check(occupant != null && occupant.startsWith(room + "/"), "occupant JID outside the room: " + o);
        String hash = occupant.substring(room.length() + 1);
        ctx.check(realByHash.containsKey(hash), "hash id of nobody who ever sent anything: " + o);
        return hash;
    }

    /** A copy of the tracked rooms' membership (room → hash → nick), to compare before and after a stanza. */
    Map<String, Map<String, String>> snapshot() {
        Map<String, Map<String, String>> r = new HashMap<>();
        members.forEach((room, m) -> r.put(room, new HashMap<>(m)));
        return r;
    }

    /** A snapshot's rooms with the real JIDs of their participants. */
    Map<String, Set<String>> reals(Map<String, Map<String, String>> snap) {
        Map<String, Set<String>> r = new HashMap<>();
        snap.forEach((room, m) -> {
            Set<String> reals = new HashSet<>();
            m.keySet().forEach(hash -> reals.add(realByHash.get(hash)));
            r.put(room, reals);
        });
        return r;
    }
}
