package org.palaver.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ownership view in the cluster: one entry of a Hazelcast map, changed only by
 * compare-and-set, so concurrent requests (two nodes joining, survivors removing a crashed member)
 * each produce their own epoch and none is lost. Listeners see every stored version in order (one
 * key, one partition). The methods that talk to Hazelcast block: call them on worker threads.
 */
final class ViewStore {
    private static final Logger log = LoggerFactory.getLogger(ViewStore.class);
    static final String MAP = "palaver.ownership";
    static final String KEY = "view";

    private final IMap<String, String> map;

    ViewStore(HazelcastInstance hazelcast) {
        this.map = hazelcast.getMap(MAP);
    }

    /** Calls {@code onView} (on a Hazelcast thread) with every view stored from now on. */
    void listen(Consumer<OwnershipView> onView) {
        map.addEntryListener(new Listener(onView), KEY, true);
    }

    /** The stored view; {@link OwnershipView#EMPTY} before any. Blocking. */
    OwnershipView read() {
        return decode(map.get(KEY));
    }

    /** The stored view, waiting at most {@code timeoutMs} (Hazelcast may be splitting or merging). Blocking. */
    OwnershipView readWithin(long timeoutMs) throws Exception {
        return decode(map.getAsync(KEY).toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS));
    }

    /** Applies {@code change} to the stored view by compare-and-set until it sticks; returns the result. Blocking. */
    OwnershipView update(UnaryOperator<OwnershipView> change) {
        while (true) {
            String stored = map.get(KEY);
            OwnershipView current = decode(stored);
            OwnershipView next = change.apply(current);
            if (next.equals(current)) {
                return current;
            }
            boolean stuck = stored == null ? map.putIfAbsent(KEY, next.encode()) == null
                    : map.replace(KEY, stored, next.encode());
            if (stuck) {
                return next;
            }
        }
    }

    private static OwnershipView decode(String stored) {
        if (stored == null) {
            return OwnershipView.EMPTY;
        }
        try {
            return OwnershipView.decode(stored);
        } catch (IllegalArgumentException e) {
            log.error("the stored ownership view is unreadable ({}); treating it as empty", e.getMessage());
            return OwnershipView.EMPTY;
        }
    }

    private record Listener(Consumer<OwnershipView> onView)
            implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            onView.accept(decode(event.getValue()));
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            onView.accept(decode(event.getValue()));
        }
    }
}
