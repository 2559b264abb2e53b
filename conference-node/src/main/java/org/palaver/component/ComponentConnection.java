package org.palaver.component;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.palaver.metrics.NodeMetrics;
import org.palaver.metrics.RouterState;
import org.palaver.metrics.StanzaKind;
import org.palaver.xml.Element;
import org.palaver.xml.FanoutBytes;
import org.palaver.xml.Jid;
import org.palaver.xml.StanzaBytes;
import org.palaver.xml.StreamError;
import org.palaver.xml.StreamListener;
import org.palaver.xml.StreamParser;
import org.palaver.xml.XmlWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One XEP-0114 stream to the router, kept up for the life of the node: connect, open the stream,
 * handshake (spec §2.1), deliver inbound stanzas, and after any loss reconnect with {@link Backoff}.
 *
 * <p>All methods run on the one event loop that owns the node (the context it was created on), so
 * there is no locking. Nothing is written on a stream before the router's {@code <handshake/>}:
 * {@link #write} and {@link #fanout} refuse unless {@link #isAuthenticated()}.
 *
 * <p>Output per turn is bounded by the turn write budget ({@link RouterSettings#turnBudgetBytes}):
 * once the bytes queued on this stream reach it, the stanzas still to come from the current read
 * wait, in arrival order, with reading paused, and are handled when the router has taken the queue
 * down to half the budget. A read of many expensive requests therefore never queues more than the
 * budget plus one stanza's output.
 */
public final class ComponentConnection {
    private static final Logger log = LoggerFactory.getLogger(ComponentConnection.class);

    /** Longest wait for the router's header and {@code <handshake/>} before giving up on a stream. */
    static final long HANDSHAKE_TIMEOUT_MS = 10_000;
    /** Longest wait for the router to close its side after our {@code </stream:stream>}. */
    public static final long CLOSE_TIMEOUT_MS = 2_000;

    /** Receives inbound stanzas; called on the node's event loop. */
    @FunctionalInterface
    public interface Listener {
        /** An inbound stanza on an authenticated stream (or one being closed by us). */
        void onStanza(ComponentConnection connection, Element stanza);
    }

    enum State {
        /** Not started, or waiting for the next attempt. */
        IDLE,
        CONNECTING,
        /** Our header is sent; waiting for the router's. */
        OPENING,
        /** Our handshake is sent; waiting for {@code <handshake/>}. */
        HANDSHAKING,
        AUTHENTICATED,
        /** The stream failed (error, router close); the socket is closing, a reconnect follows. */
        FAILED,
        /** We sent {@code </stream:stream>}; waiting for the router to close. */
        CLOSING,
        STOPPED
    }

    private final Vertx vertx;
    private final NetClient client;
    private final RouterSettings settings;
    private final Listener listener;
    private final Backoff backoff;
    private final NodeMetrics metrics;
    private final String label;
    private final WriteBatch out;
    private Promise<Void> stopped = Promise.promise();

    private volatile State state = State.IDLE; // volatile: health checks and tests read it
    private NetSocket socket;
    private long timer = -1;
    private int attempts;
    /** When the network read being parsed arrived: every stanza in it shares this read time. */
    private long readNanos;
    private long handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS;
    /** Stanzas read but not yet handled because the turn budget was reached, in arrival order. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private boolean resumeScheduled;

    /** A stanza kept back by the turn budget, with the time of the read it came in. */
    private record Waiting(Element stanza, long readNanos) {
    }

    /**
     * @param number  1-based position among the node's connections to this domain (for the logs)
     * @param metrics counts traffic, stream errors and reconnects
     */
    public ComponentConnection(Vertx vertx, NetClient client, RouterSettings settings, int number,
                               Listener listener, Backoff backoff, NodeMetrics metrics) {
        this.vertx = vertx;
        this.client = client;
        this.settings = settings;
        this.listener = listener;
        this.backoff = backoff;
        this.metrics = metrics;
        this.label = "connection " + number + "/" + settings.connections();
        this.out = new WriteBatch(vertx.getOrCreateContext(), metrics);
        out.onDrain(this::scheduleResume);
    }

    /** Shorter handshake timeout for tests. */
    ComponentConnection handshakeTimeout(long millis) {
        this.handshakeTimeoutMs = millis;
        return this;
    }

    /** Connects, unless already connecting or connected; also starts a connection again after its {@link #stop}. */
    public void start() {
        if (state == State.STOPPED) {
            stopped = Promise.promise();
            state = State.IDLE;
            backoff.reset();
        }
        if (state == State.IDLE && timer == -1) {
            connect();
        }
    }

    public boolean isAuthenticated() {
        return state == State.AUTHENTICATED;
    }

    State state() {
        return state;
    }

    /** The state as metrics report it; safe to call from any thread. */
    public RouterState routerState() {
        return switch (state) {
            case CONNECTING, OPENING, HANDSHAKING -> RouterState.CONNECTING;
            case AUTHENTICATED -> RouterState.AUTHENTICATED;
            case IDLE, FAILED, CLOSING, STOPPED -> RouterState.DOWN;
        };
    }

    /** Connection attempts made so far. */
    public int attempts() {
        return attempts;
    }

    boolean readPaused() {
        return out.readPaused();
    }

    long socketWrites() {
        return out.socketWrites();
    }

    /** Bytes queued on this stream now (unsent plus the chunk being filled). */
    long queuedBytes() {
        return out.queuedBytes();
    }

    /** Stanzas waiting for the router to drain the queue. */
    int waitingStanzas() {
        return waiting.size();
    }

    // ---- output -----------------------------------------------------------------------------

    /** Queues one stanza for the end of this event-loop turn. */
    public void write(Element stanza) {
        requireAuthenticated();
        out.appendStanza(StanzaBytes.of(stanza));
    }

    /** Queues one copy of a serialized broadcast per recipient, varying only {@code to}. */
    public void fanout(FanoutBytes template, List<Jid> recipients) {
        requireAuthenticated();
        out.appendCopies(template, recipients, recipients.size());
    }

    private void requireAuthenticated() {
        if (state != State.AUTHENTICATED) {
            throw new IllegalStateException(label + " is not authenticated (" + state + ")");
        }
    }

    // ---- connecting -------------------------------------------------------------------------

    private void connect() {
        timer = -1;
        state = State.CONNECTING;
        attempts++;
        if (attempts > 1) {
            metrics.routerReconnect();
        }
        log.info("connecting to {} as {} ({})", settings.address(), settings.domain(), label);
        client.connect(settings.port(), settings.host()).onComplete(ar -> {
            if (state != State.CONNECTING) { // stopped meanwhile
                if (ar.succeeded()) {
                    ar.result().close();
                }
            } else if (ar.succeeded()) {
                open(ar.result());
            } else {
                log.warn("cannot connect to {} ({}): {}", settings.address(), label, describe(ar.cause()));
                retryLater();
            }
        });
    }

    private void open(NetSocket sock) {
        socket = sock;
        out.attach(sock, settings.writeQueueBytes(), settings.turnBudgetBytes());
        StreamParser parser = new StreamParser(settings.xmlLimits(), new Inbound(sock));
        // raw Netty buffers: the parser reads them in place, saving Vert.x's heap copy of every read
        RawChannel.of(sock).onMessage(msg -> feed(parser, msg));
        sock.closeHandler(v -> onClosed(sock));
        sock.exceptionHandler(t -> log.debug("socket error on {}: {}", label, describe(t)));
        state = State.OPENING;
        sock.write(Handshake.streamHeader(settings.domain()));
        timer = vertx.setTimer(handshakeTimeoutMs, id -> handshakeTimedOut(sock));
    }

    private void feed(StreamParser parser, Object msg) {
        try {
            if (msg instanceof ByteBuf data) {
                readNanos = System.nanoTime();
                metrics.addBytesIn(data.readableBytes());
                parser.feed(data);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void handshakeTimedOut(NetSocket sock) {
        timer = -1;
        if (sock == socket && (state == State.OPENING || state == State.HANDSHAKING)) {
            log.warn("no handshake from {} within {} s ({}); closing", settings.address(),
                    seconds(handshakeTimeoutMs), label);
            state = State.FAILED;
            sock.close();
        }
    }

    private void retryLater() {
        state = State.IDLE;
        long delay = backoff.nextDelayMillis();
        log.info("retry in {} s ({}, attempt {})", seconds(delay), label, attempts + 1);
        timer = vertx.setTimer(delay, id -> connect());
    }

    private void onClosed(NetSocket sock) {
        if (sock != socket) {
            return;
        }
        socket = null;
        cancelTimer();
        int lost = out.detach();
        if (lost > 0) {
            log.warn("{} bytes were not written before {} closed", lost, label);
        }
        handleWaiting(); // read before the loss: their output goes to another stream, if any
        State was = state;
        if (was == State.CLOSING || was == State.STOPPED) {
            state = State.STOPPED;
            log.info("stream to {} closed ({})", settings.address(), label);
            stopped.tryComplete();
        } else {
            if (was != State.FAILED) { // a failed stream has logged its reason already
                log.warn("connection to {} lost ({}, was {})", settings.address(), label,
                        was.name().toLowerCase(Locale.ROOT));
            }
            retryLater();
        }
    }

    // ---- stopping ---------------------------------------------------------------------------

    /**
     * Closes the stream with {@code </stream:stream>} and waits (at most {@link #CLOSE_TIMEOUT_MS})
     * for the router to close its side; no reconnect afterwards. Must run on the node's context.
     */
    public Future<Void> stop() {
        switch (state) {
            case OPENING, HANDSHAKING, AUTHENTICATED -> {
                cancelTimer();
                state = State.CLOSING;
                log.info("closing the stream to {} ({})", settings.address(), label);
                handleWaiting(); // no more output on this stream: theirs goes to another, if any
                out.flush();
                NetSocket sock = socket;
                sock.write(Handshake.CLOSE_STREAM);
                timer = vertx.setTimer(CLOSE_TIMEOUT_MS, id -> sock.close());
            }
            case FAILED -> state = State.CLOSING; // the socket is already closing
            case IDLE, CONNECTING -> {
                cancelTimer();
                state = State.STOPPED;
                stopped.tryComplete();
            }
            default -> {
                // CLOSING or STOPPED: already on its way
            }
        }
        return stopped.future();
    }

    // ---- the turn budget --------------------------------------------------------------------

    /** Handles {@code stanza} now, or keeps it back while the budget is spent or others wait. */
    private void handleOrWait(Element stanza) {
        if (waiting.isEmpty() && !budgetSpent()) {
            deliver(stanza, readNanos);
            return;
        }
        if (waiting.isEmpty()) {
            out.holdReads();
            metrics.turnYield();
        }
        waiting.add(new Waiting(stanza, readNanos));
    }

    /** Output goes to this stream only while it is authenticated; then its queue counts. */
    private boolean budgetSpent() {
        return state == State.AUTHENTICATED && out.overBudget();
    }

    /** The queue is down to half the budget (called inside a write completion: resume on a later turn). */
    private void scheduleResume() {
        if (!resumeScheduled) {
            resumeScheduled = true;
            vertx.runOnContext(v -> resumeWaiting());
        }
    }

    private void resumeWaiting() {
        resumeScheduled = false;
        try {
            while (!waiting.isEmpty() && !budgetSpent()) {
                Waiting w = waiting.poll();
                deliver(w.stanza(), w.readNanos());
            }
        } catch (Error e) { // as the parser does for an Error while reading: end the stream, reconnect
            log.error("failure handling a stanza ({}); closing the stream with internal-server-error", label, e);
            failStream();
            return;
        }
        if (waiting.isEmpty()) {
            out.releaseReads();
        }
    }

    private void failStream() {
        NetSocket sock = socket;
        if (sock == null || state == State.FAILED || state == State.STOPPED) {
            return;
        }
        if (state != State.CLOSING) {
            state = State.FAILED;
        }
        cancelTimer();
        metrics.streamError(StreamError.INTERNAL_SERVER_ERROR);
        sock.write(Handshake.streamError(StreamError.INTERNAL_SERVER_ERROR, null)).onComplete(ar -> sock.close());
    }

    /** Handles every waiting stanza now, whatever the budget (the stream is going away). */
    private void handleWaiting() {
        while (!waiting.isEmpty()) {
            Waiting w = waiting.poll();
            deliver(w.stanza(), w.readNanos());
        }
    }

    private void deliver(Element stanza, long readTime) {
        long appended = out.appended();
        try {
            listener.onStanza(this, stanza);
            if (out.appended() != appended) { // output on this stream: its latency is measured
                out.outputOf(readTime);
            }
        } catch (RuntimeException e) { // a bug must not cost the stream or the process
            log.error("failed to handle stanza {} ({})", stanza, label, e);
        }
        // an Error goes on to the parser (or resumeWaiting), which ends the stream with
        // internal-server-error: its state is not to be trusted, and the reconnect starts afresh
        // (with -XX:+ExitOnOutOfMemoryError an OutOfMemoryError ends the process instead)
    }

    private void cancelTimer() {
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    // ---- inbound ----------------------------------------------------------------------------

    /** Parser events of one socket; events of a socket already given up are ignored. */
    private final class Inbound implements StreamListener {
        private final NetSocket sock;

        Inbound(NetSocket sock) {
            this.sock = sock;
        }

        private boolean current() {
            return sock == socket && state != State.STOPPED && state != State.FAILED;
        }

        /** Nothing more is read or written on this stream; {@link #onClosed} will reconnect. */
        private void fail() {
            if (state != State.CLOSING) {
                state = State.FAILED;
            }
            cancelTimer();
        }

        @Override
        public void onStreamOpen(Map<String, String> header) {
            if (!current() || state != State.OPENING) {
                return;
            }
            String id = header.get("id");
            if (id == null || id.isEmpty()) {
                log.error("router stream header without id ({}); closing", label);
                fail();
                sock.close();
                return;
            }
            state = State.HANDSHAKING;
            sock.write(Handshake.handshakeElement(id, settings.secret()));
        }

        @Override
        public void onStanza(Element stanza) {
            if (!current()) {
                return;
            }
            metrics.stanzaIn(StanzaKind.of(stanza.name()));
            if (isStreamElement(stanza, "error")) {
                routerStreamError(stanza);
            } else if (state == State.HANDSHAKING) {
                beforeAuthentication(stanza);
            } else if (state == State.AUTHENTICATED || state == State.CLOSING) {
                handleOrWait(stanza);
            }
        }

        private void beforeAuthentication(Element stanza) {
            if (stanza.name().equals("handshake")) {
                cancelTimer();
                state = State.AUTHENTICATED;
                backoff.reset();
                log.info("authenticated to {} as {} ({})", settings.address(), settings.domain(), label);
            } else if (isStreamElement(stanza, "features")) {
                log.debug("ignored <stream:features> from {} ({})", settings.address(), label);
            } else {
                log.warn("dropped <{}> received before the handshake completed ({})", stanza.name(), label);
            }
        }

        private void routerStreamError(Element error) {
            StreamError e = StreamError.fromElement(error);
            metrics.streamError(e.condition());
            log.error("stream error {}: {} ({} to {} as {})", e.condition(),
                    e.text() == null ? "(no text)" : e.text(), label, settings.address(), settings.domain());
            fail();
            sock.close();
        }

        @Override
        public void onStreamClose() {
            if (!current()) {
                return;
            }
            if (state != State.CLOSING) {
                log.warn("router closed the stream ({})", label);
                fail();
                sock.write(Handshake.CLOSE_STREAM);
            }
            sock.close();
        }

        @Override
        public void onStreamError(StreamError error) {
            if (!current()) {
                return;
            }
            log.error("bad input from router ({}): {} {}; closing the stream", label, error.condition(),
                    error.text() == null ? "" : error.text());
            metrics.streamError(error.condition());
            fail();
            sock.write(Handshake.streamError(error.condition(), error.text()))
                    .onComplete(ar -> sock.close());
        }
    }

    /** {@code <stream:NAME>}, whatever prefix the router used. */
    private static boolean isStreamElement(Element e, String localName) {
        String name = e.name();
        return XmlWriter.NS_STREAMS.equals(e.namespace())
                && name.endsWith(localName)
                && (name.length() == localName.length() || name.charAt(name.length() - localName.length() - 1) == ':');
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }
}
