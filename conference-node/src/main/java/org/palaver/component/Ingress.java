package org.palaver.component;

import org.palaver.xml.Element;

/**
 * Where a node's inbound stanzas go after parsing. On a single node that is the local core
 * ({@link #local}); in a cluster the cluster layer decides per room whether the local core or
 * another node applies the stanza. Called on the node's event loop, in arrival order.
 */
@FunctionalInterface
public interface Ingress {
    void onStanza(ComponentConnection via, Element stanza);

    /** Builds the ingress once the node's core exists (on the node's event loop, in start()). */
    @FunctionalInterface
    interface Factory {
        Ingress create(LocalCore core);
    }

    /** Every stanza to the local core: the single-node behaviour. */
    static Factory local() {
        return core -> core::handle;
    }
}
