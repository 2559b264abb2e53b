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
 * @param xmlLimits        limits applied to what the router sends
 */
public record RouterSettings(String host, int port, String domain, String secret, int connections,
                             long reconnectMinMs, long reconnectMaxMs, int writeQueueBytes,
                             XmlLimits xmlLimits) {

    public RouterSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(xmlLimits, "xmlLimits");
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
                + " ms, write queue " + writeQueueBytes + " bytes, " + xmlLimits + "]";
    }
}
