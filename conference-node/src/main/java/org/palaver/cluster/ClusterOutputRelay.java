package org.palaver.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.palaver.component.LocalCore;
import org.palaver.component.OutputRelay;
import org.palaver.metrics.ClusterMetrics;
import org.palaver.metrics.RefusedReason;
import org.palaver.xml.Element;
import org.palaver.xml.ElementReader;
import org.palaver.xml.Jid;
import org.palaver.xml.JidCache;
import org.palaver.xml.StanzaBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Output relay between nodes: while this node has no authenticated router connection, its core's
 * output goes in OUTPUT messages to one peer ({@link #peer}), which writes it unchanged on its own
 * router connection; and OUTPUT messages from peers are written here. A peer whose router is down
 * too drops what it receives (logged, counted): output is relayed at most once, so it never circles.
 *
 * <p>All output of this node goes to the same peer while the membership stays the same, so it keeps
 * its order (the event bus keeps the order between two nodes). Runs on the node's context.
 */
final class ClusterOutputRelay implements OutputRelay {
    private static final Logger log = LoggerFactory.getLogger(ClusterOutputRelay.class);

    private final LocalCore core;
    private final String self;
    private final CurrentView view;
    private final ClusterMetrics metrics;
    private final ElementReader reader;
    private final JidCache jids;
    private final BiConsumer<String, NodeMessage> send;
    private String lastPeer;
    private long dropped;

    ClusterOutputRelay(LocalNode node, CurrentView view, BiConsumer<String, NodeMessage> send) {
        this.core = node.core();
        this.self = node.self();
        this.view = view;
        this.metrics = node.metrics();
        this.reader = node.reader();
        this.jids = node.jids();
        this.send = send;
    }

    /**
     * The node to relay {@code self}'s output to: among the members of the ownership view still in
     * the cluster (a node joins the view only once its router connection is up), the next one after
     * {@code self} in id order, wrapping around, so that several cut-off nodes spread over their
     * peers; {@code null} if there is none.
     */
    static String peer(String self, Collection<String> viewMembers, Collection<String> clusterMembers) {
        Set<String> live = Set.copyOf(clusterMembers);
        String first = null;
        String next = null;
        for (String m : viewMembers) {
            if (m.equals(self) || !live.contains(m)) {
                continue;
            }
            if (first == null || m.compareTo(first) < 0) {
                first = m;
            }
            if (m.compareTo(self) > 0 && (next == null || m.compareTo(next) < 0)) {
                next = m;
            }
        }
        return next != null ? next : first;
    }

    @Override
    public boolean send(Element stanza) {
        return relay(RelayedOutput.single(StanzaBytes.of(stanza)));
    }

    @Override
    public boolean fanout(Element template, List<Jid> recipients) {
        List<String> to = new ArrayList<>(recipients.size());
        recipients.forEach(r -> to.add(r.toString()));
        return relay(new RelayedOutput(to, StanzaBytes.of(template)));
    }

    private boolean relay(RelayedOutput output) {
        String peer = peer(self, view.now().members(), view.members());
        if (peer == null) {
            return false;
        }
        if (!peer.equals(lastPeer)) {
            log.warn("no authenticated router connection: relaying this node's output through {}", peer);
            lastPeer = peer;
        }
        send.accept(peer, NodeMessage.about(NodeMessage.Type.OUTPUT, view.now().epoch(), self, "", output.encode()));
        metrics.outputRelayedOut(output.copies());
        return true;
    }

    /** An OUTPUT message from {@code m.sender()}: written on this node's router connection, or dropped. */
    void onMessage(NodeMessage m) {
        RelayedOutput output;
        try {
            output = RelayedOutput.decode(m.payload());
        } catch (IllegalArgumentException e) {
            metrics.messageRefused(RefusedReason.BAD_PAYLOAD);
            log.warn("refused output relayed by {}: {}", m.sender(), e.getMessage());
            return;
        }
        Element stanza = reader.read(output.stanza());
        List<Jid> recipients = recipients(output.recipients());
        if (stanza == null || output.recipients() != null && recipients == null) {
            metrics.messageRefused(RefusedReason.BAD_PAYLOAD);
            log.warn("refused output relayed by {} that does not parse ({} bytes)", m.sender(), output.stanza().length);
            return;
        }
        if (core.writeRelayed(stanza, recipients)) {
            metrics.outputRelayedIn(output.copies());
        } else {
            dropped += output.copies();
            metrics.outputRelayDropped(output.copies());
            log.warn("no authenticated router connection here either: dropped {} cop{} of output relayed by {}"
                    + " ({} dropped so far)", output.copies(), output.copies() == 1 ? "y" : "ies", m.sender(), dropped);
        }
    }

    /** The recipients parsed; {@code null} if there are none to parse or one does not parse. */
    private List<Jid> recipients(List<String> names) {
        if (names == null) {
            return null;
        }
        List<Jid> parsed = new ArrayList<>(names.size());
        for (String n : names) {
            Jid j = jids.parse(n);
            if (j == null) {
                return null;
            }
            parsed.add(j);
        }
        return parsed;
    }
}
