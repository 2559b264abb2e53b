package org.palaver.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.palaver.testkit.TestXml;

class StreamErrorTest {
    @Test
    void elementCarriesConditionAndText() {
        Element e = new StreamError(StreamError.POLICY_VIOLATION, "stanza too big").toElement();
        assertEquals("<stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>stanza too big</text></stream:error>",
                XmlWriter.toXml(e));
    }

    @Test
    void readsAReceivedError() {
        Element e = TestXml.parse("<stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams' xml:lang='en'>hash didn't match</text>"
                + "<app-specific xmlns='urn:example:app'/></stream:error>");
        assertEquals(new StreamError(StreamError.NOT_AUTHORIZED, "hash didn't match"), StreamError.fromElement(e));
        StreamError round = new StreamError(StreamError.HOST_UNKNOWN, null);
        assertEquals(round, StreamError.fromElement(round.toElement()));
    }

    @Test
    void textOnlyErrorIsUndefined() {
        Element e = TestXml.parse("<stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
                + " Socket override by another connection. </stream:error>");
        assertEquals(new StreamError(StreamError.UNDEFINED_CONDITION, "Socket override by another connection."),
                StreamError.fromElement(e));
    }

    @Test
    void conditionIsRequired() {
        assertThrows(NullPointerException.class, () -> new StreamError(null, "x"));
        assertThrows(IllegalArgumentException.class, () -> new StreamError(" ", "x"));
    }
}
