package org.palaver.core;

import static org.palaver.testkit.Harness.B;
import static org.palaver.testkit.Harness.C;
import static org.palaver.testkit.Harness.D;
import static org.palaver.testkit.Harness.HB;
import static org.palaver.testkit.Harness.HC;
import static org.palaver.testkit.Harness.R;
import static org.palaver.testkit.Harness.S;
import static org.palaver.testkit.Harness.assertOut;
import static org.palaver.testkit.Scenes.bobJoins;
import static org.palaver.testkit.Scenes.carolJoinsLegacy;
import static org.palaver.testkit.Scenes.err;
import static org.palaver.testkit.Scenes.register;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;

/** Spec §18.3: discovery and requirements. */
class Scenario08To13DiscoveryTest {
    private static final String BROWSE_GET = "<query xmlns='jabber:iq:browse'/>";
    private static final String CONF_GET = "<query xmlns='jabber:iq:conference'/>";

    @Test
    void s08_roomBrowseByOutsiderPublic() {
        Harness h = Scenes.harness();
        bobJoins(h);
        carolJoinsLegacy(h);
        assertOut(h.in("<iq type='get' id='b2' to='" + R + "' from='" + D + "'>" + BROWSE_GET + "</iq>"),
                "<iq type='result' id='b2' from='" + R + "' to='" + D + "'>"
                        + "<conference xmlns='jabber:iq:browse' name='The Lounge' type='public'>"
                        + "<ns>jabber:iq:conference</ns>"
                        + "<user name='bob' jid='" + R + "/" + HB + "'/>"
                        + "<user name='carol' jid='" + R + "/" + HC + "'/>"
                        + "</conference></iq>");
    }

    @Test
    void s09_roomBrowseByOutsiderPrivate() {
        // A private service loads no predefined rooms: Bob creates the lounge and names it.
        Harness h = new Harness(Scenes.settings().withPublicService(false));
        register(h, R, B);
        h.given("<iq type='set' id='j' to='" + R + "' from='" + B + "'><query xmlns='jabber:iq:conference'>"
                + "<name>The Lounge</name><nick>bob</nick></query></iq>");
        carolJoinsLegacy(h);
        assertOut(h.in("<iq type='get' id='b3' to='" + R + "' from='" + D + "'>" + BROWSE_GET + "</iq>"),
                "<iq type='result' id='b3' from='" + R + "' to='" + D + "'>"
                        + "<conference xmlns='jabber:iq:browse' name='The Lounge' type='private'>"
                        + "<ns>jabber:iq:conference</ns></conference></iq>");
    }

    @Test
    void s10_requirementsGet() {
        Harness h = new Harness(Scenes.settings(10, "foo")); // lounge: named, secret, privacy allowed
        assertOut(h.in("<iq type='get' id='c1' to='" + R + "' from='" + D + "'>" + CONF_GET + "</iq>"),
                "<iq type='result' id='c1' from='" + R + "' to='" + D + "'><query xmlns='jabber:iq:conference'>"
                        + "<name>The Lounge</name><nick/><secret/><privacy/></query></iq>");
    }

    @Test
    void s11_getToNonExistentRoom() {
        Harness h = Scenes.harness();
        assertOut(h.in("<iq type='get' id='c2' to='nowhere@" + S + "' from='" + D + "'>" + CONF_GET + "</iq>"),
                "<iq type='error' id='c2' from='nowhere@" + S + "' to='" + D + "'>" + CONF_GET + err(404) + "</iq>");
    }

    @Test
    void s12_browseToNonExistentRoom() {
        Harness h = Scenes.harness();
        assertOut(h.in("<iq type='get' id='b4' to='nowhere@" + S + "' from='" + D + "'>" + BROWSE_GET + "</iq>"),
                "<iq type='error' id='b4' from='nowhere@" + S + "' to='" + D + "'>" + BROWSE_GET + err(404) + "</iq>");
    }

    @Test
    void s13_roomNodeIsCaseInsensitive() {
        Harness h = Scenes.harness();
        assertOut(h.in("<iq type='get' id='c3' to='Lounge@" + S + "' from='" + D + "'>" + CONF_GET + "</iq>"),
                "<iq type='result' id='c3' from='Lounge@" + S + "' to='" + D + "'><query xmlns='jabber:iq:conference'>"
                        + "<name>The Lounge</name><nick/><privacy/></query></iq>");
    }
}
