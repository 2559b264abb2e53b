package org.palaver.cluster;

import java.util.Collection;
import java.util.function.Supplier;
import org.palaver.xml.Jid;

/**
 * What this node knows of the cluster now: the {@link OwnershipView} it routes by, the one before
 * it, whether the change between them has settled, and the members Hazelcast sees. Changed only
 * by the ownership change on the node's event loop; {@link #published} and {@link #ready} may be
 * read from any thread.
 */
final class CurrentView {
    private final String self;
    private final Supplier<Collection<String>> members;
    private OwnershipView view = OwnershipView.EMPTY;
    private OwnershipView previous = OwnershipView.EMPTY;
    private boolean settled;
    private volatile boolean ready;
    private volatile OwnershipView published = OwnershipView.EMPTY;

    /** @param members the current cluster members' node ids (thread-safe, non-blocking) */
    CurrentView(String self, Supplier<Collection<String>> members) {
        this.self = self;
        this.members = members;
    }

    /** The view this node routes by. */
    OwnershipView now() {
        return view;
    }

    /** The view before {@link #now}. */
    OwnershipView previous() {
        return previous;
    }

    /** The cluster members Hazelcast sees now (node ids). */
    Collection<String> members() {
        return members.get();
    }

    boolean settled() {
        return settled;
    }

    /** The room is becoming ours and may still be elsewhere or have stanzas on their way. */
    boolean moving(Jid room) {
        return !settled && !self.equals(previous.owner(room));
    }

    /** Moves on to {@code next}; the change has not settled. */
    void advance(OwnershipView next) {
        previous = view;
        view = next;
        published = next;
        ready = false;
        settled = false;
    }

    /** The change to the current view has settled: ready if this node is in it. */
    void settle() {
        settled = true;
        ready = view.contains(self);
    }

    /** This node was dropped: it routes by {@code current}, settled, and is not ready (it must rejoin). */
    void dropTo(OwnershipView current) {
        previous = current;
        view = current;
        published = current;
        settled = true;
        ready = false;
    }

    /** While fenced the node is not ready; after the fence it is again if the view it routes by is settled with it. */
    void fenced(boolean fenced) {
        ready = !fenced && settled && view.contains(self);
    }

    /** This node is in the view it routes by and that view has settled; any thread. */
    boolean ready() {
        return ready;
    }

    /** The view this node routes by; any thread. */
    OwnershipView published() {
        return published;
    }
}
