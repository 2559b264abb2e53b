package org.palaver.core;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.palaver.testkit.Harness;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * Random traffic against the protocol core, checking invariants that hold whatever the traffic:
 * nothing escapes {@code handle}; every stanza is addressed; room traffic reaches only entered
 * participants; nicks are unique; browse lists and counts agree with what was announced; errors
 * have the DEV-12 shape and answer only the sender; errors and iq results are never answered.
 *
 * <p>Membership is modelled only from observable output: each tracked room has a new-style
 * observer that entered first and never sends anything again, so it receives the browse push of
 * every entry, rename and leave (§7.3). A silent outsider ("spy") browses the rooms and the service
 * after every step (on a private service the observers do, §5.5); the lists must equal the
 * observed membership (no ghosts, nobody missing).
 */
class RoomInvariantsPropertyTest {
    private static final int STEPS = 2_000;
    private static final String S = Harness.S;
    private static final String NS_BROWSE = "jabber:iq:browse";
    private static final String NS_CONFERENCE = "jabber:iq:conference";
    private static final String NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    private static final String NS_MUC = "http://jabber.org/protocol/muc";
    private static final String SPY = "spy@example.org/s";

    /** Rooms with an observer (membership tracked); the others (scratch, ghost) are free for all. */
    private static final String[] TRACKED = {"room0@" + S, "room1@" + S, "room2@" + S};
    private static final String SCRATCH = "scratch@" + S;

    private static final String[] USERS = {
        "u0@example.org/a", "u0@example.org/b", "u1@example.org/x", "U1@EXAMPLE.ORG/x",
        "u2@example.net/gc", "u3@example.net/m", "u4@example.org", "example.org",
    };
    private static final String[] BAD_FROMS = {
        "bad user@example.org/x", "@example.org", "u5@/x", S, "room0@" + S + "/x", "a@b@c",
    };
    private static final String[] NICKS = {
        "a", "b", "ann", "Ann", "bob", "x y", "a/b", "~w0", "~w1", "ümlaut", "", "n".repeat(70),
    };
    private static final String[] ROOM_TARGETS = {
        "room0@" + S, "room1@" + S, "room2@" + S, SCRATCH, "Room1@" + S, "ghost@" + S,
    };
    private static final Pattern COUNT = Pattern.compile("\\((\\d+)\\)$");

    /** legacy code → (type, allowed conditions) after XEP-0086 (§14.2). */
    private static final Map<String, Object[]> ERRORS = Map.of(
            "400", new Object[] {Set.of("modify"), Set.of("bad-request", "jid-malformed")},
            "401", new Object[] {Set.of("auth"), Set.of("not-authorized")},
            "403", new Object[] {Set.of("auth"), Set.of("forbidden")},
            "404", new Object[] {Set.of("cancel"), Set.of("item-not-found")},
            "405", new Object[] {Set.of("cancel"), Set.of("not-allowed")},
            "406", new Object[] {Set.of("modify", "cancel"), Set.of("not-acceptable")},
            "409", new Object[] {Set.of("cancel"), Set.of("conflict")},
            "501", new Object[] {Set.of("cancel"), Set.of("feature-not-implemented")},
            "503", new Object[] {Set.of("cancel"), Set.of("service-unavailable")});

