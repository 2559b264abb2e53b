package org.palaver.component;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import java.util.Arrays;
import org.palaver.metrics.NodeMetrics;
import org.palaver.xml.FanoutBytes;
import org.palaver.xml.Jid;

/**
 * The write side of one router socket. Everything produced during one event-loop turn (typically
 * all replies and fan-out copies for the stanzas of one network read) is appended to pooled
 * direct buffers of {@link #CHUNK} bytes and handed to the socket chunk by chunk, the last one at
 * the end of the turn.
 *
 * <p>Why not a Vert.x {@code Buffer}: a growing heap buffer re-allocates and copies itself on the
 * way to the turn's size (hundreds of kilobytes for a large room), Netty then copies it once more
 * into a direct buffer for the socket, and the garbage shows up as collector pauses in the copy
 * latency. Chunks from the channel's pooled allocator are written as they are and returned to the
 * pool by Netty once sent. Vert.x's public {@code write(Buffer)} would pin such a buffer (it wraps
 * non-heap buffers as unreleasable), hence the write through {@link RawChannel}.
 *
 * <p>Back-pressure: bytes handed to the socket but not yet taken by the kernel are bounded by
 * {@code writeQueueBytes}. Past the bound (or when Vert.x reports {@code writeQueueFull()}),
 * reading from the same socket pauses until the backlog is down to half. Inbound stanzas are what
 * produce outbound bytes, so a router that does not read stops being read and memory stays bounded.
 * The count is kept here from the write futures because Vert.x 5 reports {@code writeQueueFull()}
 * only for its own queue, not for bytes already passed on to Netty: one large batch never trips it.
 *
 * <p>Within a turn the bound is the turn's write budget: {@link #overBudget} tells the connection
 * to stop handling stanzas once the queued bytes (unsent plus the current chunk) reach it; the
 * connection then {@link #holdReads holds reading} and is called back through {@link #onDrain} when
 * the queue is down to half the budget. So one read of many expensive requests queues at most the
 * budget plus one stanza's output, instead of all of it at once (issue 10, item 3).
 *
 * <p>Metrics: stanzas and fan-out copies are added to {@link NodeMetrics} once per turn, bytes once
 * per chunk, never per stanza or copy. The latency of each stanza whose output is in the turn's
 * batch (from its network read to the end-of-turn write) is recorded at the flush: the stanzas of
 * one read share its read time, so the batch keeps one entry per read, not per stanza.
 */
final class WriteBatch {
    /**
     * Bytes per socket write: large enough to amortise the system call, small enough that the
     * router starts reading while the rest of a large fan-out is still being produced.
     */
    static final int CHUNK = 64 * 1024;

    private final Context context;
    private final NodeMetrics metrics;
    private NetSocket socket;
    private RawChannel channel;
    private ByteBufAllocator allocator;
    private int maxUnwritten;
    private ByteBuf pending;
    private boolean flushScheduled;
    /** Single stanzas and fan-out copies appended in this turn. */
    private long pendingStanzas;
    private long pendingCopies;
    private long unwritten;
    /** Whether reading is paused: because of the backlog ({@link #backlogged}) or held by the connection. */
    private boolean readPaused;
    private boolean backlogged;
    private boolean held;
    private long turnBudget = Long.MAX_VALUE;
    private Runnable onDrain = () -> { };
    private long socketWrites;
    /** Stanzas and copies ever appended, to tell whether handling a stanza produced output here. */
    private long appended;
    /** Read times of the stanzas with output in this turn's batch, and how many stanzas per read. */
    private long[] readTimes = new long[4];
    private int[] readStanzas = new int[4];
    private int reads;

    WriteBatch(Context context, NodeMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
    }

    /** Starts writing to a freshly connected socket (a Vert.x TCP socket). */
    void attach(NetSocket socket, int writeQueueBytes, int turnBudgetBytes) {
        this.socket = socket;
        this.channel = RawChannel.of(socket);
        this.allocator = channel.allocator();
        this.maxUnwritten = writeQueueBytes;
        this.turnBudget = turnBudgetBytes;
        this.pending = null;
        this.unwritten = 0;
        this.readPaused = false;
        this.backlogged = false;
        this.held = false;
        socket.setWriteQueueMaxSize(writeQueueBytes);
        socket.drainHandler(v -> maybeResume(socket));
    }

    /** Called (on the event loop, inside a write completion) when the queue is down to half the turn budget. */
    void onDrain(Runnable handler) {
        this.onDrain = handler;
    }

