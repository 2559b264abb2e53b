package org.palaver.component;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * The write side of one router socket. Everything produced during one event-loop turn (typically
 * all replies and fan-out copies for the stanzas of one network read) is appended to one buffer
 * and written with a single {@code write} at the end of the turn.
 *
 * <p>Back-pressure: the socket's write queue is bounded ({@code setWriteQueueMaxSize}); when a write
 * leaves it full, reading from the same socket is paused until it drains. Inbound stanzas are what
 * produce outbound bytes, so a router that does not read stops being read, and memory stays bounded.
 */
final class WriteBatch {
    private final Context context;
    private final Runnable flushTask = this::flush;
    private NetSocket socket;
    private Buffer pending;
    private boolean readPaused;
    private long socketWrites;

    WriteBatch(Context context) {
        this.context = context;
    }

    /** Starts writing to a freshly connected socket. */
    void attach(NetSocket socket, int writeQueueBytes) {
        this.socket = socket;
        this.pending = null;
        this.readPaused = false;
        socket.setWriteQueueMaxSize(writeQueueBytes);
        socket.drainHandler(v -> resumeReading(socket));
    }

    /** Forgets the socket (it closed); returns the number of bytes that were never written. */
    int detach() {
        int lost = pending == null ? 0 : pending.length();
        socket = null;
        pending = null;
        readPaused = false;
        return lost;
    }

    /** The buffer of the current turn; appending to it schedules one write at the end of the turn. */
    Buffer buffer() {
        if (pending == null) {
            pending = Buffer.buffer(1024);
            context.runOnContext(v -> flushTask.run());
        }
        return pending;
    }

    /** Writes what is pending now (used before closing the stream). */
    void flush() {
        Buffer out = pending;
        pending = null;
        if (out == null || out.length() == 0 || socket == null) {
            return;
        }
        socket.write(out);
        socketWrites++;
        if (!readPaused && socket.writeQueueFull()) {
            readPaused = true;
            socket.pause();
        }
    }

    private void resumeReading(NetSocket drained) {
        if (drained == socket && readPaused) {
            readPaused = false;
            drained.resume();
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
