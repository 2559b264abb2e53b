package org.palaver.component;

import java.util.Arrays;
import java.util.Locale;
import org.palaver.core.ConferenceService;
import org.palaver.core.Refusal;
import org.palaver.core.RoomEvent;
import org.palaver.metrics.NodeMetrics;
import org.palaver.metrics.RemovalReason;

/**
 * Carries the protocol core's counts into the metrics. The core is not thread-safe and gauges are
 * read on the scraping thread, so the node calls {@link #update} on its event loop after every
 * stanza and heartbeat, and the gauges read volatile copies. The copies are written only when a
 * count changes (joins, leaves, new rooms), so an ordinary message costs a few reads and compares,
 * and no volatile write. Removals go to their counters as the difference since the last update.
 */
final class CoreCounts {
    private final NodeMetrics metrics;
    private volatile int rooms;
    private volatile int participants;
    private long left;
    private long bounced;
    private long expired;
    private long senderLimited;
    private long roomLimited;
    private final long[] refused = new long[Refusal.values().length];
    private long refusedTotal;
    private final long[] events = new long[RoomEvent.values().length];
    private long eventsTotal;

    CoreCounts(NodeMetrics metrics) {
        this.metrics = metrics;
        metrics.registerRoomEvents(Arrays.stream(RoomEvent.values()).map(CoreCounts::label).toList());
        metrics.registerLimits(Arrays.stream(Refusal.values()).map(Refusal::label).toList());
        metrics.bindRooms(() -> rooms);
        metrics.bindParticipants(() -> participants);
    }

    void update(ConferenceService core) {
        int r = core.roomCount();
        if (r != rooms) {
            rooms = r;
        }
        int p = core.participantCount();
        if (p != participants) {
            participants = p;
        }
        left = addRemoved(RemovalReason.LEAVE, left, core.participantsLeft());
        bounced = addRemoved(RemovalReason.ERROR, bounced, core.participantsBounced());
        expired = addRemoved(RemovalReason.EXPIRED, expired, core.registrationsExpired());
        long bySender = core.senderRateLimited();
        if (bySender != senderLimited) {
            metrics.addRateLimited(false, bySender - senderLimited);
            senderLimited = bySender;
        }
        long byRoom = core.roomRateLimited();
        if (byRoom != roomLimited) {
            metrics.addRateLimited(true, byRoom - roomLimited);
            roomLimited = byRoom;
        }
        long refusals = core.refusals();
        if (refusals != refusedTotal) { // rare: abuse only
            refusedTotal = refusals;
            for (Refusal why : Refusal.values()) {
                long now = core.refused(why);
                if (now != refused[why.ordinal()]) {
                    metrics.addLimitRefused(why.label(), now - refused[why.ordinal()]);
                    refused[why.ordinal()] = now;
                }
            }
        }
        long total = core.events();
        if (total != eventsTotal) { // rare (kicks, bans, ignored errors, history limits): no loop per stanza
            eventsTotal = total;
            for (RoomEvent event : RoomEvent.values()) {
                long now = core.count(event);
                long before = events[event.ordinal()];
                if (now != before) {
                    metrics.addRoomEvents(label(event), now - before);
                    events[event.ordinal()] = now;
                }
            }
        }
    }

    private long addRemoved(RemovalReason reason, long before, long now) {
        if (now != before) {
            metrics.addParticipantsRemoved(reason, now - before);
        }
        return now;
    }

    /** The metric label of a room event: its name in lower case ({@code error_ignored}, {@code kicked}, ...). */
    private static String label(RoomEvent event) {
        return event.name().toLowerCase(Locale.ROOT);
    }
}
