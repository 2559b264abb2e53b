package org.palaver.app;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;

/**
 * The router side of the start-up {@link Warmup}: a loopback XEP-0114 listener that accepts the
 * throw-away node's stream (any handshake), then plays a scripted groupchat load and discards what
 * the node writes back.
 *
 * <p>The script: simulated users join rooms of {@link #ROOM_SIZES} (every {@link #MUC_EVERY}th with
 * the MUC {@code <x/>}), then groupchat messages alternate between a batch regime (large writes as
 * fast as the node reads them) and a burst regime (1 to 3 stanzas per 1 ms tick), and at the end
 * everybody leaves. Both regimes matter: the compiler then sees both kinds of reads and writes
 * before live traffic arrives.
 */
final class WarmupRouter {
    static final String SECRET = "warm-up";
    /** Occupants per room: small, medium and large fan-outs. */
    static final int[] ROOM_SIZES = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 50, 200};
    static final int MUC_EVERY = 7;
    static final long BATCH_PHASE_MS = 250;
    static final long BURST_PHASE_MS = 150;
    /** Time kept at the end for the leaves. */
    static final long LEAVE_MS = 100;
    static final int BATCH_MESSAGES = 100;
    private static final String USER_DOMAIN = "users.warmup.invalid";
    private static final String CLOSE = "</stream:stream>";

    private final Vertx vertx;
    private final String domain;
    private final long durationMs;
    private final String tag;
    private final Promise<Void> finished = Promise.promise();
    /** The script starts once the node is authenticated and this completes ({@link #release}). */
    private final Promise<Void> released = Promise.promise();
    private final int users;
    private NetServer server;
    private NetSocket sock;
    private final StringBuilder preamble = new StringBuilder();
    private boolean authenticated;
    /** Whether the node has written anything since the handshake: its first answer to the joins. */
    private boolean answered;
    private long start;
    private long timer = -1;
    private long seq;
    private long stanzasSent;
    private long bytesReceived;

    WarmupRouter(Vertx vertx, String domain, long durationMs) {
        this(vertx, domain, durationMs, "");
    }

    /**
     * @param tag set into its users' names and nicks, so that the users of two routers (the cluster
     *            warm-up's two nodes) share rooms as different occupants
     */
    WarmupRouter(Vertx vertx, String domain, long durationMs, String tag) {
        this.vertx = vertx;
        this.domain = domain;
        this.tag = tag;
        this.durationMs = durationMs;
        int n = 0;
        for (int size : ROOM_SIZES) {
            n += size;
        }
        this.users = n;
    }

    /** Listens on an ephemeral loopback port; completes with the port. */
    Future<Integer> listen() {
        server = vertx.createNetServer();
        server.connectHandler(this::accepted);
        return server.listen(0, "127.0.0.1").map(NetServer::actualPort);
    }

    /** Lets the script start once the node is authenticated (the cluster warm-up: once its view has settled). */
    void release() {
        released.tryComplete();
    }

    /** Completes when the script has run (or the node closed the stream). */
    Future<Void> finished() {
        return finished.future();
    }

    long stanzasSent() {
        return stanzasSent;
    }

    long bytesReceived() {
        return bytesReceived;
    }

    private void accepted(NetSocket s) {
        if (sock != null) {
            s.close(); // one stream only
            return;
        }
        sock = s;
        s.setWriteQueueMaxSize(256 * 1024);
        s.handler(this::received);
        s.closeHandler(v -> done());
        s.write("<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns='jabber:component:accept' from='" + domain + "' id='warmup'>");
    }

    private void received(Buffer data) {
        bytesReceived += data.length();
        if (authenticated && !answered) {
            answered = true;
            start = System.nanoTime(); // the script's time runs from the node's first answer
        }
        if (!authenticated) {
            preamble.append(data.toString(StandardCharsets.UTF_8));
            if (preamble.indexOf("</handshake>") >= 0) {
                authenticated = true;
                sock.write("<handshake/>");
                if (released.future().isComplete()) {
                    begin();
                } else {
                    Context context = vertx.getOrCreateContext();
                    released.future().onComplete(ar -> context.runOnContext(v -> begin()));
                }
            }
        } else if (data.length() >= CLOSE.length()
                && data.getString(data.length() - CLOSE.length(), data.length()).equals(CLOSE)) {
            sock.close(); // the node is stopping: answer its close like a router
        }
    }

    private void begin() {
        start = System.nanoTime();
        StringBuilder joins = new StringBuilder();
        forEachUser((i, room, occupant) -> joins.append("<presence from='").append(user(i)).append("' to='")
                .append(room(room)).append('/').append("n").append(tag).append(occupant).append("'>")
                .append(i % MUC_EVERY == 0 ? "<x xmlns='http://jabber.org/protocol/muc'/>" : "")
                .append("</presence>"));
        send(joins, users);
        timer = vertx.setPeriodic(1, id -> tick());
    }

    /** One 1 ms tick: a batch (when the node keeps up) or a burst, then the leaves at the end. */
    private void tick() {
        if (!answered) {
            return; // the node is still busy with the joins (on a loaded machine: loading classes)
        }
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        if (elapsed >= durationMs - LEAVE_MS) {
            vertx.cancelTimer(timer);
            leaveAll();
            vertx.setTimer(Math.max(1, durationMs - elapsed), id -> done());
            return;
        }
        boolean batchPhase = elapsed % (BATCH_PHASE_MS + BURST_PHASE_MS) < BATCH_PHASE_MS;
        if (batchPhase) {
            if (!sock.writeQueueFull()) {
                messages(BATCH_MESSAGES);
            }
        } else {
            messages(1 + (int) (seq % 3));
        }
    }

    private void messages(int count) {
        StringBuilder sb = new StringBuilder(count * 160);
        for (int k = 0; k < count; k++) {
            long n = seq++;
            int i = (int) ((n * 7919) % users); // spread over rooms and senders
            int room = roomOf(i);
            sb.append("<message type='groupchat' from='").append(user(i)).append("' to='").append(room(room))
                    .append("' id='w").append(n).append("'><body>warm-up ").append(n).append("</body></message>");
        }
        send(sb, count);
    }

    private void leaveAll() {
        StringBuilder leaves = new StringBuilder();
        forEachUser((i, room, occupant) -> leaves.append("<presence type='unavailable' from='").append(user(i))
                .append("' to='").append(room(room)).append("/n").append(tag).append(occupant).append("'/>"));
        send(leaves, users);
    }

    private void send(CharSequence stanzas, int count) {
        stanzasSent += count;
        sock.write(Buffer.buffer(stanzas.toString()));
    }

    private void done() {
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
        finished.tryComplete(); // the server and socket close with the warm-up's Vert.x
    }

    @FunctionalInterface
    private interface UserVisitor {
        void visit(int user, int room, int occupant);
    }

    private static void forEachUser(UserVisitor v) {
        int i = 0;
        for (int r = 0; r < ROOM_SIZES.length; r++) {
            for (int j = 0; j < ROOM_SIZES[r]; j++) {
                v.visit(i++, r, j);
            }
        }
    }

    private static int roomOf(int user) {
        int first = 0;
        for (int r = 0; r < ROOM_SIZES.length; r++) {
            first += ROOM_SIZES[r];
            if (user < first) {
                return r;
            }
        }
        throw new IllegalArgumentException("no user " + user);
    }

    private String user(int i) {
        return "w" + tag + i + "@" + USER_DOMAIN + "/r";
    }

    private String room(int r) {
        return "warmup" + r + "@" + domain;
    }
}
