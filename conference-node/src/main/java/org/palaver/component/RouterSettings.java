package org.palaver.component;

import java.util.Objects;
import org.palaver.xml.XmlLimits;

/**
 * How a node reaches its router (already validated by the configuration loader).
 *
 * @param host             router address
 * @param port             router port for XEP-0114 components
 * @param domain           the component domain: the {@code to} of the stream header
 * @param secret           the router's {@code <local><secret>}
 * @param connections      streams this node opens for the domain (jabberd2 spreads users over them)
 * @param reconnectMinMs   first reconnect delay
 * @param reconnectMaxMs   longest reconnect delay
 * @param writeQueueBytes  bytes queued on a socket before reading from it pauses (back-pressure)
 * @param turnBudgetBytes  bytes queued on a socket at which the node stops handling the stanzas of a
 *                         read until the router has taken half of them (output per event-loop turn)
 * @param xmlLimits        limits applied to what the router sends
 */
public record RouterSettings(String host, int port, String domain, String secret, int connections,
                             long reconnectMinMs, long reconnectMaxMs, int writeQueueBytes,
                             int turnBudgetBytes, XmlLimits xmlLimits) {

    /** Default of {@link #turnBudgetBytes}: 1 MiB. */
    public static final int DEFAULT_TURN_BUDGET_BYTES = 1 << 20;

    /** Settings with the default turn budget. */
    public RouterSettings(String host, int port, String domain, String secret, int connections,
                          long reconnectMinMs, long reconnectMaxMs, int writeQueueBytes, XmlLimits xmlLimits) {
        this(host, port, domain, secret, connections, reconnectMinMs, reconnectMaxMs, writeQueueBytes,
                DEFAULT_TURN_BUDGET_BYTES, xmlLimits);
    }

    public RouterSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(xmlLimits, "xmlLimits");
        if (turnBudgetBytes < 1) {
            throw new IllegalArgumentException("turnBudgetBytes must be positive");
        }
    }

    /** {@code host:port}, as the log lines print it. */
    public String address() {
        return host + ":" + port;
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "RouterSettings[" + address() + " as " + domain + ", " + connections
                + " connection(s), reconnect " + reconnectMinMs + ".." + reconnectMaxMs
                + " ms, write queue " + writeQueueBytes + " bytes, turn budget " + turnBudgetBytes + " bytes, " + xmlLimits + "]";
    }
}
