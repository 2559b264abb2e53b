package org.palaver.core;

import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.HB;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.aliceBobCarol;
import static org.palaver.testkit.Scenes.groupchat;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.xml.Element;

/** Spec §18.1, the transport scenarios that concern the core (T4–T7). */
class ScenarioT4ToT7TransportTest {
    static final String DISCO_INFO_RESULT = "<query xmlns='http://jabber.org/protocol/disco#info'>"
            + "<identity category='conference' type='text' name='Public Chatrooms'/>"
            + "<feature var='http://jabber.org/protocol/disco#info'/>"
            + "<feature var='http://jabber.org/protocol/disco#items'/>"
            + "<feature var='http://jabber.org/protocol/muc'/>"
            + "<feature var='http://jabber.org/protocol/rsm'/>"
            + "<feature var='jabber:iq:conference'/>"
            + "<feature var='jabber:iq:browse'/>"
            + "<feature var='jabber:iq:version'/>"
            + "<feature var='jabber:iq:time'/>"
            + "<feature var='jabber:iq:last'/>"
            + "<feature var='vcard-temp'/>"
            + "</query>";

    @Test
    void t4_inboundNamespaceJabberClientIsAccepted() {
        Harness h = aliceBobCarol();
        // As the stream parser may hand it over: the stanza itself qualified by jabber:client.
        Element message = new Element("message", "jabber:client").attr("type", "groupchat").attr("to", R)
                .attr("from", B);
        message.add(new Element("body").addText("hi"));
        assertOut(h.in(message),
                groupchat(A, R + "/" + HB, "<body>hi</body>"),
                groupchat(B, R + "/" + HB, "<body>hi</body>"),
                groupchat(Harness.C, R + "/bob", "<body>hi</body>"));
    }

    @Test
    void t5_routerBounceIsDropped() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<message type='error' from='" + R + "/" + HB + "' to='zed@unreachable.example'>"
                + "<body>x</body><error code='503' type='cancel'>"
                + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>"));
        // no state change: Bob is still in and nobody was removed
        assertOut(h.in("<message type='groupchat' to='" + R + "' from='" + B + "'><body>still</body></message>"),
                groupchat(A, R + "/" + HB, "<body>still</body>"),
                groupchat(B, R + "/" + HB, "<body>still</body>"),
                groupchat(Harness.C, R + "/bob", "<body>still</body>"));
    }

    @Test
    void t6_stanzaWithoutFromIsDropped() {
        Harness h = aliceBobCarol();
        assertOut(h.in("<message to='" + R + "'><body>x</body></message>"));
        assertOut(h.in("<iq type='get' id='q' to='" + S + "'><query xmlns='jabber:iq:version'/></iq>"));
        assertOut(h.in("<presence to='new@" + S + "/x'/>"));
    }

    @Test
    void t7_smDiscoveryProbe() {
        Harness h = new Harness();
        assertOut(h.in("<iq type='get' id='p1' from='example.org' to='" + S + "'>"
                        + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
                "<iq type='result' id='p1' to='example.org' from='" + S + "'>" + DISCO_INFO_RESULT + "</iq>");
        // jabberd2 2.7 sends its probe from its internal name 'sm'
        assertOut(h.in("<iq type='get' id='p2' from='sm' to='" + S + "'>"
                        + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
                "<iq type='result' id='p2' to='sm' from='" + S + "'>" + DISCO_INFO_RESULT + "</iq>");
    }
}
