package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ClusterProtocolTest {
    @Test
    void aMixedClusterSpeaksItsOldestMembersProtocol() {
        assertEquals(2, ClusterProtocol.lowest(Stream.of("2", "3", "2")));
        assertEquals(ClusterProtocol.FIRST, ClusterProtocol.lowest(Stream.of("2", null, "3")),
                "a 0.1.0 member publishes no attribute and speaks protocol 1");
    }

    @Test
    void aClusterOfOneSpeaksThisBuildsProtocol() {
        assertEquals(ClusterProtocol.CURRENT, ClusterProtocol.lowest(Stream.empty()));
        assertEquals(ClusterProtocol.CURRENT, new ClusterProtocol().spoken());
    }

    @Test
    void anUnreadableAttributeCountsAsTheFirstProtocol() {
        assertEquals(ClusterProtocol.FIRST, ClusterProtocol.of("two"));
        assertEquals(ClusterProtocol.FIRST, ClusterProtocol.of("0"));
        assertEquals(7, ClusterProtocol.of(" 7 "));
    }

    @Test
    void thePreparedMemberConfigurationPublishesThisBuildsProtocol() {
        Config c = HazelcastConfigs.prepare(new Config());
        assertEquals(Integer.toString(ClusterProtocol.CURRENT),
                c.getMemberAttributeConfig().getAttribute(ClusterProtocol.ATTRIBUTE));
        assertTrue(new ClusterProtocol().allSpeak(ClusterProtocol.FIRST));
    }
}
