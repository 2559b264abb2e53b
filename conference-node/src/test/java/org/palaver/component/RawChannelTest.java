package org.palaver.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The raw socket view works with the Vert.x we ship: the start-up check passes and bytes round-trip. */
class RawChannelTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void startUpCheckPassesOnALoopbackConnection() throws Exception {
        RawChannel.verify(vertx).await(10, TimeUnit.SECONDS);
    }

    @Test
    void bytesWrittenRawArriveRaw() throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        NetServer server = vertx.createNetServer().connectHandler(socket -> RawChannel.of(socket).onMessage(msg -> {
            try {
                text.append(((ByteBuf) msg).toString(StandardCharsets.UTF_8));
                if (text.indexOf("</presence>") >= 0) {
                    received.complete(text.toString());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }));
        int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
        String stanza = "<presence to='lounge@conference.localhost/alice'></presence>";
        vertx.createNetClient().connect(port, "127.0.0.1").onSuccess(client -> { // on the socket's event loop
            RawChannel raw = RawChannel.of(client);
            ByteBuf chunk = raw.allocator().directBuffer();
            chunk.writeCharSequence(stanza, StandardCharsets.UTF_8);
            raw.write(chunk);
        }).onFailure(received::completeExceptionally);
        assertEquals(stanza, received.get(10, TimeUnit.SECONDS));
    }
}
