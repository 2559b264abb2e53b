package org.palaver.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.cluster.impl.ClusterHeartbeatManager;
import com.hazelcast.internal.util.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long ago this member last heard each other member's Hazelcast heartbeat: what the majority
 * lease (docs/architecture.md, "Partitions: majority-only ownership") counts on. Every member
 * heartbeats every other one each {@code hazelcast.heartbeat.interval.seconds}; the public API
 * tells only who is a member, not who was heard from lately, so this reads Hazelcast's internal
 * heartbeat manager (like {@link CrashWatch}, kept to this one class). Without it (another
 * Hazelcast) nobody counts as silent, and the lease never fences: the node falls back to acting on
 * Hazelcast's member removals only. Any thread.
 */
final class Heartbeats {
    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
    private final ClusterHeartbeatManager manager;

    private Heartbeats(ClusterHeartbeatManager manager) {
        this.manager = manager;
    }

    static Heartbeats of(HazelcastInstance hz) {
        try {
            return new Heartbeats(((HazelcastInstanceProxy) hz).getOriginal().node.getClusterService()
                    .getClusterHeartbeatManager());
        } catch (RuntimeException | LinkageError e) {
            log.warn("cannot read Hazelcast's heartbeats ({}): the minority side of a partition fences itself only"
                    + " when Hazelcast removes the other members", e.toString());
            return new Heartbeats(null);
        }
    }

    /** Milliseconds since {@code member}'s last heartbeat arrived; 0 when unknown (none yet, or no access). */
    long silentForMs(Member member) {
        if (manager == null || member.localMember()) {
            return 0;
        }
        long last = manager.getLastHeartbeatTime(member);
        return last <= 0 ? 0 : Math.max(0, Clock.currentTimeMillis() - last);
    }
}