    static IntStream seeds() {
        return IntStream.rangeClosed(1, 20);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void invariantsHoldUnderRandomTraffic(int seed) {
        new Run(seed).run();
    }

    /** One seeded run: the harness, the model built from output, the generator. */
    private static final class Run {
        private final Random rnd;
        private final int seed;
        private final Harness h;
        /** The secret an observer must present (only room2 when the rooms are predefined). */
        private final String room2Secret;
        /** On a private service outsiders see no participants, so the observers browse instead. */
        private final boolean privateService;
        /** tracked room → (hash → nick), as announced to the room's observer. */
        private final Map<String, Map<String, String>> members = new LinkedHashMap<>();
        private final Map<String, String> realByHash = new HashMap<>();
        /** untracked room → everybody who ever sent it available presence. */
        private final Map<String, Set<String>> everIn = new HashMap<>();
        private final Map<String, List<String>> pushIds = new HashMap<>();
        private int step;
        private Element input;

        Run(int seed) {
            this.seed = seed;
            this.rnd = new Random(seed);
            this.room2Secret = seed % 5 == 2 ? "pw" : null;
            this.privateService = seed % 5 == 4;
            this.h = new Harness(settings(seed));
        }

        /**
         * The seeds cycle through five services: the §18 defaults; no history and at most five
         * participants per room; predefined tracked rooms (room2 with secret "pw" and privacy) with
         * dynamic rooms disabled; history 2 with nicks of at most three characters; a private
         * service.
         */
        private static ServiceSettings settings(int seed) {
            ServiceSettings d = ServiceSettings.defaults(S);
            return switch (seed % 5) {
                case 1 -> d.withHistorySize(0).withLimits(64, 5);
                case 2 -> d.withDynamicRooms(false).withRooms(List.of(
                        new ServiceSettings.PredefinedRoom("room0", "Zero", null, false, null, null, null),
                        new ServiceSettings.PredefinedRoom("room1", null, null, true, null, null, null),
                        new ServiceSettings.PredefinedRoom("room2", "Two", "pw", true, null, null, null)));
                case 3 -> d.withHistorySize(2).withLimits(3, 0);
                case 4 -> d.withPublicService(false);
                default -> d;
            };
        }

        void run() {
            for (String room : TRACKED) {
                members.put(room, new LinkedHashMap<>());
            }
            for (int k = 0; k < TRACKED.length; k++) {
                String observer = observer(k);
                send(stanza("presence", TRACKED[k], observer));
                Element set = stanza("iq", TRACKED[k], observer).attr("type", "set").attr("id", "w" + k);
                Element q = set.addChild("query", NS_CONFERENCE);
                if (k == 2 && room2Secret != null) {
                    q.addTextChild("secret", room2Secret);
                }
                q.addTextChild("nick", "~w" + k);
                send(set);
                if (!members.get(TRACKED[k]).containsKey(hash(observer))) {
                    fail("observer " + k + " did not see itself enter");
                }
            }
            for (step = 0; step < STEPS; step++) {
                if (rnd.nextInt(100) < 6) {
                    clockJump();
                } else {
                    send(randomStanza());
                }
                checkBrowses();
            }
        }

        // ---- driving and checking ------------------------------------------------------------

        private void send(Element stanza) {
            input = stanza;
            Element pristine = stanza.deepCopy();
            String from = stanza.attr("from");
            String sender = norm(from);
            if (sender != null) {
                realByHash.put(hash(sender), sender);
            }
            Map<String, Map<String, String>> before = snapshot();
            List<Element> out;
            try {
                out = h.in(stanza);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(where() + "handle threw", e);
            }
            check(pristine.equals(stanza), "the core mutated its input");
            for (Element o : out) {
                observe(o);
            }
            checkDropped(out, sender);
            Map<String, Map<String, String>> after = snapshot();
            for (Element o : out) {
                checkAddressed(o);
                checkRecipient(o, sender, reals(before), reals(after));
                checkErrorOutput(o, sender);
                checkNotAnAnswer(o, sender);
                rememberPush(o);
            }
            checkUniqueNicks();
            checkOnlySenderChanged(before, after, sender);
            checkEntrantsWereTold(out, reals(before), reals(after));
            checkBroadcastComplete(out, sender, before, after);
            String room = roomOf(stanza.attr("to"));
            if (sender != null && room != null && !members.containsKey(room) && stanza.name().equals("presence")
                    && stanza.attr("type") == null) {
                everIn.computeIfAbsent(room, k -> new HashSet<>()).add(sender);
            }
        }

        private void clockJump() {
            long jump = rnd.nextInt(3) == 0 ? 370_000 : rnd.nextInt(130_000);
            long end = h.now() + jump;
            List<Element> beats = new ArrayList<>();
            Outbox box = new Outbox() {
                @Override
                public void send(Element stanza) {
                    beats.add(stanza);
                }

                @Override
                public void fanout(Element template, List<Jid> recipients) {
                    beats.add(template);
                }
            };
            input = new Element("heartbeat");
            while (h.now() + 120_000 <= end) {
                h.advance(120_000);
                try {
                    h.service().heartbeat(h.now(), box);
                } catch (RuntimeException e) {
                    throw new AssertionError(where() + "heartbeat threw", e);
                }
            }
            h.advance(end - h.now());
            check(beats.isEmpty(), "the heartbeat sent stanzas (§5.4: nothing): " + beats);
        }

        /** Feeds the observer's pushes into the membership model. */
        private void observe(Element o) {
            for (int k = 0; k < TRACKED.length; k++) {
                // Pushes come from the bare room; iqs relayed from participants come from R/x.
                if (!observer(k).equals(o.attr("to")) || !o.name().equals("iq") || !"set".equals(o.attr("type"))
                        || !TRACKED[k].equals(o.attr("from"))) {
                    continue;
                }
                Element p = o.firstElement();
                check(p != null && NS_BROWSE.equals(p.namespace()), "iq set to an observer that is no push: " + o);
                Map<String, String> m = members.get(TRACKED[k]);
                if (p.name().equals("conference")) {
                    for (Element u : p.elements()) {
                        m.put(hashOf(u.attr("jid"), TRACKED[k], o), u.attr("name"));
                    }
                } else {
                    check(p.name().equals("user"), "unknown push " + o);
                    String hash = hashOf(p.attr("jid"), TRACKED[k], o);
                    if ("remove".equals(p.attr("type"))) {
                        check(m.remove(hash) != null, "remove push for somebody not entered: " + o);
                    } else {
                        String nick = p.attr("name");
                        check(nick != null && !nick.isEmpty(), "push without a nick: " + o);
                        m.put(hash, nick);
                    }
                }
            }
        }

        private String hashOf(String occupant, String room, Element o) {
            check(occupant != null && occupant.startsWith(room + "/"), "occupant JID outside the room: " + o);
            String hash = occupant.substring(room.length() + 1);
            check(realByHash.containsKey(hash), "hash id of nobody who ever sent anything: " + o);
            return hash;
        }

        /** §3 step 0 / DEV-8: stanzas without a usable sender, from our own domain or not for us get nothing. */
        private void checkDropped(List<Element> out, String sender) {
            Jid to = Jid.parse(input.attr("to"));
            boolean unusable = sender == null || Jid.parse(sender).domain().equals(S)
                    || input.attr("to") == null || to != null && !to.domain().equals(S);
            check(!unusable || out.isEmpty(), "answered a stanza that must be dropped: " + out);
        }

        /** Only the sender's own membership can change with its stanza. */
        private void checkOnlySenderChanged(Map<String, Map<String, String>> before,
                                            Map<String, Map<String, String>> after, String sender) {
            for (String room : TRACKED) {
                Set<String> hashes = new HashSet<>(before.get(room).keySet());
                hashes.addAll(after.get(room).keySet());
                for (String hash : hashes) {
                    if (!Objects.equals(before.get(room).get(hash), after.get(room).get(hash))) {
                        check(sender != null && hash.equals(hash(sender)),
                                realByHash.get(hash) + " changed in " + room + " by somebody else's stanza");
                    }
                }
            }
        }

        private void checkAddressed(Element o) {
            check(o.attr("to") != null && o.attr("from") != null, "stanza without to/from: " + o);
            check(Jid.parse(o.attr("to")) != null, "stanza to an invalid JID: " + o);
        }

        /** Room traffic goes to entered participants only, replies go to the sender only. */
        private void checkRecipient(Element o, String sender, Map<String, Set<String>> before,
                                    Map<String, Set<String>> after) {
            String to = norm(o.attr("to"));
            if (to != null && to.equals(sender)) {
                return;
            }
            String invited = inviteTarget();
            if (invited != null && invited.equals(to)) {
                return;
            }
            Jid from = Jid.parse(o.attr("from"));
            check(from != null && from.domain().equals(S) && from.hasNode(),
                    "stanza to a third party not from a room: " + o);
            String room = roomOf(o.attr("from"));
            if (!members.containsKey(room)) {
                check(everIn.getOrDefault(room, Set.of()).contains(to),
                        "untracked room's traffic to somebody who never sent it presence: " + o);
            } else {
                Set<String> ok = new HashSet<>(before.getOrDefault(room, Set.of()));
                ok.addAll(after.getOrDefault(room, Set.of()));
                check(ok.contains(to), "room traffic to somebody not entered: " + o);
            }
        }

        /** Errors go only to the sender, with the DEV-12 shape; only iq errors may be relayed (DEV-18). */
        private void checkErrorOutput(Element o, String sender) {
            if (!"error".equals(o.attr("type"))) {
                return;
            }
            boolean reply = sender != null && sender.equals(norm(o.attr("to")))
                    && o.attr("from").equals(input.attr("to"));
            if (!reply) {
                check(input.name().equals("iq") && "error".equals(input.attr("type")),
                        "error stanza that answers nothing: " + o);
                return;
            }
            check(o.name().equals(input.name()), "error of another kind: " + o);
            for (int i = 0; i < input.attrCount(); i++) {
                String n = input.attrName(i);
                if (!n.equals("to") && !n.equals("from") && !n.equals("type")) {
                    check(input.attrValue(i).equals(o.attr(n)), "attribute " + n + " not kept: " + o);
                }
            }
            List<Element> kids = o.elements();
            check(!kids.isEmpty(), "error without <error>: " + o);
            Element err = kids.get(kids.size() - 1);
            check(err.name().equals("error") && err.namespace() == null && err.attrCount() == 2,
                    "last child is not a plain <error code type>: " + o);
            check(kids.subList(0, kids.size() - 1).equals(input.elements()), "payload not kept: " + o);
            Object[] rule = ERRORS.get(err.attr("code"));
            check(rule != null, "unexpected error code: " + o);
            check(((Set<?>) rule[0]).contains(err.attr("type")), "code/type mismatch: " + o);
            List<Element> inner = err.elements();
            check(!inner.isEmpty() && inner.size() <= 2 && NS_STANZAS.equals(inner.get(0).namespace())
                    && ((Set<?>) rule[1]).contains(inner.get(0).name()), "bad condition: " + o);
            check(inner.size() == 1 || inner.get(1).name().equals("text") && NS_STANZAS.equals(inner.get(1).namespace()),
                    "unexpected element in <error>: " + o);
        }

        /**
         * DEV-8 / §14.1: never answer an error or an iq result. (An iq result to {@code R/x} whose
         * target is the sender itself is relayed back to it, §8.3: that is a relay, not an answer.)
         */
        private void checkNotAnAnswer(Element o, String sender) {
            boolean isError = "error".equals(input.attr("type"));
            boolean isResult = input.name().equals("iq") && "result".equals(input.attr("type"));
            if (!(isError || isResult) || sender == null || !sender.equals(norm(o.attr("to")))
                    || !o.attr("from").equals(input.attr("to"))) {
                return;
            }
            Jid to = Jid.parse(input.attr("to"));
            boolean relayToSelf = isResult && to != null && to.hasResource() && "result".equals(o.attr("type"));
            check(relayToSelf || !("error".equals(o.attr("type")) || "result".equals(o.attr("type"))),
                    "answered an " + input.attr("type") + ": " + o);
        }

        private void checkUniqueNicks() {
            for (Map.Entry<String, Map<String, String>> e : members.entrySet()) {
                Set<String> seen = new HashSet<>();
                for (String nick : e.getValue().values()) {
                    check(seen.add(nick), "two participants of " + e.getKey() + " named '" + nick + "': " + e.getValue());
                }
            }
        }

        /** Somebody who enters a tracked room is told so (result or self-announcement). */
        private void checkEntrantsWereTold(List<Element> out, Map<String, Set<String>> before,
                                           Map<String, Set<String>> after) {
            for (String room : TRACKED) {
                for (String real : after.get(room)) {
                    if (!before.get(room).contains(real)) {
                        boolean told = out.stream().anyMatch(o -> real.equals(norm(o.attr("to")))
                                && o.attr("from").toLowerCase(Locale.ROOT).startsWith(room));
                        check(told, real + " entered " + room + " without being told");
                    }
                }
            }
        }

        /**
         * §8.1: a message from a participant to a tracked room reaches every participant exactly
         * once, as groupchat; the observer (new-style) sees it from the sender's hash id.
         */
        private void checkBroadcastComplete(List<Element> out, String sender, Map<String, Map<String, String>> before,
                                            Map<String, Map<String, String>> after) {
            String room = roomOf(input.attr("to"));
            Jid to = Jid.parse(input.attr("to"));
            if (!input.name().equals("message") || "error".equals(input.attr("type")) || room == null
                    || to.hasResource() || !members.containsKey(room) || inviteTarget() != null
                    || input.child("subject") != null && input.child("subject").text().regionMatches(true, 0, "invite:", 0, 7)) {
                return;
            }
            String hash = sender == null ? null : hash(sender);
            if (hash == null || !before.get(room).containsKey(hash) || !after.get(room).containsKey(hash)) {
                return;
            }
            List<String> got = new ArrayList<>();
            for (Element o : out) {
                if (o.name().equals("message") && room.equals(roomOf(o.attr("from")))) {
                    check("groupchat".equals(o.attr("type")), "broadcast not groupchat: " + o);
                    got.add(norm(o.attr("to")));
                    if (observer(List.of(TRACKED).indexOf(room)).equals(o.attr("to"))) {
                        check((room + "/" + hash).equals(o.attr("from")), "observer's copy not from the hash id: " + o);
                    }
                }
            }
            List<String> expected = new ArrayList<>(reals(after).get(room));
            got.sort(null);
            expected.sort(null);
            check(got.equals(expected), "broadcast reached " + got + ", participants are " + expected);
        }

        /** The spy's room and service browses agree with the observed membership. */
        private void checkBrowses() {
            for (int k = 0; k < TRACKED.length; k++) {
                String room = TRACKED[k];
                Element q = browse(room, privateService ? observer(k) : SPY);
                check(q.name().equals("conference"), "room browse top: " + q);
                Map<String, String> listed = new HashMap<>();
                for (Element u : q.elements()) {
                    if (u.name().equals("user")) {
                        String jid = u.attr("jid");
                        check(jid != null && jid.startsWith(room + "/"), "browse entry outside the room: " + q);
                        check(listed.put(jid.substring(room.length() + 1), u.attr("name")) == null,
                                "listed twice: " + q);
                    }
                }
                check(listed.equals(members.get(room)), "room browse of " + room + " lists " + listed
                        + " but the observer saw " + members.get(room));
                if (privateService) {
                    // §5.5: a private service lists a requester only the rooms it is in.
                    check(roomCounts(browse(S, observer(k))).keySet().equals(Set.of(room)),
                            "private service browse by the observer of " + room);
                    check(roomCounts(browse(room, SPY)).isEmpty() && browse(room, SPY).elements().stream()
                            .noneMatch(e -> e.name().equals("user")), "outsider sees participants of a private room");
                }
            }
            Map<String, Integer> counts = new HashMap<>();
            if (privateService) {
                check(roomCounts(browse(S, SPY)).isEmpty(), "private service lists rooms to an outsider");
                for (int k = 0; k < TRACKED.length; k++) {
                    counts.putAll(roomCounts(browse(S, observer(k))));
                }
            } else {
                counts = roomCounts(browse(S, SPY));
            }
            for (String room : TRACKED) {
                check(Integer.valueOf(members.get(room).size()).equals(counts.get(room)),
                        "service browse count for " + room + " is " + counts.get(room) + ", observed "
                                + members.get(room).size());
            }
        }

        /** room JID → the {@code (N)} of its service browse entry. */
        private Map<String, Integer> roomCounts(Element top) {
            Map<String, Integer> counts = new HashMap<>();
            for (Element c : top.elements()) {
                if (c.name().equals("conference")) {
                    Matcher m = COUNT.matcher(c.attr("name") == null ? "" : c.attr("name"));
                    check(m.find(), "room entry without a count: " + c);
                    check(counts.put(c.attr("jid"), Integer.parseInt(m.group(1))) == null, "room listed twice: " + top);
                }
            }
            return counts;
        }

        private Element browse(String target, String requester) {
            Element get = stanza("iq", target, requester).attr("type", "get").attr("id", "browse");
            get.addChild("query", NS_BROWSE);
            input = get;
            List<Element> out;
            try {
                out = h.in(get);
            } catch (RuntimeException e) {
                throw new AssertionError(where() + "browse threw", e);
            }
            check(out.size() == 1 && "result".equals(out.get(0).attr("type")) && requester.equals(out.get(0).attr("to"))
                    && out.get(0).firstElement() != null, "browse of " + target + " answered " + out);
            return out.get(0).firstElement();
        }

        private void rememberPush(Element o) {
            if (o.name().equals("iq") && "set".equals(o.attr("type")) && o.attr("id") != null) {
                List<String> ids = pushIds.computeIfAbsent(norm(o.attr("to")), k -> new ArrayList<>());
                ids.add(o.attr("id"));
                if (ids.size() > 8) {
                    ids.remove(0);
                }
            }
        }

        private Map<String, Map<String, String>> snapshot() {
            Map<String, Map<String, String>> r = new HashMap<>();
            members.forEach((room, m) -> r.put(room, new HashMap<>(m)));
            return r;
        }

        private Map<String, Set<String>> reals(Map<String, Map<String, String>> snap) {
            Map<String, Set<String>> r = new HashMap<>();
            snap.forEach((room, m) -> {
                Set<String> reals = new HashSet<>();
                m.keySet().forEach(hash -> reals.add(realByHash.get(hash)));
                r.put(room, reals);
            });
            return r;
        }

        private String inviteTarget() {
            Element subject = input.name().equals("message") ? input.child("subject") : null;
            if (subject == null || !subject.text().toLowerCase(Locale.ROOT).startsWith("invite:")) {
                return null;
            }
            return norm(subject.text().substring(7));
        }

        private void check(boolean ok, String what) {
            if (!ok) {
                fail(where() + what);
            }
        }

        private String where() {
            return "seed " + seed + ", step " + step + ", input " + input + ":\n  ";
        }

        // ---- the generator -----------------------------------------------------------------

        private Element randomStanza() {
            int dice = rnd.nextInt(100);
            String from = rnd.nextInt(40) == 0 ? pick(BAD_FROMS) : pick(USERS);
            String room = pick(ROOM_TARGETS);
            if (dice < 13) {
                Element p = stanza("presence", room, from);
                decoratePresence(p);
                return p;
            } else if (dice < 28) {
                Element p = stanza("presence", room + "/" + pick(NICKS), from);
                decoratePresence(p);
                if (rnd.nextInt(3) == 0) {
                    Element x = p.addChild("x", NS_MUC);
                    if (rnd.nextBoolean()) {
                        x.addTextChild("password", rnd.nextBoolean() ? "pw" : "nope");
                    }
                }
                return p;
            } else if (dice < 41) {
                return conferenceSet(room, from);
            } else if (dice < 46) {
                return query(randomTarget(room), from);
            } else if (dice < 59) {
                return message(room, from);
            } else if (dice < 66) {
                return rnd.nextBoolean() ? message(randomTarget(room), from) : query(randomTarget(room), from);
            } else if (dice < 74) {
                Element p = stanza("presence", rnd.nextBoolean() ? room : randomTarget(room), from)
                        .attr("type", "unavailable");
                if (rnd.nextBoolean()) {
                    p.addTextChild("status", "Disconnected");
                }
                return p;
            } else if (dice < 80) {
                return errorStanza(room, from);
            } else if (dice < 83) {
                return stanza("presence", rnd.nextBoolean() ? room : randomTarget(room), from)
                        .attr("type", pick(new String[] {"probe", "subscribe", "unsubscribed", "invisible"}));
            } else if (dice < 86) {
                List<String> ids = pushIds.getOrDefault(norm(from), List.of());
                return stanza("iq", rnd.nextBoolean() ? room : randomTarget(room), from).attr("type", "result")
                        .attr("id", ids.isEmpty() || rnd.nextBoolean() ? "r" + step : pick(ids));
            } else if (dice < 93) {
                return malformed(room, from);
            } else {
                return serviceLevel(from);
            }
        }

        private void decoratePresence(Element p) {
            if (rnd.nextInt(3) == 0) {
                p.addTextChild("show", pick(new String[] {"away", "chat", "dnd", "xa"}));
            }
            if (rnd.nextInt(4) == 0) {
                p.addTextChild("status", "s" + rnd.nextInt(5));
            }
        }

        private Element conferenceSet(String room, String from) {
            Element iq = stanza("iq", room, from).attr("type", "set").attr("id", "c" + step);
            Element q = iq.addChild(rnd.nextInt(5) == 0 ? "enter" : "query", NS_CONFERENCE);
            if (rnd.nextInt(4) == 0) {
                q.addTextChild("secret", rnd.nextBoolean() ? "pw" : "");
            }
            if (rnd.nextInt(6) == 0) {
                q.addTextChild("name", "Name" + rnd.nextInt(3));
            }
            int nicks = rnd.nextInt(4);
            for (int i = 0; i < nicks; i++) {
                q.addTextChild("nick", pick(NICKS));
            }
            if (rnd.nextInt(4) == 0) {
                q.addChild("privacy", null);
            }
            return iq;
        }

        private Element query(String to, String from) {
            String[] namespaces = {NS_CONFERENCE, NS_BROWSE, "jabber:iq:version", "jabber:iq:last",
                "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
                "http://jabber.org/protocol/muc#owner", "jabber:iq:register"};
            Element iq = stanza("iq", to, from).attr("type", rnd.nextInt(5) == 0 ? "set" : "get").attr("id", "q" + step);
            if (rnd.nextInt(6) == 0) {
                iq.addChild("ping", "urn:xmpp:ping");
            } else if (rnd.nextInt(10) != 0) {
                iq.addChild("query", pick(namespaces));
            }
            return iq;
        }

        private Element message(String to, String from) {
            Element m = stanza("message", to, from);
            String type = pick(new String[] {null, "groupchat", "chat", "normal", "headline"});
            if (type != null) {
                m.attr("type", type);
            }
            if (rnd.nextInt(8) == 0) {
                m.addTextChild("subject", rnd.nextBoolean() ? "topic" + rnd.nextInt(3)
                        : "invite:" + pick(new String[] {"friend@example.org", "", "bad jid@x", "Friend@Example.ORG/r"}));
            }
            m.addTextChild("body", "b" + step);
            if (rnd.nextInt(10) == 0) {
                m.addChild("x", "jabber:x:conference").attr("jid", "room1@" + S);
            }
            return m;
        }

        private Element errorStanza(String room, String from) {
            String kind = pick(new String[] {"message", "presence", "iq"});
            Element e = stanza(kind, rnd.nextBoolean() ? room : randomTarget(room), from).attr("type", "error");
            if (kind.equals("iq")) {
                List<String> ids = pushIds.getOrDefault(norm(from), List.of());
                e.attr("id", ids.isEmpty() || rnd.nextBoolean() ? "e" + step : pick(ids));
            } else {
                e.addTextChild("body", "bounced");
            }
            Element err = e.addChild("error", null).attr("code", "503");
            if (rnd.nextBoolean()) {
                err.attr("type", "cancel").addChild("service-unavailable", NS_STANZAS);
            }
            return e;
        }

        private Element malformed(String room, String from) {
            switch (rnd.nextInt(8)) {
                case 0:
                    return new Element("message").attr("to", room).addTextChild("body", "no from");
                case 1:
                    return new Element("presence").attr("from", from);
                case 2:
                    return stanza("message", "someone@elsewhere.example/x", from).addTextChild("body", "x");
                case 3:
                    return stanza("message", "bad room@" + S, from).addTextChild("body", "x");
                case 4:
                    return stanza("foo", room, from);
                case 5:
                    return stanza("iq", room, from).attr("id", "notype").add(new Element("query", NS_CONFERENCE));
                case 6:
                    return stanza("iq", room, from).attr("type", "get").add(new Element("query", NS_BROWSE));
                default:
                    return stanza("message", room, "room0@" + S + "/" + hash(pick(USERS)))
                            .attr("type", "error").addTextChild("body", "router bounce");
            }
        }

        private Element serviceLevel(String from) {
            switch (rnd.nextInt(4)) {
                case 0:
                    return stanza("message", S, from).addTextChild("body", "hello service");
                case 1:
                    return stanza("presence", S, from);
                default: {
                    Element iq = stanza("iq", S, from).attr("type", rnd.nextInt(4) == 0 ? "set" : "get")
                            .attr("id", "s" + step);
                    iq.addChild("query", pick(new String[] {NS_BROWSE, NS_CONFERENCE, "jabber:iq:version",
                        "jabber:iq:time", "jabber:iq:last", "http://jabber.org/protocol/disco#info",
                        "http://jabber.org/protocol/disco#items"}));
                    return iq;
                }
            }
        }

        /** {@code room/x} with x a nick or the hash id of a pool user. */
        private String randomTarget(String room) {
            return room + "/" + (rnd.nextBoolean() ? pick(NICKS) : hash(norm(pick(USERS))));
        }

        private <T> T pick(T[] options) {
            return options[rnd.nextInt(options.length)];
        }

        private String pick(List<String> options) {
            return options.get(rnd.nextInt(options.size()));
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static String observer(int k) {
        return "watch" + k + "@example.org/w";
    }

    private static Element stanza(String name, String to, String from) {
        Element e = new Element(name);
        if (to != null && !to.isEmpty()) {
            e.attr("to", to);
        }
        if (from != null && !from.isEmpty()) {
            e.attr("from", from);
        }
        return e;
    }

    /** The room key (§1.3) of an address in our domain, or {@code null}. */
    private static String roomOf(String address) {
        Jid j = Jid.parse(address);
        return j == null || !j.hasNode() || !j.domain().equals(S) ? null : j.node().toLowerCase(Locale.ROOT) + "@" + S;
    }

    /** The normalised form the core keys users by (§1.3), or {@code null} when unparseable. */
    private static String norm(String jid) {
        Jid j = Jid.parse(jid);
        return j == null ? null : j.toString();
    }

    private static String hash(String normalisedJid) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(normalisedJid.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(40);
            for (byte b : d) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
