package org.palaver.component;

import java.util.List;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * Where a node's output goes when none of its own router connections is authenticated: another
 * node of the cluster that writes it on its own connection (the router accepts the domain's output
 * on any of the domain's connections). A single node has none and drops such output.
 * Called on the node's event loop.
 */
public interface OutputRelay {
    /** Takes one stanza to be written elsewhere; {@code false}: nowhere to take it. */
    boolean send(Element stanza);

    /** Takes one broadcast (a template without {@code to}, one copy per recipient); {@code false}: nowhere to take it. */
    boolean fanout(Element template, List<Jid> recipients);
}
