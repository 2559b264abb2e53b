package org.palaver.cluster;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link Fence} on its event loop: proves every {@link #TICK_MS} that the loop runs,
 * raises the fence after a stall or when told to, keeps what arrives while it is up, and lifts it
 * when the ownership check says so (see docs/architecture.md, "Fencing: frozen nodes, partitions
 * and double crashes (gray failures)").
 */
final class Fencing {
    private static final Logger log = LoggerFactory.getLogger(Fencing.class);
    /** How often the event loop proves it runs ({@link Fence#tick}). */
    static final long TICK_MS = 200;
    /** Most stanzas and node messages kept while fenced. */
    static final int FENCE_CAPACITY = 100_000;

    private final LocalNode node;
    private final CurrentView view;
    private final Fence<Runnable> fence;
    private Runnable onFenced = () -> { };
    private volatile boolean fencedNow;
    private volatile long lastTick = System.nanoTime();
    /** The newest view delivered while fenced: applied when the fence lifts. */
    private OwnershipView pendingView = OwnershipView.EMPTY;

    /**
     * Starts the tick; must be created on the node's context.
     *
     * @param stallLimitMs longest event loop stall after which this node must check that it still
     *                     owns its rooms before it acts
     */
    Fencing(LocalNode node, CurrentView view, long stallLimitMs) {
        this.node = node;
        this.view = view;
        this.fence = new Fence<>(stallLimitMs * 1_000_000, FENCE_CAPACITY, System.nanoTime());
        node.vertx().setPeriodic(TICK_MS, id -> {
            long now = System.nanoTime();
            lastTick = now;
            if (fence.tick(now)) {
                raised();
            }
        });
        node.core().heartbeatGate(() -> !fence.fenced());
        node.metrics().bindFenced(() -> fencedNow ? 1 : 0);
    }

    /**
     * Whether what arrives now must wait (from the hot path: raises the fence after an event loop
     * stall); {@link #hold} it then.
     */
    boolean closed() {
        if (fence.admits(System.nanoTime())) {
            return false;
        }
        if (!fencedNow) {
            raised();
        }
        return true;
    }

    /** Keeps {@code item} (a stanza or node message to handle again) until the fence lifts. */
    void hold(Runnable item) {
        if (fence.hold(item)) {
            node.metrics().fencedHeld();
        } else {
            node.metrics().fencedOverflow();
            if (fence.overflowed() % 1000 == 1) {
                log.error("fenced for {} ms: {} stanza(s) and message(s) wait, dropped {} since",
                        (System.nanoTime() - fence.since()) / 1_000_000, fence.waiting(), fence.overflowed());
            }
        }
    }

    /** Raises the fence (if it is not up already). */
    void raise(String why) {
        if (fence.raise(why, System.nanoTime())) {
            raised();
        }
    }

    private void raised() {
        fencedNow = true;
        view.fenced(true);
        node.metrics().fenced();
        log.warn("fenced: {}; applying and writing nothing until this node knows whether it still owns its {} room(s)"
                + " (ownership epoch {})", fence.reason(), node.core().roomCount(), view.now().epoch());
        onFenced.run();
    }

    /** Called on the node's context each time the fence goes up. */
    void onFenced(Runnable action) {
        this.onFenced = action;
    }

    /** Whether the fence is up. */
    boolean up() {
        return fence.fenced();
    }

    /** Whether this node is fenced now; any thread. */
    boolean upNow() {
        return fencedNow;
    }

    /** Keeps {@code next}, delivered while fenced, if it is the newest: it is applied when the fence lifts. */
    void deferView(OwnershipView next) {
        if (next.epoch() > pendingView.epoch()) {
            pendingView = next;
        }
    }

    /** The newest view delivered while fenced ({@link OwnershipView#EMPTY} if none). */
    OwnershipView deferredView() {
        return pendingView;
    }

    /** Nano time since the fence went up. */
    long since() {
        return fence.since();
    }

    /** How many stanzas and messages wait at the fence. */
    int waiting() {
        return fence.waiting();
    }

    /** Lifts the fence; returns what waited at it, to run in order. */
    List<Runnable> lift() {
        pendingView = OwnershipView.EMPTY;
        List<Runnable> waiting = fence.lift(System.nanoTime());
        fencedNow = false;
        return waiting;
    }

    /** Nano time since the event loop last proved it runs; any thread. */
    long sinceTickNanos() {
        return System.nanoTime() - lastTick;
    }

    /** Nano time since the fence went up, 0 when not fenced; any thread (approximate). */
    long fencedForNanos() {
        return fencedNow ? System.nanoTime() - fence.since() : 0;
    }
}
