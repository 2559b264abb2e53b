package org.palaver.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import java.util.Collection;
import java.util.stream.Stream;

/**
 * Which cross-node protocol the cluster speaks (docs/compatibility.md). Every node publishes the
 * highest protocol it speaks as the Hazelcast member attribute {@value #ATTRIBUTE}; release 0.1.0
 * published none and speaks protocol {@value #FIRST}. A mixed cluster speaks the lowest protocol
 * among its members, so a node sends a new message kind or format only once every member
 * understands it ({@link #spoken()} at least the protocol that introduced it), and it always reads
 * every older one.
 *
 * <p>Protocols: 1 = release 0.1.0's node messages; 2 = {@code BATCH} messages
 * ({@link NodeMessage#BATCH_PROTOCOL}), the second backup ({@link Replication#SECOND_BACKUP_PROTOCOL}),
 * and the marks and {@code ACK} with which forwarded stanzas survive a crash of their owner ({@link Resend});
 * 3 = stanzas forwarded and replicated in their parsed form ({@code PARSED_STANZA},
 * {@code PARSED_DELTA}, {@link NodeMessage#PARSED_PROTOCOL}) instead of XML; 4 = this build: a
 * forwarded stanza's delta to its ingress node without the stanza ({@code KNOWN_DELTA},
 * {@link NodeMessage#KNOWN_DELTA_PROTOCOL}).
 */
public final class ClusterProtocol {
    /** The member attribute holding a node's protocol number, in decimal. */
    public static final String ATTRIBUTE = "palaver.protocol";
    /** Release 0.1.0: no attribute. */
    public static final int FIRST = 1;
    /** The highest protocol this build speaks. */
    public static final int CURRENT = 4;

    private volatile int spoken;

    /** Starts at this build's protocol, as if it were alone. */
    public ClusterProtocol() {
        this.spoken = CURRENT;
    }

    /** Publishes this build's protocol in a member configuration (before the member starts). */
    static Config publish(Config config) {
        config.getMemberAttributeConfig().setAttribute(ATTRIBUTE, Integer.toString(CURRENT));
        return config;
    }

    /** The protocol the cluster speaks now: the lowest among the members last {@link #update}d; any thread. */
    public int spoken() {
        return spoken;
    }

    /** Whether every member understands {@code protocol}; any thread. */
    public boolean allSpeak(int protocol) {
        return spoken >= protocol;
    }

    /** Recomputes {@link #spoken()} from the current members (call on every membership change). */
    void update(Collection<Member> members) {
        spoken = lowest(members.stream().map(m -> m.getAttribute(ATTRIBUTE)));
    }

    /**
     * The lowest protocol among members that publish {@code attributes} (one value per member,
     * {@code null} for none); this build's protocol when there is no member.
     */
    static int lowest(Stream<String> attributes) {
        return attributes.mapToInt(ClusterProtocol::of).min().orElse(CURRENT);
    }

    /** A member's protocol from its attribute: missing or unreadable counts as the first. */
    static int of(String attribute) {
        if (attribute == null) {
            return FIRST;
        }
        try {
            return Math.max(FIRST, Integer.parseInt(attribute.trim()));
        } catch (NumberFormatException e) {
            return FIRST;
        }
    }
}
