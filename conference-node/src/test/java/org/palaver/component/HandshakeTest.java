package org.palaver.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HandshakeTest {
    @Test
    void digestMatchesTheSpecVector() {
        assertEquals("f044683ec81db6a263dfccf5ca2d11d08a80c78c",
                Handshake.digest("k3d9x0a7qz1m5p2r8t4w6y0b3c5e7g9h1j2l4n6o", "s3cr3t"));
    }

    @Test
    void handshakeElementCarriesTheDigest() {
        assertEquals("<handshake>f044683ec81db6a263dfccf5ca2d11d08a80c78c</handshake>",
                Handshake.handshakeElement("k3d9x0a7qz1m5p2r8t4w6y0b3c5e7g9h1j2l4n6o", "s3cr3t"));
    }

    @Test
    void digestHashesUtf8() {
        // echo -n 'idéclé' | sha1sum
        assertEquals("28e2394345d5553884c02c0600f135859de72834", Handshake.digest("id\u00e9", "cl\u00e9"));
    }

    @Test
    void headerHasNoVersionAndNamesTheDomain() {
        assertEquals("<stream:stream xmlns='jabber:component:accept'"
                        + " xmlns:stream='http://etherx.jabber.org/streams' to='conference.localhost'>",
                Handshake.streamHeader("conference.localhost"));
    }

    @Test
    void streamErrorIsEscapedAndClosesTheStream() {
        assertEquals("<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                        + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>a &lt;b&gt; &amp; c</text>"
                        + "</stream:error></stream:stream>",
                Handshake.streamError("not-well-formed", "a <b> & c"));
    }
}
