package org.palaver.component;

import java.util.List;
import org.palaver.core.Outbox;
import org.palaver.metrics.NodeMetrics;
import org.palaver.xml.Element;
import org.palaver.xml.FanoutBytes;
import org.palaver.xml.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the core's output on a router connection: the one the triggering stanza arrived on while it
 * is authenticated (keeps a user's replies on the stream the router chose for that user), otherwise
 * any authenticated one. With none authenticated the output goes to the {@link OutputRelay} if there
 * is one (a cluster: another node writes it), otherwise it is dropped and logged. Output relayed
 * here by another node is written by {@link #writeRelayed} on an own connection or dropped, never
 * relayed again.
 */
final class RouterOutbox implements Outbox {
    private static final Logger log = LoggerFactory.getLogger(RouterOutbox.class);

    private static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private final List<ComponentConnection> connections;
    private final NodeMetrics metrics;
    private ComponentConnection preferred;
    private OutputRelay relay;
    private long dropped;
    /** When the last drop was logged (nano time; 0: never). */
    private long lastDropLog;
    private static final long DROP_LOG_INTERVAL_NS = 1_000_000_000L;

    RouterOutbox(List<ComponentConnection> connections, NodeMetrics metrics) {
        this.connections = connections;
        this.metrics = metrics;
    }

    /** Output that finds no authenticated connection goes to {@code relay} from now on. */
    void relayTo(OutputRelay relay) {
        this.relay = relay;
    }

    /** Output from now on prefers {@code connection} ({@code null}: no preference). */
    RouterOutbox via(ComponentConnection connection) {
        this.preferred = connection;
        return this;
    }

    @Override
    public void send(Element stanza) {
        if ("error".equals(stanza.attr("type"))) {
            metrics.errorStanzaOut(condition(stanza));
        }
        ComponentConnection target = target();
        if (target != null) {
            target.write(stanza);
        } else if (relay == null || !relay.send(stanza)) {
            drop(1, stanza);
        }
    }

    @Override
    public void fanout(Element template, List<Jid> recipients) {
        if (recipients.isEmpty()) {
            return;
        }
        metrics.fanout(recipients.size()); // once per broadcast: the copies are counted per write batch
        ComponentConnection target = target();
        if (target != null) {
            target.fanout(FanoutBytes.of(template), recipients);
        } else if (relay == null || !relay.fanout(template, recipients)) {
            drop(recipients.size(), template);
        }
    }

    /**
     * Writes another node's output (one stanza when {@code recipients} is {@code null}, else one
     * copy of {@code stanza} per recipient) on any authenticated connection; {@code false} if there
     * is none (the caller drops it: relaying it on could make it circle).
     */
    boolean writeRelayed(Element stanza, List<Jid> recipients) {
        ComponentConnection target = anyAuthenticated();
        if (target == null) {
            return false;
        }
        if (recipients == null) {
            target.write(stanza);
        } else if (!recipients.isEmpty()) {
            target.fanout(FanoutBytes.of(stanza), recipients);
        }
        return true;
    }

    /** The RFC 6120 condition of an error stanza, {@code null} if it has none (a legacy code only). */
    private static String condition(Element stanza) {
        Element error = stanza.child("error");
        Element condition = error == null ? null : error.childNs(STANZA_ERRORS);
        return condition == null ? null : condition.name();
    }

    private ComponentConnection target() {
        if (preferred != null && preferred.isAuthenticated()) {
            return preferred;
        }
        return anyAuthenticated();
    }

    private ComponentConnection anyAuthenticated() {
        for (ComponentConnection c : connections) {
            if (c.isAuthenticated()) {
                return c;
            }
        }
        return null;
    }

    private void drop(int copies, Element stanza) {
        dropped += copies;
        long now = System.nanoTime();
        if (now - lastDropLog < DROP_LOG_INTERVAL_NS && lastDropLog != 0) {
            return; // a stream lost under load drops thousands: one line a second says it
        }
        lastDropLog = now;
        log.warn("no authenticated router connection: dropped {} cop{} of {} ({} dropped so far)",
                copies, copies == 1 ? "y" : "ies", stanza, dropped);
    }

    long dropped() {
        return dropped;
    }
}
