package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.palaver.core.ConferenceService;
import org.palaver.core.RoomListing;
import org.palaver.testkit.Await;
import org.palaver.testkit.Harness;
import org.palaver.testkit.Scenes;
import org.palaver.xml.Jid;

/** The cluster's room directory on two real Hazelcast members on loopback. */
class ClusterDirectoryIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<Vertx> vertxes = new ArrayList<>();
    /** Each directory's Vert.x: the core calls it on one context. */
    private final Map<ClusterDirectory, Vertx> contexts = new HashMap<>();
    private ClusterDirectory a;
    private ClusterDirectory b;

    @BeforeEach
    void twoMembers() throws Exception {
        int base = ThreadLocalRandom.current().nextInt(20_000, 59_000);
        String name = "directory-" + base;
        a = connect("node-a", member(name, base));
        b = connect("node-b", member(name, base));
        Await.until(WAIT, () -> members.get(0).getCluster().getMembers().size() == 2, "two members");
    }

    @AfterEach
    void close() throws Exception {
        for (Vertx v : vertxes) {
            v.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        members.forEach(HazelcastInstance::shutdown);
    }

    @Test
    void everyNodeSeesEveryNodesRoomsAndTheirChanges() throws Exception {
        on(a, d -> d.changed(listing("r1", 2)));
        on(b, d -> d.changed(listing("r2", 0)));
        Await.until(WAIT, () -> names(rooms(b)).equals(Set.of("r1@c.example", "r2@c.example")), "b sees both");
        Await.until(WAIT, () -> names(rooms(a)).equals(Set.of("r1@c.example", "r2@c.example")), "a sees both");
        on(a, d -> d.changed(listing("r1", 5)));
        Await.until(WAIT, () -> rooms(b).stream().anyMatch(l -> l.participants() == 5), "the new count");
        on(a, d -> d.removed(Jid.parse("r1@c.example")));
        Await.until(WAIT, () -> names(rooms(b)).equals(Set.of("r2@c.example")), "the removal");
    }

    /** During a handoff both nodes may list a room for a moment: it is shown once, the local listing first. */
    @Test
    void aRoomClaimedByTwoNodesIsListedOnceAndLocalWins() throws Exception {
        on(a, d -> d.changed(listing("moving", 1)));
        on(b, d -> d.changed(listing("moving", 2)));
        Jid moving = Jid.parse("moving@c.example");
        Await.until(WAIT, () -> a.sees("node-b", moving) && b.sees("node-a", moving), "each side has the other's entry");
        assertEquals(1, rooms(a).size());
        assertEquals(1, rooms(b).size());
        assertEquals(1, rooms(a).iterator().next().participants());
        assertEquals(2, rooms(b).iterator().next().participants());
    }

    @Test
    void aVanishedNodesListingsAreForgotten() throws Exception {
        on(a, d -> d.changed(listing("orphan", 1)));
        Await.until(WAIT, () -> rooms(b).size() == 1, "b sees a's room");
        CompletableFuture.runAsync(() -> b.forget("node-a")).get(10, TimeUnit.SECONDS);
        Await.until(WAIT, () -> rooms(b).isEmpty(), "forgotten");
    }

    /**
     * Decision 51 in a cluster: a room hidden by its owner on one node's core is listed by neither
     * node's service disco#items (the listing carries the flag, format 2), and listed again when shown.
     */
    @Test
    void aRoomHiddenOnOneNodeIsListedByNoNode() throws Exception {
        Harness onA = new Harness(new ConferenceService(Scenes.settings(), Harness.T0, a), Harness.T0);
        Harness onB = new Harness(new ConferenceService(Scenes.settings(), Harness.T0, b), Harness.T0);
        String own = "own@" + Harness.S;
        on(a, d -> Scenes.joinMuc(onA, own, Harness.D, "dave"));
        String items = "<iq type='get' id='i' to='" + Harness.S + "' from='" + Scenes.E + "'><query xmlns='"
                + "http://jabber.org/protocol/disco#items'/></iq>";
        Await.until(WAIT, () -> answer(b, onB, items).contains("jid='" + own + "'"), "b lists the room");
        String form = "<iq type='set' id='f' to='" + own + "' from='" + Harness.D + "'><query xmlns='"
                + "http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='muc#roomconfig_publicroom'><value>%s</value></field></x></query></iq>";
        on(a, d -> onA.given(String.format(form, "0")));
        Await.until(WAIT, () -> rooms(b).stream().anyMatch(RoomListing::hidden), "b has the hidden listing");
        assertEquals(false, answer(b, onB, items).contains(own), "not listed by b");
        assertEquals(false, answer(a, onA, items).contains(own), "not listed by a");
        on(a, d -> onA.given(String.format(form, "1")));
        Await.until(WAIT, () -> answer(b, onB, items).contains("jid='" + own + "'"), "listed again");
    }

    /** The core's answer to {@code xml}, asked on the directory's context. */
    private String answer(ClusterDirectory d, Harness core, String xml) {
        CompletableFuture<String> result = new CompletableFuture<>();
        contexts.get(d).runOnContext(v -> result.complete(core.in(xml).toString()));
        return result.join();
    }

    private HazelcastInstance member(String clusterName, int base) {
        Config c = new Config().setClusterName(clusterName);
        c.getNetworkConfig().setPort(base).setPortAutoIncrement(true).setPortCount(3);
        c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = c.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + base).addMember("127.0.0.1:" + (base + 1));
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(HazelcastConfigs.prepare(c));
        members.add(hz);
        return hz;
    }

    private ClusterDirectory connect(String id, HazelcastInstance hz) {
        Vertx vertx = Vertx.vertx();
        vertxes.add(vertx);
        ClusterDirectory d = new ClusterDirectory(id);
        d.connect(vertx, hz.getReplicatedMap(ClusterDirectory.MAP));
        contexts.put(d, vertx);
        return d;
    }

    /** Runs a core-side call on one context, as the core would (the directory is not thread-safe there). */
    private void on(ClusterDirectory d, Consumer<ClusterDirectory> call) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        contexts.get(d).runOnContext(v -> {
            call.accept(d);
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
    }

    /** {@code rooms()} read on the directory's context. */
    private Collection<RoomListing> rooms(ClusterDirectory d) {
        CompletableFuture<Collection<RoomListing>> result = new CompletableFuture<>();
        contexts.get(d).runOnContext(v -> result.complete(List.copyOf(d.rooms())));
        return result.join();
    }

    private static Set<String> names(Collection<RoomListing> listings) {
        return Set.copyOf(listings.stream().map(l -> l.room().toString()).toList());
    }

    private static RoomListing listing(String node, int participants) {
        return new RoomListing(Jid.parse(node + "@c.example"), node, participants, false, 1L, Set.of());
    }
}
