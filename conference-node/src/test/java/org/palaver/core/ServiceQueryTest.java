package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.testkit.Harness.A;
import static org.palaver.testkit.Harness.S;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Element;

/**
 * What the service advertises and what it answers agree (spec §4, §4.1, §13.1): every namespace in
 * its disco#info features that is not a room protocol (or RSM) gets a result from the service, and every
 * protocol its browse lists is among the features.
 */
class ServiceQueryTest {
    /**
     * Spoken in rooms (and joined through gc-1.0), or an extension of another query (RSM pages
     * disco#items), so the service itself answers a query in them with 501.
     */
    private static final List<String> ROOM_PROTOCOLS = List.of(Ns.CONFERENCE, Ns.MUC, Ns.RSM);

    @Test
    void everyAdvertisedServiceFeatureIsAnswered() {
        Harness h = Scenes.harness();
        List<String> features = features(h);
        assertTrue(features.containsAll(ROOM_PROTOCOLS), "features: " + features);
        int answered = 0;
        for (String ns : features) {
            Element reply = get(h, ns);
            String expected = ROOM_PROTOCOLS.contains(ns) ? "error" : "result";
            assertEquals(expected, reply.attr("type"), ns + ": " + reply);
            answered += expected.equals("result") ? 1 : 0;
        }
        assertEquals(ServiceQuery.values().length, answered, "one answered feature per ServiceQuery");
    }

    @Test
    void browseListsOnlyAdvertisedProtocols() {
        Harness h = Scenes.harness();
        List<String> browsed = new ArrayList<>();
        for (Element ns : get(h, Ns.BROWSE).elements().get(0).elements()) {
            if (ns.name().equals("ns")) {
                browsed.add(ns.text());
            }
        }
        assertEquals(List.of(Ns.CONFERENCE, Ns.BROWSE, Ns.VERSION, Ns.TIME, Ns.LAST, Ns.VCARD), browsed);
        assertTrue(features(h).containsAll(browsed), "browse <ns> " + browsed + " not all in " + features(h));
    }

    private static List<String> features(Harness h) {
        List<String> vars = new ArrayList<>();
        for (Element f : get(h, Ns.DISCO_INFO).elements().get(0).elements()) {
            if (f.name().equals("feature")) {
                vars.add(f.attr("var"));
            }
        }
        return vars;
    }

    private static Element get(Harness h, String ns) {
        List<Element> out = h.in("<iq type='get' id='q' to='" + S + "' from='" + A + "'><query xmlns='" + ns + "'/></iq>");
        assertEquals(1, out.size(), ns + ": " + out);
        return out.get(0);
    }
}
