package org.palaver.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.nio.ConnectionListener;
import com.hazelcast.internal.server.ServerConnection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.palaver.metrics.ClusterMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a crashed member within about a second rather than after Hazelcast's failure detection
 * ({@code hazelcast.max.no.heartbeat.seconds}; docs/architecture.md, "Detection"). The kernel
 * closes a dead process's sockets: the Hazelcast connection to it closes at once, and its member
 * port refuses connections from then on. So each time a connection to a member closes, that
 * member's port is probed (off Hazelcast's threads); refused twice, {@value #CONFIRM_MS} ms apart,
 * the member is reported to Hazelcast as suspect (members that crashed together all at once, once
 * no probe runs, the master last: {@link #masterLast}), exactly what Hazelcast's own heartbeat check does
 * at its timeout, and it leaves the cluster by the ordinary path (membership events, the
 * ownership view, takeover). A frozen process or one behind a partition keeps its port: it
 * accepts, or the probe times out, and it is left to the heartbeat. A restarted one accepts again.
 *
 * <p>A member that leaves on purpose (SIGTERM, a rolling upgrade) first leaves the ownership view
 * and waits until every peer routes by a view without it; only then does it leave Hazelcast,
 * whose member list may still have it when its connections close. That is no crash: a member that
 * owns no room in the view this node routes by ({@link #ownsNoRoom}) is neither reported nor
 * counted, and Hazelcast removes it by its own path. Nothing waits for it: it owns no room, and the
 * handoff barrier of its leave has settled (or, for one still joining, it was never a peer).
 *
 * <p>Hazelcast has no public API for either half (connection events, suspicion); both are its
 * internal ones, so this class is the only place that touches them. On another Hazelcast, or an
 * instance it cannot reach into, the watch stays off and says so once.
 */
final class CrashWatch implements ConnectionListener<ServerConnection> {
    private static final Logger log = LoggerFactory.getLogger(CrashWatch.class);
    /** Longest wait for a probe's connection to be accepted or refused. */
    static final int PROBE_TIMEOUT_MS = 1_000;
    /** Pause before the confirming probe. */
    static final long CONFIRM_MS = 200;

    private final HazelcastInstance hz;
    private final Node node;
    private final Executor probes;
    private final ClusterMetrics metrics;
    /** The ownership view this node routes by; any thread. */
    private final Supplier<OwnershipView> view;
    /** Members being probed now: one probe per member at a time. */
    private final Set<Address> probing = ConcurrentHashMap.newKeySet();
    /** Members confirmed crashed and not reported yet; guarded by this. */
    private final Set<Member> confirmed = new LinkedHashSet<>();

    private CrashWatch(HazelcastInstance hz, Node node, Executor probes, ClusterMetrics metrics,
                       Supplier<OwnershipView> view) {
        this.hz = hz;
        this.view = view;
        this.node = node;
        this.probes = probes;
        this.metrics = metrics;
    }

    /**
     * Starts watching {@code hz}'s member connections; probes run on {@code probes} (they block up
     * to about {@value #PROBE_TIMEOUT_MS} ms twice); {@code view} is the ownership view this node
     * routes by (any thread). Returns whether the watch is on.
     */
    static boolean start(HazelcastInstance hz, Executor probes, ClusterMetrics metrics, Supplier<OwnershipView> view) {
        try {
            Node node = ((HazelcastInstanceProxy) hz).getOriginal().node;
            node.getServer().addConnectionListener(new CrashWatch(hz, node, probes, metrics, view));
            return true;
        } catch (RuntimeException | LinkageError e) {
            log.warn("crashed members are noticed only by Hazelcast's heartbeat timeout: cannot watch its connections ({})",
                    e.toString());
            return false;
        }
    }

    @Override
    public void connectionAdded(ServerConnection connection) {
    }

    @Override
    public void connectionRemoved(ServerConnection connection) {
        Address address = connection.getRemoteAddress();
        if (address != null && member(address) != null && probing.add(address)) {
            probes.execute(() -> {
                try {
                    check(address);
                } finally {
                    probing.remove(address);
                    reportConfirmed();
                }
            });
        }
    }

    private void check(Address address) {
        InetSocketAddress target;
        try {
            target = address.getInetSocketAddress();
        } catch (IOException e) {
            return;
        }
        long t0 = System.nanoTime();
        if (!refuses(target) || !pause() || !refuses(target)) {
            return;
        }
        Member gone = member(address);
        if (gone == null) {
            return; // it left meanwhile
        }
        OwnershipView routedBy = view.get();
        if (ownsNoRoom(gone.getAttribute(ClusterNode.NODE_ID_ATTRIBUTE), routedBy)) {
            log.info("cluster member {} closed its connections and owns no room under epoch {} (it left the ownership"
                    + " view on purpose, or never joined it): not a crash, left to Hazelcast", gone, routedBy.epoch());
            return;
        }
        log.warn("cluster member {} is gone: its connection closed and its port refuses connections ({} ms)", gone,
                (System.nanoTime() - t0) / 1_000_000);
        synchronized (this) {
            confirmed.add(gone);
        }
    }

    /**
     * Reports the members confirmed crashed to Hazelcast once no probe runs any more, so that
     * members that crashed together are reported together, in {@link #masterLast} order.
     */
    private void reportConfirmed() {
        List<Member> due;
        synchronized (this) {
            if (!probing.isEmpty() || confirmed.isEmpty()) {
                return;
            }
            Set<Member> members = hz.getCluster().getMembers();
            due = masterLast(confirmed, members.isEmpty() ? null : members.iterator().next());
            confirmed.clear();
        }
        for (Member gone : due) {
            log.warn("reporting crashed member {} to Hazelcast now rather than after the heartbeat timeout", gone);
            metrics.crashDetected();
            node.getClusterService().suspectMember(gone, "its connection closed and its port refuses connections", true);
        }
    }

    /**
     * The order in which to report members that crashed together: the cluster's master
     * ({@code master}, the oldest member) last. A member suspecting the master claims mastership at
     * once if every member listed before it is suspected too, and the claim waits for the member
     * list of every member not suspected yet, up to the heartbeat timeout: reported after the
     * master, a second crashed member held the survivor's claim, and so the crashes' notice, for
     * five seconds (ClusterCrashIT, two of three nodes killed).
     */
    static <T> List<T> masterLast(Collection<T> crashed, T master) {
        List<T> order = new ArrayList<>(crashed);
        if (order.remove(master)) {
            order.add(master);
        }
        return order;
    }

    private static boolean pause() {
        try {
            Thread.sleep(CONFIRM_MS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether the member with Vert.x node id {@code nodeId} owns no room: the view this node routes
     * by ({@code routedBy}) has members, but not it (it left on purpose, or is still joining). A
     * member without a node id, or a node without a view yet, is judged by its port alone.
     */
    static boolean ownsNoRoom(String nodeId, OwnershipView routedBy) {
        return nodeId != null && !routedBy.members().isEmpty() && !routedBy.contains(nodeId);
    }

    /** Whether a connection to {@code target} is refused (nobody listens: the process is gone). */
    static boolean refuses(InetSocketAddress target) {
        try (Socket probe = new Socket()) {
            probe.connect(target, PROBE_TIMEOUT_MS);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false; // a timeout or another failure: no proof of a crash
        }
    }

    /** The other member at {@code address}, or {@code null}. */
    private Member member(Address address) {
        for (Member m : hz.getCluster().getMembers()) {
            if (!m.localMember() && m.getAddress().equals(address)) {
                return m;
            }
        }
        return null;
    }
}
