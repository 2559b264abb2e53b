package org.palaver.component;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.palaver.ops.metrics.NodeMetrics;

/**
 * The write side of one router socket. Everything produced during one event-loop turn (typically
 * all replies and fan-out copies for the stanzas of one network read) is appended to one buffer
 * and written with a single {@code write} at the end of the turn.
 *
 * <p>Back-pressure: bytes handed to the socket but not yet taken by the kernel are bounded by
 * {@code writeQueueBytes}. Past the bound (or when Vert.x reports {@code writeQueueFull()}),
 * reading from the same socket pauses until the backlog is down to half. Inbound stanzas are what
 * produce outbound bytes, so a router that does not read stops being read and memory stays bounded.
 * The count is kept here from the write futures because Vert.x 5 reports {@code writeQueueFull()}
 * only for its own queue, not for bytes already passed on to Netty: one large batch never trips it.
 *
 * <p>Metrics: stanzas, fan-out copies and bytes are added to {@link NodeMetrics} once per flushed
 * batch, never per stanza or copy.
 */
final class WriteBatch {
    private final Context context;
    private final NodeMetrics metrics;
    private NetSocket socket;
    private int maxUnwritten;
    private Buffer pending;
    /** Single stanzas and fan-out copies in {@code pending}. */
    private long pendingStanzas;
    private long pendingCopies;
    private long unwritten;
    private boolean readPaused;
    private long socketWrites;

    WriteBatch(Context context, NodeMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
    }

    /** Starts writing to a freshly connected socket. */
    void attach(NetSocket socket, int writeQueueBytes) {
        this.socket = socket;
        this.maxUnwritten = writeQueueBytes;
        discard();
        this.unwritten = 0;
        this.readPaused = false;
        socket.setWriteQueueMaxSize(writeQueueBytes);
        socket.drainHandler(v -> maybeResume(socket));
    }

    /** Forgets the socket (it closed); returns the number of bytes never handed to it. */
    int detach() {
        int lost = pending == null ? 0 : pending.length();
        socket = null;
        discard();
        unwritten = 0;
        readPaused = false;
        return lost;
    }

    /** The buffer of the current turn, to append one single stanza to. */
    Buffer bufferForStanza() {
        pendingStanzas++;
        return buffer();
    }

    /** The buffer of the current turn, to append {@code copies} fan-out copies to. */
    Buffer bufferForCopies(int copies) {
        pendingCopies += copies;
        return buffer();
    }

    /** The buffer of the current turn; appending to it schedules one write at the end of the turn. */
    private Buffer buffer() {
        if (pending == null) {
            pending = Buffer.buffer(1024);
            context.runOnContext(v -> flush());
        }
        return pending;
    }

    /** Writes what is pending now (also used right before closing the stream). */
    void flush() {
        Buffer out = pending;
        long stanzas = pendingStanzas;
        long copies = pendingCopies;
        discard();
        NetSocket target = socket;
        if (out == null || out.length() == 0 || target == null) {
            return;
        }
        int length = out.length();
        metrics.addStanzasOut(stanzas);
        metrics.addCopiesOut(copies);
        metrics.addBytesOut(length);
        unwritten += length;
        socketWrites++;
        target.write(out).onComplete(ar -> written(target, length));
        if (!readPaused && (unwritten > maxUnwritten || target.writeQueueFull())) {
            readPaused = true;
            target.pause();
        }
    }

    private void discard() {
        pending = null;
        pendingStanzas = 0;
        pendingCopies = 0;
    }

    private void written(NetSocket target, int length) {
        if (target == socket) {
            unwritten -= length;
            maybeResume(target);
        }
    }

    private void maybeResume(NetSocket target) {
        if (target == socket && readPaused && unwritten <= maxUnwritten / 2 && !target.writeQueueFull()) {
            readPaused = false;
            target.resume();
        }
    }

    boolean readPaused() {
        return readPaused;
    }

    /** Socket writes so far: with batching, far fewer than stanzas written. */
    long socketWrites() {
        return socketWrites;
    }
}
