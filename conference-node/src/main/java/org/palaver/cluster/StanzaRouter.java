package org.palaver.cluster;

import java.util.List;
import org.palaver.component.ComponentConnection;
import org.palaver.component.Ingress;
import org.palaver.ops.metrics.RefusedReason;
import org.palaver.xml.Element;
import org.palaver.xml.ElementCodec;
import org.palaver.xml.Jid;
import org.palaver.xml.StanzaBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides per stanza, on the node's event loop, whether this node applies it (it owns the room
 * under the {@link CurrentView}), holds it (the room is moving here and the change has not
 * settled), or forwards it to the owner. Stanzas to the service itself (no node in {@code to}) are
 * applied by the receiving node. With backups on, every stanza it applies also goes to
 * {@link Replication}.
 */
final class StanzaRouter implements Ingress {
    private static final Logger log = LoggerFactory.getLogger(StanzaRouter.class);
    /** A stanza relayed this often is circling between nodes that disagree on the view. */
    static final int MAX_HOPS = 8;

    private final LocalNode node;
    private final CurrentView view;
    private final NodeChannel channel;
    private final Fencing fencing;
    /** {@code null} with {@code <backups>0</backups>}. */
    private final Replication replication;
    private final StanzaBuffer<Held> held = new StanzaBuffer<>();
    /** Which forms every member reads: stanzas go in their parsed form once all do. */
    private final ClusterProtocol protocol;

    /** A stanza held back, with what is needed to route it again. */
    private record Held(Jid room, long epoch, int hops, Element stanza, byte[] bytes, ComponentConnection via) {
    }

    StanzaRouter(LocalNode node, CurrentView view, NodeChannel channel, Fencing fencing, Replication replication,
                 ClusterProtocol protocol) {
        this.node = node;
        this.protocol = protocol;
        this.view = view;
        this.channel = channel;
        this.fencing = fencing;
        this.replication = replication;
    }

    /** A stanza from the router. */
    @Override
    public void onStanza(ComponentConnection via, Element stanza) {
        if (fencing.closed()) {
            fencing.hold(() -> onStanza(via, stanza));
            return;
        }
        Jid to = node.jids().parse(stanza.attr("to"));
        if (to == null || !to.hasNode() || !to.domainIs(node.domain())) {
            node.core().handle(via, stanza); // the service itself, or for the core to refuse
            return;
        }
        route(to.roomKey(), view.now().epoch(), 0, stanza, null, via);
    }

    /** A stanza another node forwarded here ({@link NodeMessage.Type#STANZA}). */
    void forwarded(NodeMessage m) {
        node.metrics().forwardedIn();
        Jid room = node.jids().parse(m.key());
        if (room == null) {
            log.warn("dropped a forwarded stanza from {}: its room key {} is not a JID", m.sender(), m.key());
            return;
        }
        route(room, m.epoch(), m.hops() + 1, null, m.payload(), null);
    }

    /** A stanza another node forwarded here in its parsed form ({@link NodeMessage.Type#PARSED_STANZA}). */
    void forwardedParsed(NodeMessage m) {
        node.metrics().forwardedIn();
        Jid room = node.jids().parse(m.key());
        if (room == null) {
            log.warn("dropped a forwarded stanza from {}: its room key {} is not a JID", m.sender(), m.key());
            return;
        }
        Element stanza;
        try {
            stanza = ElementCodec.decode(m.payload(), node.limits());
        } catch (IllegalArgumentException e) {
            node.metrics().messageRefused(RefusedReason.BAD_PAYLOAD);
            log.warn("dropped a forwarded stanza for {} from {}: {} ({} bytes)", room, m.sender(), e.getMessage(),
                    m.payload().length);
            return;
        }
        route(room, m.epoch(), m.hops() + 1, stanza, null, null);
    }

    /**
     * Applies, holds or forwards one stanza for {@code room}, routed under {@code routedAt}.
     * Either {@code stanza} or {@code bytes} is given; the other is made only when needed.
     */
    private void route(Jid room, long routedAt, int hops, Element stanza, byte[] bytes, ComponentConnection via) {
        OwnershipView current = view.now();
        OwnershipView.Placement placement = current.placement(room);
        String owner = placement.owner();
        String self = node.self();
        if (owner == null || owner.equals(self) && view.moving(room)) {
            held.hold(room, routedAt < current.epoch(), new Held(room, routedAt, hops, stanza, bytes, via));
            node.metrics().stanzaHeld();
        } else if (owner.equals(self)) {
            Element e = stanza != null ? stanza : node.reader().read(bytes);
            if (e == null) {
                log.warn("dropped a forwarded stanza for {} that does not parse ({} bytes)", room, bytes.length);
            } else {
                apply(room, e, bytes, via, placement);
            }
        } else if (hops >= MAX_HOPS) {
            log.error("dropped a stanza for {}: relayed {} times, the nodes disagree on its owner (epoch {})",
                    room, hops, current.epoch());
        } else {
            channel.send(owner, forward(room.toString(), routedAt, hops, stanza, bytes));
            node.metrics().forwardedOut();
        }
    }

    /**
     * The stanza as a node message to its owner: in its parsed form when every member reads it (no
     * serialising here, no XML parsing there), else as XML ({@code bytes} when it came as XML).
     */
    private NodeMessage forward(String key, long routedAt, int hops, Element stanza, byte[] bytes) {
        String self = node.self();
        if (stanza != null && protocol.allSpeak(NodeMessage.PARSED_PROTOCOL)) {
            return new NodeMessage(NodeMessage.Type.PARSED_STANZA, routedAt, self, hops, key, ElementCodec.encode(stanza));
        }
        byte[] xml = bytes != null ? bytes : StanzaBytes.of(stanza);
        return new NodeMessage(NodeMessage.Type.STANZA, routedAt, self, hops, key, xml);
    }

    /**
     * Applies a stanza to a room this node owns; its backups (from the same ranking that named the
     * owner, {@code placement}) get the same stanza as bytes taken before the core runs.
     */
    private void apply(Jid room, Element stanza, byte[] bytes, ComponentConnection via,
                       OwnershipView.Placement placement) {
        if (replication == null) {
            node.core().handle(via, stanza);
            return;
        }
        boolean parsed = protocol.allSpeak(NodeMessage.PARSED_PROTOCOL);
        byte[] change = parsed ? ElementCodec.encode(stanza) : bytes != null ? bytes : StanzaBytes.of(stanza);
        channel.openTurn(); // the delta leaves before this turn's router write
        replication.applied(room, node.core().handle(via, stanza), change, parsed, placement);
    }

    /** How many stanzas are held. */
    int heldCount() {
        return held.size();
    }

    /** Routes everything held again, under the current view; returns how many. */
    int releaseHeld() {
        List<Held> all = held.drain();
        all.forEach(h -> route(h.room(), h.epoch(), h.hops(), h.stanza(), h.bytes(), h.via()));
        return all.size();
    }
}
