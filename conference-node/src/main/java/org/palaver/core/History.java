package org.palaver.core;

import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * The room's ring buffer of the last N messages (spec §11.2).
 *
 * <p>Stores <em>references</em> to the broadcast templates (the core never modifies an element after
 * handing it to the {@link Outbox}), the author record and the arrival time; the delay elements are
 * built only when a joiner is replayed to, so a broadcast costs no extra allocation here. Because
 * the author is stored by reference and replayed under its <em>current</em> nick/hash, the
 * original's "chop on leave" is kept (observable behaviour, spec §11.2).
 */
final class History {
    private final int capacity;
    private Element[] messages;
    private Participant[] authors;
    private long[] stamps;
    private int start;
    private int size;

    History(int capacity) {
        this.capacity = Math.max(0, capacity);
    }

    /** Remembers a broadcast message (type groupchat, no {@code to}). No-op when history is off. */
    void add(Element template, Participant author, long now) {
        if (capacity == 0) {
            return;
        }
        if (messages == null) { // empty rooms pay nothing
            messages = new Element[capacity];
            authors = new Participant[capacity];
            stamps = new long[capacity];
        }
        int slot;
        if (size < capacity) {
            slot = (start + size++) % capacity;
        } else {
            slot = start;
            start = (start + 1) % capacity;
        }
        messages[slot] = template;
        authors[slot] = author;
        stamps[slot] = now;
    }

    /**
     * Chop on leave: from the leaver's most recent message onward, that message and every older
     * one are forgotten.
     */
    void chop(Participant leaver) {
        for (int i = size - 1; i >= 0; i--) {
            if (authors[slot(i)] == leaver) {
                dropOldest(i + 1);
                return;
            }
        }
    }

    private void dropOldest(int count) {
        for (int i = 0; i < count; i++) {
            int s = slot(i);
            messages[s] = null;
            authors[s] = null;
        }
        start = (start + count) % capacity;
        size -= count;
    }

    private int slot(int i) {
        return (start + i) % capacity;
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    // ---- the i-th remembered message, oldest first (for moving the room, see RoomCodec) -------

    Element message(int i) {
        return messages[slot(i)];
    }

    Participant author(int i) {
        return authors[slot(i)];
    }

    long stamp(int i) {
        return stamps[slot(i)];
    }

    /**
     * Replays oldest-first to {@code joiner}, {@code from} rewritten to the author's address in the
     * joiner's style, with {@code jabber:x:delay} (and {@code urn:xmpp:delay} for MUC-capable
     * joiners, DEV-19). Returns whether a replayed message carried a {@code <subject>}.
     */
    boolean replay(Participant joiner, Jid room, Outbox out) {
        boolean subject = false;
        String roomJid = room.toString();
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            Element copy = messages[s].shallowCopy();
            copy.attr("from", authors[s].addressFor(joiner).toString());
            copy.attr("to", joiner.real.toString());
            copy.add(legacyDelay(roomJid, stamps[s]));
            if (joiner.muc()) {
                copy.add(new Element("delay", Ns.DELAY).attr("from", roomJid)
                        .attr("stamp", Timestamps.xep82(stamps[s])));
            }
            subject |= messages[s].child("subject") != null;
            out.send(copy);
        }
        return subject;
    }

    /** {@code <x xmlns='jabber:x:delay' from='R' stamp='CCYYMMDDThh:mm:ss'>R</x>} [J14 jutil_delay]. */
    private static Element legacyDelay(String roomJid, long stamp) {
        Element x = new Element("x", Ns.X_DELAY).attr("from", roomJid)
                .attr("stamp", Timestamps.legacy(stamp));
        return x.addText(roomJid);
    }
}
