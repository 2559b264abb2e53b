package org.palaver.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.palaver.core.RoomState;

/**
 * The backup of one room as its last snapshot plus the owner's inputs since, in order:
 * stanzas (XML or parsed-form bytes, with the owner's {@code now}) and heartbeats. Appending costs a
 * list add; the room itself is rebuilt only by replaying ({@link HeldBackups}).
 */
final class RoomLog {
    /** Logs below this many bytes are never compacted here. */
    static final int MIN_COMPACT_BYTES = 256 * 1024;
    /** Nor below this many times their snapshot. */
    static final int COMPACT_FACTOR = 16;
    /** What a heartbeat entry counts for against the bound. */
    private static final int BEAT_BYTES = 16;

    private final RoomState base;
    private final int compactAt;
    /** In order: a {@code byte[]} stanza with its time in {@link #times}, or {@code null} for a heartbeat. */
    private final List<byte[]> stanzas = new ArrayList<>();
    private long[] times = new long[8];
    /** Per entry: whether the stanza is in its parsed form rather than XML. */
    private boolean[] parsed = new boolean[8];
    private long seq;
    private long bytes;
    /** The room's marks ({@link RoomMarks}): the snapshot's, raised by each delta's stanza. */
    private final Map<String, Long> marks = new HashMap<>(4);

    /** Receives a log's changes in order. */
    interface Replay {
        void stanza(long now, byte[] bytes, boolean parsed);

        void heartbeat(long now);
    }

    RoomLog(RoomState base, long seq, List<NodeMessage.Mark> marks) {
        this.base = base;
        this.seq = seq;
        RoomMarks.merge(this.marks, marks);
        int size = base.bytes().length;
        this.compactAt = Math.max(MIN_COMPACT_BYTES, COMPACT_FACTOR * size);
    }

    RoomState base() {
        return base;
    }

    /** The sequence number of the last change in the log (the snapshot's when none). */
    long seq() {
        return seq;
    }

    /** Changes logged since the snapshot. */
    int changes() {
        return stanzas.size();
    }

    /** Bytes held for the changes. */
    long bytes() {
        return bytes;
    }

    /** Past this many change bytes the log should be replayed into a new snapshot. */
    long compactAt() {
        return compactAt;
    }

    /** The marks of the stanzas in the backup: per ingress node the highest sequence number applied. */
    List<NodeMessage.Mark> marks() {
        return RoomMarks.list(marks);
    }

    /**
     * The owner applied {@code stanza} (its parsed form if {@code parsedForm}, else XML) as change
     * {@code seq} at {@code now}; {@code mark} names it (null if unnumbered).
     */
    void delta(long seq, long now, byte[] stanza, boolean parsedForm, NodeMessage.Mark mark) {
        if (mark != null) {
            marks.merge(mark.id(), mark.seq(), Math::max);
        }
        this.seq = seq;
        append(now, stanza, parsedForm);
        bytes += stanza.length + 8;
    }

    void heartbeat(long now) {
        append(now, null, false);
        bytes += BEAT_BYTES;
    }

    private void append(long now, byte[] stanza, boolean parsedForm) {
        int i = stanzas.size();
        if (i == times.length) {
            times = Arrays.copyOf(times, i * 2);
            parsed = Arrays.copyOf(parsed, i * 2);
        }
        times[i] = now;
        parsed[i] = parsedForm;
        stanzas.add(stanza);
    }

    void forEach(Replay replay) {
        for (int i = 0; i < stanzas.size(); i++) {
            byte[] s = stanzas.get(i);
            if (s == null) {
                replay.heartbeat(times[i]);
            } else {
                replay.stanza(times[i], s, parsed[i]);
            }
        }
    }
}
