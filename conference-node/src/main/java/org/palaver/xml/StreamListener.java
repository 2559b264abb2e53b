package org.palaver.xml;

import java.util.Map;

/**
 * Receives what a {@link StreamParser} reads from one XML stream, in order, on the thread that
 * feeds the parser.
 */
public interface StreamListener {
    /**
     * The stream header {@code <stream:stream ...>} was read. The read-only map holds its
     * namespace declarations ({@code xmlns}, {@code xmlns:stream}) followed by its attributes in
     * document order ({@code id}, {@code from}, {@code to}, {@code version}, {@code xml:lang}, ...),
     * all by qualified name.
     */
    void onStreamOpen(Map<String, String> headerAttributes);

    /**
     * One complete top-level child of the stream: a stanza, {@code <handshake>},
     * {@code <stream:features>}, {@code <stream:error>} ... in canonical form (see {@link Element}:
     * top-level {@code jabber:client} / {@code jabber:component:accept} elements have namespace
     * {@code null}; stream-level elements have namespace {@code http://etherx.jabber.org/streams}).
     * The element is handed over: the parser keeps no reference to it.
     */
    void onStanza(Element stanza);

    /** The peer closed the stream with {@code </stream:stream>}. Nothing follows. */
    void onStreamClose();

    /**
     * The stream is unusable: malformed, restricted or over-limit input. The parser delivers nothing
     * after this; the connection should answer with this stream error and close.
     */
    void onStreamError(StreamError error);
}
