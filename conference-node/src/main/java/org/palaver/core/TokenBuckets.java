package org.palaver.core;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One token bucket per key (a bare JID or a room): {@code rate} tokens per second up to
 * {@code burst}; a stanza takes one. Buckets that have refilled completely carry no information and
 * are dropped by {@link #forgetFull}, so memory follows the keys active in the last
 * {@code burst / rate} seconds.
 */
final class TokenBuckets<K> {
    private static final class Bucket {
        double tokens;
        long last;
    }

    private final int rate;
    private final int burst;
    private final Map<K, Bucket> buckets = new HashMap<>();

    TokenBuckets(int rate, int burst) {
        this.rate = rate;
        this.burst = burst;
    }

    /** Takes a token for {@code key}; {@code false} when its bucket is empty (always {@code true} when off). */
    boolean take(K key, long now) {
        if (rate == 0) {
            return true;
        }
        Bucket b = buckets.get(key);
        if (b == null) {
            b = new Bucket();
            b.tokens = burst;
            b.last = now;
            buckets.put(key, b);
        } else {
            refill(b, now);
        }
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    private void refill(Bucket b, long now) {
        if (now > b.last) {
            b.tokens = Math.min(burst, b.tokens + (now - b.last) * (double) rate / 1000);
            b.last = now;
        }
    }

    /** Drops the buckets that are full again. */
    void forgetFull(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            refill(b, now);
            if (b.tokens >= burst) {
                it.remove();
            }
        }
    }

    int size() {
        return buckets.size();
    }
}
