package org.palaver.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.palaver.core.RoomDirectory;
import org.palaver.core.RoomListing;
import org.palaver.xml.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room directory of a cluster: every node's room listings, for browse and disco#items of the
 * service on any node.
 *
 * <p>Each node publishes the listings of the rooms its core holds into a Hazelcast
 * {@link ReplicatedMap} (a full copy on every member) under the key {@code node|room}, and mirrors
 * the other nodes' entries into a local map through an entry listener. Keys carry the node so that
 * a handoff never races: the old owner removes its entry, the new owner adds its own, and neither
 * can undo the other's write. The core calls {@link #changed}/{@link #removed} on its thread; they
 * only update a local map and mark the room dirty; dirty rooms are published together
 * {@value #PUBLISH_DELAY_MS} ms later on a worker thread, so the event loop never waits for
 * Hazelcast. Other nodes' changes are thus visible after that delay plus replication; this node's
 * own at once.
 */
public final class ClusterDirectory implements RoomDirectory {
    private static final Logger log = LoggerFactory.getLogger(ClusterDirectory.class);
    static final String MAP = "palaver.rooms";
    static final long PUBLISH_DELAY_MS = 20;

    private final String self;
    /** This node's listings; core thread only. */
    private final Map<Jid, RoomListing> own = new HashMap<>();
    /** Rooms whose listing changed since the last publication; core thread only. */
    private final Set<Jid> dirty = new LinkedHashSet<>();
    /** Other nodes' listings by {@code node|room}; written by Hazelcast's event threads. */
    private final Map<String, RoomListing> others = new ConcurrentHashMap<>();
    private Vertx vertx;
    private ReplicatedMap<String, byte[]> shared;
    private boolean publishing;
    private Future<?> lastPublication = Future.succeededFuture();

    public ClusterDirectory(String self) {
        this.self = self;
    }

    /**
     * Connects to the cluster's map and mirrors the other nodes' entries. Blocking (Hazelcast
     * calls): run on a worker thread before the node starts.
     */
    void connect(Vertx vertx, ReplicatedMap<String, byte[]> map) {
        this.vertx = vertx;
        map.addEntryListener(new Mirror());
        for (Map.Entry<String, byte[]> e : map.entrySet()) {
            mirror(e.getKey(), e.getValue());
        }
        this.shared = map;
    }

    @Override
    public void changed(RoomListing listing) {
        own.put(listing.room(), listing);
        markDirty(listing.room());
    }

    @Override
    public void removed(Jid room) {
        own.remove(room);
        markDirty(room);
    }

    /** This node's listings and the others', one per room (this node's when several claim one). */
    @Override
    public Collection<RoomListing> rooms() {
        Map<Jid, RoomListing> all = new HashMap<>(own);
        for (RoomListing l : others.values()) {
            all.putIfAbsent(l.room(), l);
        }
        return all.values();
    }

    private void markDirty(Jid room) {
        dirty.add(room);
        if (!publishing && vertx != null) {
            publishing = true;
            vertx.setTimer(PUBLISH_DELAY_MS, id -> publish());
        }
    }

    /** Hands the dirty listings to a worker (in order with earlier publications). Core thread. */
    private void publish() {
        publishing = false;
        Map<String, byte[]> puts = new HashMap<>();
        List<String> removals = new ArrayList<>();
        for (Jid room : dirty) {
            RoomListing l = own.get(room);
            if (l == null) {
                removals.add(key(self, room));
            } else {
                puts.put(key(self, room), ListingCodec.encode(l));
            }
        }
        dirty.clear();
        ReplicatedMap<String, byte[]> map = shared;
        lastPublication = vertx.executeBlocking(() -> {
            map.putAll(puts);
            removals.forEach(map::remove);
            return null;
        }, true).onFailure(e -> log.warn("could not publish {} room listing(s): {}", puts.size() + removals.size(),
                e.toString()));
    }

    /** Completes once every change made so far is published (before leaving the cluster). Core thread. */
    Future<?> flush() {
        if (publishing) {
            publish();
        }
        return lastPublication;
    }

    /** Drops the listings of a node that left the cluster without removing them (it crashed). Blocking. */
    void forget(String node) {
        ReplicatedMap<String, byte[]> map = shared;
        if (map != null) {
            map.keySet().stream().filter(k -> k.startsWith(node + "|")).toList().forEach(map::remove);
        }
    }

    /** Whether {@code node}'s listing of {@code room} has reached this node (its mirror holds it). */
    boolean sees(String node, Jid room) {
        return others.containsKey(key(node, room));
    }

    static String key(String node, Jid room) {
        return node + "|" + room;
    }

    private void mirror(String key, byte[] value) {
        if (key.startsWith(self + "|")) {
            return; // our own entries: the local map is newer
        }
        try {
            others.put(key, ListingCodec.decode(value));
        } catch (IllegalArgumentException e) {
            log.warn("ignored the room listing {}: {}", key, e.getMessage());
        }
    }

    private final class Mirror implements EntryListener<String, byte[]> {
        @Override
        public void entryAdded(EntryEvent<String, byte[]> event) {
            mirror(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, byte[]> event) {
            mirror(event.getKey(), event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, byte[]> event) {
            others.remove(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, byte[]> event) {
            others.remove(event.getKey());
        }

        @Override
        public void entryExpired(EntryEvent<String, byte[]> event) {
            others.remove(event.getKey());
        }

        @Override
        public void mapCleared(MapEvent event) {
            others.clear();
        }

        @Override
        public void mapEvicted(MapEvent event) {
            others.clear();
        }
    }
}
