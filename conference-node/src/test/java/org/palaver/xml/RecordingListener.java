package org.palaver.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records what a {@link StreamParser} reports, in order; plus helpers to run a parser over text. */
class RecordingListener implements StreamListener {
    static final String HEADER = "<stream:stream xmlns='jabber:component:accept'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='conference.example.org' id='3BF96D32'>";

    Map<String, String> header;
    final List<Element> stanzas = new ArrayList<>();
    boolean closed;
    StreamError error;
    /** Every callback, in order, for checking that nothing follows an error or close. */
    final List<String> calls = new ArrayList<>();

    @Override
    public void onStreamOpen(Map<String, String> headerAttributes) {
        calls.add("open");
        header = headerAttributes;
    }

    @Override
    public void onStanza(Element stanza) {
        calls.add("stanza");
        stanzas.add(stanza);
    }

    @Override
    public void onStreamClose() {
        calls.add("close");
        closed = true;
    }

    @Override
    public void onStreamError(StreamError streamError) {
        calls.add("error");
        error = streamError;
    }

    /** Runs a fresh parser with default limits over the whole text in one read. */
    static RecordingListener parse(String stream) {
        return parse(XmlLimits.defaults(), stream);
    }

    static RecordingListener parse(XmlLimits limits, String stream) {
        RecordingListener rec = new RecordingListener();
        byte[] b = bytes(stream);
        new StreamParser(limits, rec).feed(b, 0, b.length);
        return rec;
    }

    /** The error condition, or {@code null} when none was reported. */
    String condition() {
        return error == null ? null : error.condition();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
