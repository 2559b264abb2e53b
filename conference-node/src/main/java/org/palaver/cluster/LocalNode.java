package org.palaver.cluster;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.palaver.component.LocalCore;
import org.palaver.metrics.ClusterMetrics;
import org.palaver.xml.ElementReader;
import org.palaver.xml.JidCache;
import org.palaver.xml.XmlLimits;

/**
 * This node as the parts of its cluster shell ({@link ClusterRouting}) see it: fixed for the
 * node's life and shared by all of them. Everything here is used on the node's event loop.
 *
 * @param vertx   the node's Vert.x (timers)
 * @param context the node's context, which every part of the shell runs on
 * @param core    the node's core
 * @param self    this node's id in the cluster
 * @param domain  the service's domain, lower-cased
 * @param metrics the cluster metrics
 * @param jids    parses room keys and JIDs (one cache for the whole shell)
 * @param reader  parses stanzas that arrive as bytes from other nodes
 * @param limits  the inbound limits, which stanzas from other nodes are held to as well
 */
record LocalNode(Vertx vertx, Context context, LocalCore core, String self, String domain, ClusterMetrics metrics,
                 JidCache jids, ElementReader reader, XmlLimits limits) {
}
