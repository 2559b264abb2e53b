package org.palaver.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.palaver.core.ConferenceService;
import org.palaver.core.Outbox;
import org.palaver.xml.Element;
import org.palaver.xml.FanoutBytes;
import org.palaver.xml.Jid;
import org.palaver.xml.StanzaBytes;
import org.palaver.xml.StreamError;
import org.palaver.xml.StreamListener;
import org.palaver.xml.StreamParser;
import org.palaver.xml.XmlLimits;

/**
 * A core driven the way a node drives it, bytes to bytes: the router's bytes go through the real
 * {@link StreamParser} (with the node's default limits), each stanza into the core, and every
 * output is serialised as the node writes it ({@link StanzaBytes}, {@link FanoutBytes}) and read
 * back by {@link StrictXml}, which fails on anything the router's parser would refuse (a broadcast's
 * first copy; the others differ only in {@code to}). A stream
 * error from the parser is recorded and a fresh stream started, as the node's reconnect would.
 */
public final class WireCore implements StreamListener, Outbox {
    public static final String HEADER = "<stream:stream xmlns='jabber:component:accept'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='" + Harness.S + "' id='w1'>";

    private final ConferenceService service;
    private final StrictXml strict = new StrictXml();
    private final List<Element> out = new ArrayList<>();
    private final List<Element> parsed = new ArrayList<>();
    private final ByteBuf copies = Unpooled.buffer(256);
    private StreamParser parser;
    private StreamError lastError;
    private long now;
    private long stanzasIn;
    private long copiesOut;
    private long bytesOut;

    public WireCore(ConferenceService service, long now) {
        this.service = service;
        this.now = now;
    }

    public ConferenceService service() {
        return service;
    }

    public WireCore advance(long millis) {
        now += millis;
        return this;
    }

    /** Runs the core's heartbeat (spec §5.4) at the current time. */
    public WireCore heartbeat() {
        out.clear();
        service.heartbeat(now, this);
        return this;
    }

    /** Feeds text as one read; returns every stanza written for it, as the router parsed it. */
    public List<Element> in(String xml) {
        return in(xml.getBytes(StandardCharsets.UTF_8));
    }

    /** Feeds bytes as one read (opening a stream first if none is open). */
    public List<Element> in(byte[] bytes) {
        out.clear();
        parsed.clear();
        lastError = null;
        if (parser == null) {
            parser = new StreamParser(XmlLimits.defaults(), this);
            byte[] header = HEADER.getBytes(StandardCharsets.UTF_8);
            parser.feed(header, 0, header.length);
        }
        parser.feed(bytes, 0, bytes.length);
        return new ArrayList<>(out);
    }

    /** The stanzas the parser gave the core during the last {@link #in}. */
    public List<Element> parsed() {
        return new ArrayList<>(parsed);
    }

    /** The stream error the last {@link #in} ended its stream with, or {@code null}. */
    public StreamError lastError() {
        return lastError;
    }

    public long stanzasIn() {
        return stanzasIn;
    }

    /** Copies written (a single stanza counts one, a broadcast one per recipient). */
    public long copiesOut() {
        return copiesOut;
    }

    public long bytesOut() {
        return bytesOut;
    }

    // ---- StreamListener ---------------------------------------------------------------------

    @Override
    public void onStreamOpen(Map<String, String> headerAttributes) {
    }

    @Override
    public void onStanza(Element stanza) {
        stanzasIn++;
        parsed.add(stanza);
        service.handle(stanza, now, this);
    }

    @Override
    public void onStreamClose() {
        parser = null;
    }

    @Override
    public void onStreamError(StreamError e) {
        lastError = e;
        parser = null;
    }

    // ---- Outbox -----------------------------------------------------------------------------

    @Override
    public void send(Element stanza) {
        byte[] bytes = StanzaBytes.of(stanza);
        copiesOut++;
        bytesOut += bytes.length;
        out.add(strict.stanza(bytes));
    }

    @Override
    public void fanout(Element template, List<Jid> recipients) {
        FanoutBytes bytes = FanoutBytes.of(template);
        Element first = null;
        for (int i = 0; i < recipients.size(); i++) {
            copies.clear();
            bytes.writeCopy(copies, recipients.get(i));
            copiesOut++;
            bytesOut += copies.readableBytes();
            if (first == null) {
                byte[] b = new byte[copies.readableBytes()];
                copies.getBytes(0, b);
                first = strict.stanza(b);
                out.add(first);
            } else {
                out.add(first.shallowCopy().attr("to", recipients.get(i).toString()));
            }
        }
    }
}
