package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.testkit.Harness.A;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.palaver.app.Version;
import org.palaver.core.ConferenceService;
import org.palaver.core.RoomListing;
import org.palaver.core.RoomState;
import org.palaver.testkit.Harness;
import org.palaver.testkit.ReleaseJar;
import org.palaver.testkit.Releases;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlWriter;

/**
 * The other direction of {@link GoldenFilesTest}: the previous release's own classes (its jar,
 * built from its recorded commit by {@link ReleaseJar}, loaded apart from this build's) read what
 * this build writes while the cluster speaks its protocol: the room state (1.2, with XEP-0045
 * moderation state in it) and a room listing (format 2, hidden). What the old node cannot keep is
 * lost as docs/compatibility.md ("What a mixed cluster loses") and decision 50 say, and what it
 * writes back is read here.
 */
class PreviousReleaseReadsIT {
    private static final String OWN = "own@" + Harness.S;
    private static final String ERIN = Scenes.E;
    private static URLClassLoader old;

    @BeforeAll
    static void loadThePreviousRelease() throws Exception {
        Releases.Release previous = Releases.recorded().newestOlderThan(Version.current()).orElseThrow(
                () -> new AssertionError("RELEASES has no release older than " + Version.current()));
        old = new URLClassLoader(new URL[] {ReleaseJar.of(previous).toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
    }

    @AfterAll
    static void close() throws Exception {
        old.close();
    }

    /** The golden room with a ban (Erin), a description and hidden, as its owner Alice set them. */
    private static Harness moderatedRoom() {
        Harness h = Scenes.fullRoom(OWN);
        h.given("<iq type='set' id='b' to='" + OWN + "' from='" + A + "'><query xmlns='"
                + "http://jabber.org/protocol/muc#admin'><item jid='erin@example.org' affiliation='outcast'>"
                + "<reason>spam</reason></item></query></iq>");
        h.given("<iq type='set' id='f' to='" + OWN + "' from='" + A + "'><query xmlns='"
                + "http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='muc#roomconfig_publicroom'><value>0</value></field>"
                + "<field var='muc#roomconfig_roomdesc'><value>kept here</value></field></x></query></iq>");
        return h;
    }

    private static String erinJoins(String resource) {
        return "<presence to='" + OWN + "/erin' from='erin@example.org/" + resource + "'><x xmlns='"
                + Scenes.NS_MUC + "'><password>pw</password></x></presence>";
    }

    @Test
    void theOldCoreReadsThisBuildsRoomStateAndWhatItWritesBackIsReadHere() throws Exception {
        Harness h = moderatedRoom();
        assertEquals("error", h.in(erinJoins("pad")).get(0).attr("type"), "banned here");
        byte[] bytes = h.service().exportRoom(Jid.parse(OWN)).bytes();

        OldCore core = new OldCore(h.now());
        core.importRoom(bytes);
        assertEquals(4, core.participantCount(), "alice, dave, bob, carol entered");
        String join = String.join("\n", core.handle(erinJoins("pad")));
        assertTrue(join.contains("<body>one</body>") && join.contains("<body>two</body>"), "the history: " + join);
        assertTrue(join.contains("<subject>Topic!</subject>"), "the topic: " + join);
        assertTrue(join.contains("<status>here</status>"), "carol's cached presence: " + join);
        assertTrue(join.contains("<status code='110'/>"), "the ban is lost on a 0.1.0 node (decision 50): " + join);
        String items = String.join("\n", core.handle("<iq type='get' id='i' to='" + Harness.S + "' from='"
                + ERIN + "'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>"));
        assertTrue(items.contains("jid='" + OWN + "'"), "so is hidden: " + items);

        // the old node hands the room on in its own form: this build reads it, without the moderation state
        Harness back = new Harness(new ConferenceService(Scenes.settings(), Harness.T0), h.now());
        back.service().importRoom(RoomState.decode(core.exportRoom(OWN)), h.now());
        assertEquals(5, back.service().participantCount(), "erin came in on the old node");
        List<Element> toPhone = Harness.to(back.in(erinJoins("phone").replace("/erin'", "/erin2'")),
                "erin@example.org/phone");
        assertTrue(toPhone.size() > 1 && toPhone.stream().noneMatch(e -> "error".equals(e.attr("type"))),
                "no longer banned: " + toPhone);
        String listed = XmlWriter.toXml(back.in("<iq type='get' id='i' to='" + Harness.S + "' from='" + ERIN
                + "'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>").get(0));
        assertTrue(listed.contains("jid='" + OWN + "'"), "no longer hidden: " + listed);
    }

    @Test
    void theOldDirectoryReadsAListingOfFormat2() throws Exception {
        RoomListing hidden = new RoomListing(Jid.parse(OWN), "Own", 3, false, 42L, Set.of(Jid.parse(A)), true);
        Class<?> codec = old.loadClass("org.palaver.cluster.ListingCodec");
        Method decode = codec.getDeclaredMethod("decode", byte[].class);
        decode.setAccessible(true);
        Object listing = decode.invoke(null, (Object) ListingCodec.encode(hidden));
        assertEquals(OWN, call(listing, "room").toString());
        assertEquals("Own", call(listing, "displayName"));
        assertEquals(3, call(listing, "participants"));
        assertEquals(false, call(listing, "predefined"));
        assertEquals(42L, call(listing, "createdMillis"));
        assertEquals("[" + A + "]", call(listing, "registered").toString());
    }

    private static Object call(Object target, String method, Object... args) throws Exception {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw new AssertionError("the previous release's " + method + " failed", e.getCause());
                }
            }
        }
        throw new NoSuchMethodException(target.getClass() + "." + method);
    }

    /** A core of the previous release, driven through reflection with its own classes. */
    private static final class OldCore {
        private final Object service;
        private final long now;
        private final Object reader;
        private final Class<?> outbox;
        private final Method toXml;
        private final Class<?> jid;

        OldCore(long now) throws Exception {
            this.now = now;
            Class<?> settings = old.loadClass("org.palaver.core.ServiceSettings");
            Object defaults = settings.getMethod("defaults", String.class).invoke(null, Harness.S);
            service = old.loadClass("org.palaver.core.ConferenceService").getConstructor(settings, long.class)
                    .newInstance(defaults, Harness.T0);
            reader = old.loadClass("org.palaver.xml.ElementReader").getMethod("unbounded").invoke(null);
            outbox = old.loadClass("org.palaver.core.Outbox");
            toXml = old.loadClass("org.palaver.xml.XmlWriter").getMethod("toXml", old.loadClass("org.palaver.xml.Element"));
            jid = old.loadClass("org.palaver.xml.Jid");
        }

        void importRoom(byte[] bytes) throws Exception {
            Object state = old.loadClass("org.palaver.core.RoomState").getMethod("decode", byte[].class)
                    .invoke(null, (Object) bytes);
            call(service, "importRoom", state, now);
        }

        byte[] exportRoom(String room) throws Exception {
            Object key = jid.getMethod("parse", String.class).invoke(null, room);
            return (byte[]) call(call(service, "exportRoom", key), "bytes");
        }

        int participantCount() throws Exception {
            return (int) call(service, "participantCount");
        }

        /** The stanzas the old core answers {@code xml} with, as XML text (a fan-out once per recipient). */
        List<String> handle(String xml) throws Exception {
            List<String> out = new ArrayList<>();
            Object sink = Proxy.newProxyInstance(old, new Class<?>[] {outbox}, (proxy, m, args) -> {
                switch (m.getName()) {
                    case "send" -> out.add((String) toXml.invoke(null, args[0]));
                    case "fanout" -> {
                        for (Object to : (List<?>) args[1]) {
                            out.add("to " + to + ": " + toXml.invoke(null, args[0]));
                        }
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                }
                return null;
            });
            Object stanza = call(reader, "parse", xml);
            call(service, "handle", stanza, now, sink);
            return out;
        }
    }
}
