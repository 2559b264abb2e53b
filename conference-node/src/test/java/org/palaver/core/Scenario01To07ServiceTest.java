package org.palaver.core;

import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.aliceJoins;
import static org.palaver.testkit.Scenes.bobJoins;
import static org.palaver.testkit.Scenes.err;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;
import org.palaver.testkit.TestXml;

/** Spec §18.2: the service level (§4). */
class Scenario01To07ServiceTest {
    /** DEV-16: the protocols listed on the service's browse top element. */
    static final String SERVICE_NS = "<ns>jabber:iq:conference</ns><ns>jabber:iq:browse</ns>"
            + "<ns>jabber:iq:version</ns><ns>jabber:iq:time</ns><ns>jabber:iq:last</ns><ns>vcard-temp</ns>";

    @Test
    void s01_serviceBrowsePublic() {
        Harness h = Scenes.harness();
        aliceJoins(h);
        bobJoins(h);
        assertOut(h.in("<iq type='get' id='b1' to='" + S + "' from='" + D + "'><query xmlns='jabber:iq:browse'/></iq>"),
                "<iq type='result' id='b1' from='" + S + "' to='" + D + "'>"
                        + "<conference xmlns='jabber:iq:browse' type='public' name='Public Chatrooms'>" + SERVICE_NS
                        + "<conference type='public' jid='lounge@" + S + "' name='The Lounge (2)'/>"
                        + "<conference type='public' jid='help@" + S + "' name='Assistance Zone (0)'/>"
                        + "</conference></iq>");
    }

    @Test
    void s02_serviceBrowsePrivate() {
        // Private service: predefined rooms are not loaded; lounge and secret2 are dynamic.
        Harness h = new Harness(Scenes.settings().withPublicService(false));
        h.given("<presence to='lounge@" + S + "' from='" + A + "'/>");
        h.given("<presence to='secret2@" + S + "' from='" + B + "'/>");
        assertOut(h.in("<iq type='get' id='b2' to='" + S + "' from='" + A + "'><query xmlns='jabber:iq:browse'/></iq>"),
                "<iq type='result' id='b2' from='" + S + "' to='" + A + "'>"
                        + "<conference xmlns='jabber:iq:browse' type='private' name='Public Chatrooms'>" + SERVICE_NS
                        + "<conference type='private' jid='lounge@" + S + "' name='lounge (0)'/>"
                        + "</conference></iq>");
    }

    @Test
    void s03_serviceInfoIqs() {
        ServiceSettings settings = ServiceSettings.defaults(S)
                .withIdentity("Public Chatrooms", TestXml.parse(
                        "<vCard xmlns='vcard-temp'><FN>Public Chatrooms</FN><URL>http://example.org/</URL></vCard>"))
                .withVersion("palaver", "1.2", "Linux 6.1");
        Harness h = new Harness(settings);
        assertOut(h.in("<iq type='get' id='v1' to='" + S + "' from='" + A + "'><query xmlns='jabber:iq:version'/></iq>"),
                "<iq type='result' id='v1' from='" + S + "' to='" + A + "'><query xmlns='jabber:iq:version'>"
                        + "<name>palaver</name><version>1.2</version><os>Linux 6.1</os></query></iq>");
        assertOut(h.in("<iq type='get' id='t1' to='" + S + "' from='" + A + "'><query xmlns='jabber:iq:time'/></iq>"),
                "<iq type='result' id='t1' from='" + S + "' to='" + A + "'><query xmlns='jabber:iq:time'>"
                        + "<utc>20260102T03:04:05</utc><tz>UTC</tz><display>Fri Jan  2 03:04:05 2026</display></query></iq>");
        h.advance(86_400_000);
        assertOut(h.in("<iq type='get' id='l1' to='" + S + "' from='" + A + "'><query xmlns='jabber:iq:last'/></iq>"),
                "<iq type='result' id='l1' from='" + S + "' to='" + A + "'><query xmlns='jabber:iq:last' seconds='86400'/></iq>");
        assertOut(h.in("<iq type='get' id='vc1' to='" + S + "' from='" + A + "'><vCard xmlns='vcard-temp'/></iq>"),
                "<iq type='result' id='vc1' from='" + S + "' to='" + A + "'><vCard xmlns='vcard-temp'>"
                        + "<FN>Public Chatrooms</FN><URL>http://example.org/</URL></vCard></iq>");
    }

    @Test
    void s04_serviceSetIsNotAllowed() {
        Harness h = new Harness();
        assertOut(h.in("<iq type='set' id='s1' to='" + S + "' from='" + A + "'><query xmlns='jabber:iq:conference'/></iq>"),
                "<iq type='error' id='s1' from='" + S + "' to='" + A + "'><query xmlns='jabber:iq:conference'/>"
                        + err(405) + "</iq>");
    }

    @Test
    void s05_serviceUnknownNamespaceAndConferenceGet() {
        Harness h = new Harness();
        assertOut(h.in("<iq type='get' id='c1' to='" + S + "' from='" + A + "'><query xmlns='jabber:iq:conference'/></iq>"),
                "<iq type='error' id='c1' from='" + S + "' to='" + A + "'><query xmlns='jabber:iq:conference'/>"
                        + err(501) + "</iq>");
        assertOut(h.in("<iq type='get' id='r1' to='" + S + "' from='" + A + "'><query xmlns='jabber:iq:register'/></iq>"),
                "<iq type='error' id='r1' from='" + S + "' to='" + A + "'><query xmlns='jabber:iq:register'/>"
                        + err(501) + "</iq>");
        // no payload at all falls into "anything else" too (§4)
        assertOut(h.in("<iq type='get' id='e1' to='" + S + "' from='" + A + "'/>"),
                "<iq type='error' id='e1' from='" + S + "' to='" + A + "'>" + err(501) + "</iq>");
    }

    @Test
    void s06_nonIqToServiceIsDropped() {
        Harness h = new Harness();
        assertOut(h.in("<message to='" + S + "' from='" + A + "'><body>hello?</body></message>"));
        assertOut(h.in("<presence to='" + S + "' from='" + A + "'/>"));
    }

    @Test
    void s07_resultToServiceIsDropped() {
        Harness h = new Harness();
        assertOut(h.in("<iq type='result' id='x' to='" + S + "' from='" + A + "'/>"));
        assertOut(h.in("<iq type='error' id='y' to='" + S + "' from='" + A + "'>" + err(404) + "</iq>"));
    }
}
