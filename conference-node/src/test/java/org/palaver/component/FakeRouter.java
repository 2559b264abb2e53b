package org.palaver.component;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.palaver.testkit.Await;

/**
 * Stands in for the jabberd2 router in in-process tests: a Vert.x NetServer on loopback that records
 * what each accepted component connection sends and lets the test script the router's side.
 */
final class FakeRouter implements AutoCloseable {
    static final String STREAM_ID = "k3d9x0a7qz1m5p2r8t4w6y0b3c5e7g9h1j2l4n6o";
    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
            + " xmlns='jabber:component:accept' from='conference.localhost' id='" + STREAM_ID + "'>";

    private final NetServer server;
    private final LinkedBlockingQueue<Side> accepted = new LinkedBlockingQueue<>();
    private final AtomicLong acceptedCount = new AtomicLong();

    FakeRouter(Vertx vertx) throws Exception {
        server = vertx.createNetServer();
        server.connectHandler(sock -> {
            acceptedCount.incrementAndGet();
            accepted.add(new Side(sock));
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    long acceptedCount() {
        return acceptedCount.get();
    }

    /** The next component connection, waiting up to {@code timeout}. */
    Side accept(Duration timeout) throws InterruptedException {
        Side side = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (side == null) {
            throw new AssertionError("no component connection within " + timeout.toMillis() + " ms");
        }
        return side;
    }

    /** Accepts, answers the header and acknowledges the handshake (whatever its value). */
    Side acceptAuthenticated(Duration timeout) throws InterruptedException {
        Side side = accept(timeout);
        side.awaitReceived(Handshake.streamHeader("conference.localhost"));
        side.send(HEADER);
        side.awaitReceived("</handshake>");
        side.send("<handshake xmlns='jabber:component:accept'/>");
        return side;
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** The router's end of one component connection. */
    static final class Side {
        private final NetSocket socket;
        private final StringBuilder received = new StringBuilder();
        private final AtomicLong receivedBytes = new AtomicLong();
        private volatile boolean closed;
        private volatile boolean recordText = true;

        Side(NetSocket socket) {
            this.socket = socket;
            socket.handler(buf -> {
                receivedBytes.addAndGet(buf.length());
                if (recordText) {
                    synchronized (received) {
                        received.append(buf.toString(StandardCharsets.UTF_8));
                    }
                }
            });
            socket.closeHandler(v -> closed = true);
        }

        String received() {
            synchronized (received) {
                return received.toString();
            }
        }

        long receivedBytes() {
            return receivedBytes.get();
        }

        /** Stop keeping the text (bulk tests count bytes only). */
        void countOnly() {
            recordText = false;
        }

        boolean closed() {
            return closed;
        }

        void send(String xml) {
            socket.write(xml);
        }

        void close() {
            socket.close();
        }

        void pauseReading() {
            socket.pause();
        }

        void resumeReading() {
            socket.resume();
        }

        void awaitReceived(String fragment) {
            Await.until(Duration.ofSeconds(5), () -> received().contains(fragment),
                    () -> "router never received " + fragment + "; got: " + received());
        }

        void awaitClosed() {
            Await.until(Duration.ofSeconds(5), this::closed, () -> "connection still open; got: " + received());
        }
    }
}
