package org.palaver.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ownership change on its way to settling, on the node's event loop: the {@link HandoffBarrier}
 * with the peers it concerns (FLUSH and DONE markers), the timer that settles it anyway after the
 * handoff timeout, and the callers waiting for a view to settle. When it settles the stanzas held
 * for rooms moving here are released.
 */
final class OwnershipChange {
    private static final Logger log = LoggerFactory.getLogger(OwnershipChange.class);

    private final LocalNode node;
    private final CurrentView view;
    private final NodeChannel channel;
    private final Fencing fencing;
    private final StanzaRouter router;
    private final long timeoutMs;
    private final HandoffBarrier barrier = new HandoffBarrier();
    private final List<Waiter> waiters = new ArrayList<>();
    private long started;
    private long timer = -1;

    private record Waiter(Predicate<OwnershipView> condition, Promise<Void> promise) {
    }

    /** @param timeoutMs longest wait for a change to settle before held stanzas are released anyway */
    OwnershipChange(LocalNode node, CurrentView view, NodeChannel channel, Fencing fencing, StanzaRouter router,
                    long timeoutMs) {
        this.node = node;
        this.view = view;
        this.channel = channel;
        this.fencing = fencing;
        this.router = router;
        this.timeoutMs = timeoutMs;
    }

    /** The view has just moved on (at nano time {@code since}); returns how many peers it waits for. */
    int start(long since) {
        OwnershipView next = view.now();
        started = since;
        Set<String> peers = peers(view.previous(), next);
        barrier.start(next.epoch(), peers);
        peers.forEach(p -> channel.send(p, NodeMessage.marker(NodeMessage.Type.FLUSH, next.epoch(), node.self())));
        return peers.size();
    }

    /** Arms the timer that settles the current change after the handoff timeout. */
    void armTimer() {
        cancelTimer();
        long at = view.now().epoch();
        timer = node.vertx().setTimer(timeoutMs, id -> timedOut(at));
    }

    /**
     * The nodes this change concerns: the other members of both views that are still in the
     * cluster. A node in neither view holds no room and is owed none, so it waits for nobody (and
     * nobody waits for it).
     */
    private Set<String> peers(OwnershipView before, OwnershipView after) {
        Set<String> peers = new LinkedHashSet<>();
        String self = node.self();
        if (before.contains(self) || after.contains(self)) {
            peers.addAll(before.members());
            peers.addAll(after.members());
            peers.remove(self);
            peers.retainAll(Set.copyOf(view.members()));
        }
        return peers;
    }

    void flushFrom(String peer, long epoch) {
        barrier.flushFrom(peer, epoch);
        progress();
    }

    void doneFrom(String peer, long epoch) {
        barrier.doneFrom(peer, epoch);
        progress();
    }

    /** A cluster member left: the barrier stops waiting for it. */
    void gone(String member) {
        barrier.gone(member);
    }

    /** Sends DONE once due and settles once every peer is done. */
    void progress() {
        if (fencing.up()) {
            return; // the fence's resolution applies or discards the change
        }
        if (barrier.takeDoneDue()) {
            barrier.peers().forEach(p -> channel.send(p, NodeMessage.marker(NodeMessage.Type.DONE, barrier.epoch(),
                    node.self())));
        }
        if (!view.settled() && barrier.epoch() == view.now().epoch() && barrier.settled()) {
            settle();
        }
    }

    private void timedOut(long at) {
        timer = -1;
        if (!view.settled() && view.now().epoch() == at && !fencing.up()) {
            log.warn("ownership epoch {} did not settle within {} ms: no DONE from {}; releasing {} held stanza(s)",
                    at, timeoutMs, barrier.awaiting(), router.heldCount());
            settle();
        }
    }

    private void settle() {
        view.settle();
        cancelTimer();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        node.metrics().handoffSettled(took);
        log.info("ownership epoch {} settled in {} ms; releasing {} held stanza(s); {} room(s) here",
                view.now().epoch(), took.toMillis(), router.heldCount(), node.core().roomCount());
        router.releaseHeld();
        List<Waiter> due = new ArrayList<>();
        waiters.removeIf(w -> w.condition.test(view.now()) && due.add(w));
        due.forEach(w -> w.promise.tryComplete());
    }

    /** Stops the timer of the current change (it settled, or a newer change or a drop replaces it). */
    void cancelTimer() {
        if (timer != -1) {
            node.vertx().cancelTimer(timer);
            timer = -1;
        }
    }

    /** Completes on the node's context once a view meeting {@code condition} has settled. */
    Future<Void> settledWhen(Predicate<OwnershipView> condition) {
        Promise<Void> p = Promise.promise();
        node.context().runOnContext(v -> {
            if (view.settled() && condition.test(view.now())) {
                p.tryComplete();
            } else {
                waiters.add(new Waiter(condition, p));
            }
        });
        return p.future();
    }
}
