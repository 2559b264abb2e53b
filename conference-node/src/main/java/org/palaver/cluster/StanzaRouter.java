package org.palaver.cluster;

import java.util.ArrayList;
import java.util.List;
import org.palaver.component.ComponentConnection;
import org.palaver.component.Ingress;
import org.palaver.metrics.RefusedReason;
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
    /**
     * Longest wait of a stanza come back from a peer for that peer's next marker or this node's
     * next view; then it is routed again anyway (two views disagree for milliseconds).
     */
    static final long BOUNCE_WAIT_MS = 500;

    private final LocalNode node;
    private final CurrentView view;
    private final NodeChannel channel;
    private final Fencing fencing;
    /** {@code null} with {@code <backups>0</backups>}. */
    private final Replication replication;
    /** Numbers what this node forwards and drops what a room applied already. */
    private final Resend resend;
    private final StanzaBuffer<Routed> held = new StanzaBuffer<>();
    /** Stanzas a peer relayed here for a room this node's view says the peer owns: the views disagree for now. */
    private final BouncedStanzas<Routed> bounced = new BouncedStanzas<>();
    /** The epoch whose successor stanzas wait for, with the fallback timer armed; -1: none. */
    private long waitingAt = -1;
    /** Which forms every member reads: stanzas go in their parsed form once all do. */
    private final ClusterProtocol protocol;

    /**
     * A stanza being routed for {@code room}, routed under {@code epoch}, with what is needed to
     * route it again should it be held. Either {@code stanza} or {@code bytes} (its XML) is given;
     * the other is made only when needed. {@code form}, when not null, is the stanza's parsed form
     * as it arrived: forwarded again or sent to the backups as it is, not encoded anew.
     * {@code mark} names a forwarded stanza ({@link Resend}); null for one accepted here and not
     * forwarded yet (or unnumbered). {@code from}: the peer that relayed it here; null when it came
     * from the router or is routed again here.
     */
    private record Routed(Jid room, long epoch, int hops, Element stanza, byte[] bytes, byte[] form,
                          ComponentConnection via, NodeMessage.Mark mark, String from) {
        /** The same stanza as this node routes it again: no longer relayed by a peer. */
        Routed again() {
            return from == null ? this : new Routed(room, epoch, hops, stanza, bytes, form, via, mark, null);
        }
    }

    StanzaRouter(LocalNode node, CurrentView view, NodeChannel channel, Fencing fencing, Replication replication,
                 Resend resend, ClusterProtocol protocol) {
        this.resend = resend;
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
        route(new Routed(to.roomKey(), view.now().epoch(), 0, stanza, null, null, via, null, null));
    }

    /** A stanza another node forwarded here ({@link NodeMessage.Type#STANZA}). */
    void forwarded(NodeMessage m) {
        node.metrics().forwardedIn();
        Jid room = node.jids().parse(m.key());
        if (room == null) {
            log.warn("dropped a forwarded stanza from {}: its room key {} is not a JID", m.sender(), m.key());
            return;
        }
        route(new Routed(room, m.epoch(), m.hops() + 1, null, m.payload(), null, null, m.mark(), m.sender()));
    }

    /** Routes anew, under the current view and with their marks, stanzas this node forwarded to a node that crashed. */
    void resend(List<ForwardLedger.Entry> entries) {
        for (ForwardLedger.Entry e : entries) {
            Jid room = node.jids().parse(e.room());
            if (room != null) {
                // under the epoch it was first routed under: what this node held since carries that one or a
                // newer one, and the new owner releases older epochs first (StanzaBuffer)
                Element stanza = e.parsed() ? ElementCodec.decode(e.bytes(), node.limits()) : null;
                route(new Routed(room, e.routedAt(), 0, stanza, e.parsed() ? null : e.bytes(),
                        e.parsed() ? e.bytes() : null, null, new NodeMessage.Mark(node.self(), e.seq()), null));
            }
        }
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
        route(new Routed(room, m.epoch(), m.hops() + 1, stanza, null, m.payload(), null, m.mark(), m.sender()));
    }

    /**
     * Applies, holds or forwards one stanza. A stanza for a room whose owner has left the cluster
     * waits for the view without it (nothing is sent into the void); one that its peer routed by a
     * newer view waits for that view ({@link #waitForNewerView}); one its peer would get straight
     * back waits until the two views agree ({@link BouncedStanzas}).
     */
    private void route(Routed r) {
        Jid room = r.room();
        OwnershipView current = view.now();
        OwnershipView.Placement placement = current.placement(room);
        String owner = placement.owner();
        String self = node.self();
        if (owner == null || owner.equals(self) && view.moving(room) || !owner.equals(self) && resend.departed(owner)) {
            held.hold(room, r.epoch() < current.epoch(), r.again());
            node.metrics().stanzaHeld();
        } else if (owner.equals(self)) {
            Element e = r.stanza() != null ? r.stanza() : node.reader().read(r.bytes());
            if (e == null) {
                log.warn("dropped a forwarded stanza for {} that does not parse ({} bytes)", room, r.bytes().length);
            } else {
                apply(room, e, r.bytes(), r.form(), r.via(), placement, r.mark());
            }
        } else if (r.from() != null && r.epoch() >= current.epoch()) {
            waitForNewerView(r, current);
        } else if (owner.equals(r.from())) {
            if (bounced.hold(owner, r.again())) {
                log.info("{} relayed a stanza for {} here, which it owns under epoch {}: held until one of the two"
                        + " moves on to the other's view", owner, room, current.epoch());
                long at = current.epoch();
                node.vertx().setTimer(BOUNCE_WAIT_MS, id -> {
                    if (bounced.size() > 0 && view.now().epoch() == at && !fencing.up()) {
                        releaseBounced(owner);
                    }
                });
            }
            node.metrics().stanzaHeld();
        } else if (r.hops() >= MAX_HOPS) {
            log.error("dropped a stanza for {}: relayed {} times, the nodes disagree on its owner (epoch {})",
                    room, r.hops(), current.epoch());
        } else {
            channel.send(owner, forward(room.toString(), owner, r));
            node.metrics().forwardedOut();
        }
    }

    /**
     * {@code from} routed this stanza by a newer view than this node's: it came with a newer epoch,
     * or with this one although this view gives the room to another node (a resend keeps the epoch
     * it was first routed under). Relayed by this older view, it could go to a node the sender
     * already knows has crashed, and be lost there: the sender waits for an acknowledgement from
     * the owner it sent it to, and resends only if that one crashes. So it waits for this node's
     * next view (a few milliseconds: each node learns a view from its own Hazelcast event), and the
     * sender's later stanzas wait behind it, so none of them can be applied first and make it look
     * applied already. Should no view come within {@value #BOUNCE_WAIT_MS} ms it is routed anyway.
     */
    private void waitForNewerView(Routed h, OwnershipView current) {
        held.hold(h.room(), false, h);
        node.metrics().stanzaHeld();
        if (waitingAt == current.epoch()) {
            return;
        }
        waitingAt = current.epoch();
        log.info("{} routes by a view newer than epoch {} (a stanza for {}): stanzas from it wait for that view",
                h.from(), current.epoch(), h.room());
        node.vertx().setTimer(BOUNCE_WAIT_MS, id -> {
            if (view.now().epoch() != current.epoch()) {
                return; // the newer view came: what waited was routed by it
            }
            waitingAt = -1;
            if (!fencing.up() && !held.isEmpty()) {
                log.warn("no view newer than epoch {} came within {} ms although {} routes by one: routing {} held"
                        + " stanza(s) by this one", current.epoch(), BOUNCE_WAIT_MS, h.from(), held.size());
                release(false);
            }
        });
    }

    /**
     * The stanza as a node message to its owner: in its parsed form when every member reads it (no
     * serialising here, no XML parsing there), else as XML ({@code bytes} when it came as XML).
     */
    private NodeMessage forward(String key, String owner, Routed r) {
        String self = node.self();
        boolean parsed = r.stanza() != null && protocol.allSpeak(NodeMessage.PARSED_PROTOCOL);
        byte[] payload = parsed ? parsedForm(r.stanza(), r.form())
                : r.bytes() != null ? r.bytes() : StanzaBytes.of(r.stanza());
        NodeMessage.Mark named = resend.forwarding(key, payload, parsed, owner, r.mark(), r.epoch());
        return new NodeMessage(parsed ? NodeMessage.Type.PARSED_STANZA : NodeMessage.Type.STANZA, r.epoch(), self,
                r.hops(), key, payload, named == null ? List.of() : List.of(named));
    }

    /**
     * Applies a stanza to a room this node owns; its backups (from the same ranking that named the
     * owner, {@code placement}) get the same stanza as bytes taken before the core runs. A stanza
     * named by a {@code mark} that the room has applied already (a resend) is dropped.
     */
    private void apply(Jid room, Element stanza, byte[] bytes, byte[] form, ComponentConnection via,
                       OwnershipView.Placement placement, NodeMessage.Mark mark) {
        String key = room.toString();
        if (!resend.admit(key, mark)) {
            return;
        }
        if (replication == null) {
            node.core().handle(via, stanza);
            if (mark != null) {
                resend.held(key, List.of(mark));
            }
            return;
        }
        boolean parsed = protocol.allSpeak(NodeMessage.PARSED_PROTOCOL);
        byte[] change = parsed ? parsedForm(stanza, form) : bytes != null ? bytes : StanzaBytes.of(stanza);
        channel.openTurn(); // the delta leaves before this turn's router write
        replication.applied(room, node.core().handle(via, stanza), change, parsed, placement, mark);
    }

    /**
     * The stanza's parsed form: the bytes it arrived in when it came from another node (they
     * decode to this very element, as it is before the core runs), else encoded now. Half of a
     * 2-node cluster's stanzas are forwarded ones, so this saves an encode for each of them.
     */
    private static byte[] parsedForm(Element stanza, byte[] form) {
        return form != null ? form : ElementCodec.encode(stanza);
    }

    /** How many stanzas are held (for rooms moving here, and come back from a peer). */
    int heldCount() {
        return held.size() + bounced.size();
    }

    /** Routes everything held again, under the current view; returns how many. */
    int releaseHeld() {
        return release(true);
    }

    /**
     * Routes everything held again; {@code stillAhead}: a stanza whose sender routed it by a newer
     * view than this node's waits again should that view still not be here.
     */
    private int release(boolean stillAhead) {
        List<Routed> all = new ArrayList<>(bounced.releaseAll());
        all.addAll(held.drain());
        all.forEach(r -> route(stillAhead ? r : r.again()));
        return all.size();
    }

    /**
     * {@code peer} has moved on (its handoff marker arrived, or it left): what it relayed here
     * while the two views disagreed is routed again, before the marker is answered.
     */
    void releaseBounced(String peer) {
        bounced.release(peer).forEach(this::route); // held as routed again here (Routed.again)
    }
}
