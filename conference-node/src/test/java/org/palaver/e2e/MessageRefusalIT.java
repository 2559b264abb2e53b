package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.presenceFrom;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.palaver.testkit.Await;

/**
 * A node refuses what it cannot read from another node (docs/compatibility.md, "Messages a node
 * cannot read"): garbage, a message of a type it does not know (as a newer node might send), and
 * known types whose payload does not decode are each counted by reason in
 * {@code palaver_cluster_messages_refused_total}; the node changes nothing, stays ready, and the
 * room it owns goes on working with everyone in it.
 */
class MessageRefusalIT {
    @RegisterExtension
    static final ClusterStack stack = new ClusterStack();
    /** Wire codes of NodeMessage.Type (the enum order is the wire format, docs/compatibility.md). */
    private static final int HANDOFF = 1;
    private static final int DELTA = 5;
    private static final int OUTPUT = 9;
    private static final int NOT_A_TYPE_YET = 200;

    @Test
    void unreadableMessagesAreRefusedCountedAndTheNodeServesOn() throws Exception {
        ClusterStack.Member a = stack.startNode();
        ClusterStack.Member b = stack.startNode();
        String room = stack.roomOwnedBy(b, "refusal");
        SmackClient alice = stack.login("u01", "refusal");
        SmackClient bob = stack.login("u02", "refusal");
        alice.presence(room + "/alice");
        alice.await(presenceFrom(room + "/alice"), "alice's join");
        bob.presence(room + "/bob");
        bob.await(presenceFrom(room + "/bob"), "bob's join");
        double participants = b.gauge("palaver.participants");

        String to = "palaver.node." + b.node().id();
        String from = a.node().id();
        long epoch = a.node().view().epoch();
        var bus = a.node().vertx().eventBus();
        bus.send(to, Buffer.buffer("hello, this is no node message"));
        bus.send(to, message(NOT_A_TYPE_YET, epoch, from, room, new byte[] {1, 2, 3}));
        bus.send(to, message(HANDOFF, epoch, from, room, "not a room state".getBytes(StandardCharsets.UTF_8)));
        bus.send(to, message(DELTA, epoch, from, room, new byte[] {0, 1, 2}));
        bus.send(to, message(OUTPUT, epoch, from, "", new byte[] {0, 0}));

        Await.until(ClusterStack.WAIT, () -> refused(b, "malformed") == 1 && refused(b, "unknown-type") == 1
                        && refused(b, "bad-payload") == 3,
                () -> "refused: malformed " + refused(b, "malformed") + ", unknown-type " + refused(b, "unknown-type")
                        + ", bad-payload " + refused(b, "bad-payload"));
        assertEquals(0.0, refused(a, "malformed") + refused(a, "unknown-type") + refused(a, "bad-payload"),
                "the sender refused nothing");

        assertTrue(b.node().ready(), "still ready");
        assertEquals(1.0, b.rooms(), "the room is still held by its owner, once");
        assertEquals(participants, b.gauge("palaver.participants"), "nobody removed");
        alice.say(room, "still here?");
        bob.await(Received.groupchat(room + "/alice", "still here?"), "alice's message after the refusals");
        bob.say(room, "yes");
        alice.await(Received.groupchat(room + "/bob", "yes"), "bob's answer");
    }

    /** The NodeMessage wire form (magic, version 1, type, hops, epoch, sender, key, payload). */
    private static Buffer message(int type, long epoch, String sender, String key, byte[] payload) {
        byte[] s = sender.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer().appendByte((byte) 'P').appendByte((byte) 1).appendByte((byte) type).appendByte((byte) 0)
                .appendLong(epoch).appendShort((short) s.length).appendBytes(s).appendShort((short) k.length)
                .appendBytes(k).appendInt(payload.length).appendBytes(payload);
    }

    private static double refused(ClusterStack.Member m, String reason) {
        Counter c = m.registry().find("palaver.cluster.messages.refused").tag("reason", reason).counter();
        return c == null ? Double.NaN : c.count();
    }
}
