package org.palaver.component;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * The one place that uses Vert.x's internal {@link StreamChannelInternal} view of a TCP socket:
 * Netty {@link ByteBuf}s in and out of a router socket without Vert.x's copies (the parser reads
 * inbound buffers in place, {@link WriteBatch} writes pooled direct chunks that Netty releases once
 * sent; Vert.x's public {@code write(Buffer)} would pin them).
 *
 * <p>The interface is internal to Vert.x and may change with any release. {@link #verify} checks
 * at start-up, on a real loopback connection, that Vert.x's TCP client sockets still offer it, so an
 * upgrade that breaks it stops the node with a message saying so instead of failing every
 * connection attempt later.
 */
final class RawChannel {
    private final StreamChannelInternal channel;

    private RawChannel(StreamChannelInternal channel) {
        this.channel = channel;
    }

    /** The raw view of a Vert.x TCP socket; {@link IllegalStateException} when Vert.x no longer offers it. */
    static RawChannel of(NetSocket socket) {
        if (socket instanceof StreamChannelInternal channel) {
            return new RawChannel(channel);
        }
        throw new IllegalStateException(unsupported(socket));
    }

    /**
     * Connects a Vert.x client to a loopback listener of the JDK's own (never one of Vert.x's
     * servers, which share ports within a Vert.x instance and could hand the test connection to a
     * real one) and takes the raw view of the client socket; fails with a message naming the
     * Vert.x socket class when that is no longer possible. Everything it opens is closed before
     * the returned future completes.
     */
    static Future<Void> verify(Vertx vertx) {
        ServerSocketChannel listener;
        try {
            listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            return Future.failedFuture(new IllegalStateException("cannot open a loopback listener to check the"
                    + " router connection's zero-copy path: " + e, e));
        }
        int port = listener.socket().getLocalPort();
        NetClient client = vertx.createNetClient();
        return client.connect(port, InetAddress.getLoopbackAddress().getHostAddress())
                .compose(socket -> {
                    try {
                        of(socket);
                    } finally {
                        socket.close();
                    }
                    return Future.<Void>succeededFuture();
                })
                .eventually(() -> client.close())
                .eventually(() -> {
                    try {
                        listener.close();
                    } catch (IOException e) {
                        // nothing was accepted on it; the port is released with the process at worst
                    }
                    return Future.succeededFuture();
                });
    }

    private static String unsupported(NetSocket socket) {
        String version = Vertx.class.getPackage().getImplementationVersion();
        return "this Vert.x (" + (version == null ? "version unknown" : version) + ") no longer offers "
                + StreamChannelInternal.class.getName() + " on its TCP sockets (" + socket.getClass().getName()
                + "); the router connection's zero-copy path (RawChannel) must be adapted to it";
    }

    /** The allocator of the socket's Netty channel (pooled, direct). */
    ByteBufAllocator allocator() {
        return channel.channelHandlerContext().alloc();
    }

    /** Writes a Netty buffer as it is; Netty releases it once sent. */
    Future<Void> write(ByteBuf data) {
        return channel.writeMessage(data);
    }

    /** Hands every inbound Netty message (a {@link ByteBuf} for TCP data) to {@code handler}, uncopied. */
    void onMessage(Handler<Object> handler) {
        channel.messageHandler(handler);
    }
}