    /** Bytes queued now: handed to the socket but not yet sent, plus the chunk being filled. */
    long queuedBytes() {
        return unwritten + (pending == null ? 0 : pending.readableBytes());
    }

    /** Whether the queued bytes have reached the turn budget: handle no further stanza now. */
    boolean overBudget() {
        return socket != null && queuedBytes() >= turnBudget;
    }

    /** Keeps reading paused (whatever the backlog) until {@link #releaseReads}. */
    void holdReads() {
        held = true;
        updatePause();
    }

    void releaseReads() {
        held = false;
        updatePause();
    }

    /** Forgets the socket (it closed); returns the number of bytes never handed to it. */
    int detach() {
        int lost = pending == null ? 0 : pending.readableBytes();
        release();
        reads = 0; // that output is lost: no latency to measure
        socket = null;
        channel = null;
        unwritten = 0;
        readPaused = false;
        backlogged = false;
        held = false;
        return lost;
    }

    /** Appends one serialized stanza to the current turn's output. */
    void appendStanza(byte[] bytes) {
        pendingStanzas++;
        appended++;
        room(bytes.length).writeBytes(bytes);
    }

    /** Appends one copy of a broadcast per recipient, varying only {@code to}. */
    void appendCopies(FanoutBytes template, Iterable<Jid> recipients, int count) {
        pendingCopies += count;
        appended += count;
        for (Jid to : recipients) {
            template.writeCopy(room(template.copySize(to)), to);
        }
    }

    /**
     * The buffer to append {@code size} bytes to: the current chunk while it has room, else a new
     * one after handing the full chunk to the socket. The first bytes of a turn schedule the flush.
     */
    private ByteBuf room(int size) {
        ByteBuf b = pending;
        if (b != null && b.capacity() - b.writerIndex() >= size) {
            return b;
        }
        if (b != null) {
            pending = null;
            writeOut(b);
        }
        if (!flushScheduled) {
            flushScheduled = true;
            context.runOnContext(v -> flush());
        }
        pending = allocator.directBuffer(Math.max(CHUNK, size));
        return pending;
    }

    /** Stanzas and copies appended so far (a running count). */
    long appended() {
        return appended;
    }

    /** One stanza read at {@code readNanos} put output into this turn's batch. */
    void outputOf(long readNanos) {
        if (reads > 0 && readTimes[reads - 1] == readNanos) {
            readStanzas[reads - 1]++;
            return;
        }
        if (reads == readTimes.length) {
            readTimes = Arrays.copyOf(readTimes, reads * 2);
            readStanzas = Arrays.copyOf(readStanzas, reads * 2);
        }
        readTimes[reads] = readNanos;
        readStanzas[reads++] = 1;
    }

    /** Writes what is pending now (at the end of the turn, and right before closing the stream). */
    void flush() {
        flushScheduled = false;
        if (reads > 0) {
            long now = System.nanoTime();
            for (int i = 0; i < reads; i++) {
                metrics.stanzaLatency(now - readTimes[i], readStanzas[i]);
            }
            reads = 0;
        }
        metrics.addStanzasOut(pendingStanzas);
        metrics.addCopiesOut(pendingCopies);
        pendingStanzas = 0;
        pendingCopies = 0;
        ByteBuf out = pending;
        pending = null;
        if (out != null) {
            writeOut(out);
        }
    }

    private void writeOut(ByteBuf out) {
        RawChannel target = channel;
        int length = out.readableBytes();
        if (target == null || length == 0) {
            out.release();
            return;
        }
        metrics.addBytesOut(length);
        unwritten += length;
        socketWrites++;
        NetSocket sock = socket;
        target.write(out).onComplete(ar -> written(sock, length)); // Netty releases the chunk
        if (!backlogged && (unwritten > maxUnwritten || sock.writeQueueFull())) {
            backlogged = true;
            updatePause();
        }
    }

    private void updatePause() {
        boolean pause = backlogged || held;
        if (socket != null && pause != readPaused) {
            readPaused = pause;
            if (pause) {
                socket.pause();
            } else {
                socket.resume();
            }
        }
    }

    private void release() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    private void written(NetSocket target, int length) {
        if (target == socket) {
            unwritten -= length;
            maybeResume(target);
            if (held && queuedBytes() <= turnBudget / 2) {
                onDrain.run();
            }
        }
    }

    private void maybeResume(NetSocket target) {
        if (target == socket && backlogged && unwritten <= maxUnwritten / 2 && !target.writeQueueFull()) {
            backlogged = false;
            updatePause();
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
