package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.WireCore;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * Issue 10, defect 1: a prefixed element bound to the stanza namespace came back without its
 * declaration, which makes the router drop the whole stream; kept in history, it broke every later
 * join. Every output here is read back by a strict namespace-aware parser ({@link WireCore}).
 */
class WellFormedOutputTest {
    private static final String S = Harness.S;
    private static final String ROOM = "pfx@" + S;
    private static final String M = "m@localhost/x";
    private static final String N = "n@localhost/y";

    private final WireCore wire = new WireCore(new ConferenceService(ServiceSettings.defaults(S), Harness.T0),
            Harness.T0);

    @Test
    void prefixedBodyBoundToTheStanzaNamespaceIsStoredCanonicallyAndReplayedWellFormed() {
        wire.in("<presence from='" + M + "' to='" + ROOM + "/m'/>");
        List<Element> out = wire.in("<message from='" + M + "' to='" + ROOM + "' type='groupchat'>"
                + "<x:body xmlns:x='jabber:component:accept'>hi</x:body></message>");
        assertEquals(1, out.size());
        assertEquals("hi", out.get(0).childText("body"));
        assertNull(out.get(0).child("body").namespace(), "the body is the stanza namespace's body");

        List<Element> join = wire.in("<presence from='" + N + "' to='" + ROOM + "/n'/>");
        assertTrue(join.stream().anyMatch(e -> "hi".equals(e.childText("body"))), "history replayed: " + join);
    }

    @Test
    void theCanonicalFormSurvivesARoomMove() {
        wire.in("<presence from='" + M + "' to='" + ROOM + "/m'><s:status xmlns:s='jabber:component:accept'>"
                + "away</s:status></presence>");
        wire.in("<message from='" + M + "' to='" + ROOM + "' type='groupchat'>"
                + "<x:body xmlns:x='jabber:component:accept'>hi</x:body><x:subject xmlns:x='jabber:client'>t</x:subject>"
                + "</message>");
        ConferenceService service = wire.service();
        RoomState state = service.exportRoom(Jid.parse(ROOM));
        service.importRoom(RoomState.decode(state.encoded()), Harness.T0);

        List<Element> join = wire.in("<presence from='" + N + "' to='" + ROOM + "/n'/>");
        assertTrue(join.stream().anyMatch(e -> "hi".equals(e.childText("body"))), "history replayed: " + join);
        assertTrue(join.stream().anyMatch(e -> "away".equals(e.childText("status"))), "presence replayed: " + join);
    }

    @Test
    void prefixedIqInTheStanzaNamespaceIsAnIq() {
        List<Element> out = wire.in("<j:iq xmlns:j='jabber:component:accept' type='get' id='pq' from='" + M
                + "' to='" + S + "'><q:query xmlns:q='http://jabber.org/protocol/disco#info'/></j:iq>");
        assertEquals(1, out.size());
        Element reply = out.get(0);
        assertEquals("iq", reply.name());
        assertEquals("result", reply.attr("type"));
        assertEquals("pq", reply.attr("id"));
        assertEquals("http://jabber.org/protocol/disco#info", reply.child("query").namespace());
    }

    @Test
    void prefixGamesInPayloadsComeBackWellFormed() {
        wire.in("<presence from='" + M + "' to='" + ROOM + "/m'/>");
        List<Element> out = wire.in("<message from='" + M + "' to='" + ROOM + "' type='groupchat'>"
                + "<body>b</body><a:x xmlns:a='urn:a' xmlns:b='urn:b' b:flag='1'><a:y xmlns:a='urn:c' a:z='2'/>"
                + "<y xmlns='jabber:component:accept'/><b:w/></a:x></message>");
        assertEquals(1, out.size());
        Element x = out.get(0).child("x");
        assertEquals("urn:a", x.namespace());
        assertEquals("1", x.attr("b:flag"));
        assertEquals("urn:c", x.child("y").namespace());
        assertEquals("urn:b", x.child("w").namespace());
    }

    @Test
    void stanzasInAForeignDefaultNamespaceAreRefused() {
        wire.in("<presence from='" + M + "' to='" + ROOM + "/m'/>");
        List<Element> out = wire.in("<message xmlns='urn:not-a-stanza' from='" + M + "' to='" + ROOM
                + "' type='groupchat' id='f1'><body>x</body></message>");
        assertEquals(1, out.size(), "an error, nothing broadcast: " + out);
        Element error = out.get(0);
        assertEquals("error", error.attr("type"));
        assertEquals(M, error.attr("to"));
        assertEquals("f1", error.attr("id"));
        assertEquals("400", error.child("error").attr("code"));
        assertNull(error.child("body"));
    }

    /** Issue 10: {@code room name@...} got 400 while {@code @@...} was dropped; both are answered now. */
    @Test
    void everyMalformedToInOurDomainIsAnswered() {
        for (String to : new String[] {"@@" + S, "room name@" + S, "a@b@" + S + "/r"}) {
            List<Element> out = wire.in("<message from='" + M + "' to='" + to.replace("'", "&apos;") + "' id='t'/>");
            assertEquals(1, out.size(), to + ": " + out);
            assertEquals("400", out.get(0).child("error").attr("code"), to);
        }
    }

    /** Issue 10, defect 5: a join through an overlong UTF-8 form of '/' ends the stream, nobody joins. */
    @Test
    void anOverlongSlashDoesNotJoin() {
        byte[] join = ("<presence from='" + M + "' to='lounge@" + S + "\u00C0ovl'/>").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] overlong = new byte[join.length + 1];
        int at = new String(join, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf('\u00C0');
        System.arraycopy(join, 0, overlong, 0, at);
        overlong[at] = (byte) 0xC0;
        overlong[at + 1] = (byte) 0xAF;
        System.arraycopy(join, at + 1, overlong, at + 2, join.length - at - 1);
        assertEquals(List.of(), wire.in(overlong));
        assertEquals("not-well-formed", wire.lastError().condition());
        assertEquals(0, wire.service().participantCount());
    }
}
