package org.palaver.core;

import static org.palaver.core.Addressing.S;
import static org.palaver.core.Addressing.stanza;
import static org.palaver.core.ObservedMembership.TRACKED;
import static org.palaver.core.ObservedMembership.observer;
import static org.palaver.testkit.Scenes.NS_BROWSE;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.palaver.testkit.Harness;
import org.palaver.xml.Element;

/**
 * After every step, the room and service browses (§4.1, §7.1) must agree with the membership the
 * observers saw: no ghosts, nobody missing, right counts. A silent outsider (the spy) browses;
 * on a private service outsiders see no participants (§5.5), so the observers browse instead.
 */
final class BrowseAudit {
    /** Never sends anything but browses, so it never becomes a participant. */
    static final String SPY = "spy@example.org/s";
    private static final Pattern COUNT = Pattern.compile("\\((\\d+)\\)$");

    private final StepContext ctx;
    private final Harness h;
    private final ObservedMembership membership;
    private final boolean privateService;

    BrowseAudit(StepContext ctx, Harness h, ObservedMembership membership, boolean privateService) {
        this.ctx = ctx;
        this.h = h;
        this.membership = membership;
        this.privateService = privateService;
    }

    // The browses run in a fixed order: each is a stanza the core handles, part of the run's traffic.
    void check() {
        for (int k = 0; k < TRACKED.size(); k++) {
            checkRoomBrowse(k);
            if (privateService) {
                checkPrivateListing(k);
            }
        }
        checkServiceCounts();
    }

    private void checkRoomBrowse(int k) {
        String room = TRACKED.get(k);
        Element q = browse(room, privateService ? observer(k) : SPY);
        ctx.check(q.name().equals("conference"), "room browse top: " + q);
        Map<String, String> listed = new HashMap<>();
        for (Element u : q.elements()) {
            if (u.name().equals("user")) {
                String jid = u.attr("jid");
                ctx.check(jid != null && jid.startsWith(room + "/"), "browse entry outside the room: " + q);
                ctx.check(listed.put(jid.substring(room.length() + 1), u.attr("name")) == null, "listed twice: " + q);
            }
        }
        ctx.check(listed.equals(membership.nicks(room)), "room browse of " + room + " lists " + listed
                + " but the observer saw " + membership.nicks(room));
    }

    /** §5.5: a private service lists a requester only the rooms it is in, and outsiders no participants. */
    private void checkPrivateListing(int k) {
        String room = TRACKED.get(k);
        ctx.check(roomCounts(browse(S, observer(k))).keySet().equals(Set.of(room)),
                "private service browse by the observer of " + room);
        ctx.check(roomCounts(browse(room, SPY)).isEmpty() && browse(room, SPY).elements().stream()
                .noneMatch(e -> e.name().equals("user")), "outsider sees participants of a private room");
    }

    private void checkServiceCounts() {
        Map<String, Integer> counts = new HashMap<>();
        if (privateService) {
            ctx.check(roomCounts(browse(S, SPY)).isEmpty(), "private service lists rooms to an outsider");
            for (int k = 0; k < TRACKED.size(); k++) {
                counts.putAll(roomCounts(browse(S, observer(k))));
            }
        } else {
            counts = roomCounts(browse(S, SPY));
        }
        for (String room : TRACKED) {
            int observed = membership.nicks(room).size();
            ctx.check(Integer.valueOf(observed).equals(counts.get(room)),
                    "service browse count for " + room + " is " + counts.get(room) + ", observed " + observed);
        }
    }

    /** room JID → the {@code (N)} of its service browse entry. */
    private Map<String, Integer> roomCounts(Element top) {
        Map<String, Integer> counts = new HashMap<>();
        for (Element c : top.elements()) {
            if (c.name().equals("conference")) {
                Matcher m = COUNT.matcher(c.attr("name") == null ? "" : c.attr("name"));
                ctx.check(m.find(), "room entry without a count: " + c);
                ctx.check(counts.put(c.attr("jid"), Integer.parseInt(m.group(1))) == null, "room listed twice: " + top);
            }
        }
        return counts;
    }

    /** The browse result's top element, after checking that exactly one result came back. */
    private Element browse(String target, String requester) {
        Element get = stanza("iq", target, requester).attr("type", "get").attr("id", "browse");
        get.addChild("query", NS_BROWSE);
        ctx.input(get);
        List<Element> out;
        try {
            out = h.in(get);
        } catch (RuntimeException e) {
            throw ctx.failure("browse threw", e);
        }
        ctx.check(out.size() == 1 && "result".equals(out.get(0).attr("type")) && requester.equals(out.get(0).attr("to"))
                && out.get(0).firstElement() != null, "browse of " + target + " answered " + out);
        return out.get(0).firstElement();
    }
}
