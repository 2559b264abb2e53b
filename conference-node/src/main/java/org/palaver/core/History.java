package org.palaver.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlWriter;

/**
 * The room's history: the last N messages with a body (spec §11.2 as updated), bounded by count
 * and by bytes.
 *
 * <p>Each entry keeps the broadcast template by reference (the core never modifies an element
 * after handing it to the {@link Outbox}; its {@code from} is the author's {@code R/hash}), the
 * author's {@code R/nick} <em>at the time</em> and the arrival time: authors are kept by value, so
 * leaving or renaming changes nothing in what a newcomer is told (no "chop on leave", a documented
 * deviation). Not stored: messages without a body (chat states, subject-only changes), messages
 * carrying a XEP-0334 {@code <no-store/>} or {@code <no-permanent-store/>} hint. The delay elements
 * are built only when a joiner is replayed to. A message larger than the whole byte limit is not
 * stored ({@link RoomEvent#HISTORY_REFUSED}); otherwise the oldest messages make room
 * ({@link RoomEvent#HISTORY_TRIMMED} when dropped for bytes before the count limit would have).
 */
final class History {
    static final String HINTS = "urn:xmpp:hints";

    /** One stored message. {@code bytes} is the UTF-8 size of its XML, as {@link #weight} estimates. */
    record Entry(Element message, String nickFrom, long stamp, int bytes) {
    }

    private final int capacity;
    private final int maxBytes;
    /** Oldest first; {@code null} until the first message (empty rooms pay nothing). */
    private ArrayDeque<Entry> entries;
    private long bytes;

    History(int capacity, int maxBytes) {
        this.capacity = Math.max(0, capacity);
        this.maxBytes = Math.max(1, maxBytes);
    }

    /** Whether a broadcast message belongs in history: it has a body and no hint against storing. */
    static boolean storable(Element message) {
        return message.child("body") != null && message.child("no-store", HINTS) == null
                && message.child("no-permanent-store", HINTS) == null;
    }

    /**
     * Remembers a broadcast message (type groupchat, no {@code to}, {@code from} = the author's
     * {@code R/hash}) written by the author known as {@code nickFrom} now; counts what the byte limit
     * costs in {@code tally}. No-op when history is off or the message is not {@link #storable}.
     */
    void add(Element template, Jid nickFrom, long now, Tally tally) {
        if (capacity == 0 || !storable(template)) {
            return;
        }
        int size = weight(template);
        if (size > maxBytes) {
            tally.one(RoomEvent.HISTORY_REFUSED);
            return;
        }
        tally.add(RoomEvent.HISTORY_TRIMMED, keep(new Entry(template, nickFrom.toString(), now, size)));
    }

    /** Appends an entry and drops the oldest beyond the limits; returns how many went for bytes. */
    int keep(Entry e) {
        if (entries == null) {
            entries = new ArrayDeque<>(Math.min(capacity, 16));
        }
        entries.addLast(e);
        bytes += e.bytes();
        if (entries.size() > capacity) {
            drop();
        }
        int trimmed = 0;
        while (bytes > maxBytes && entries.size() > 1) {
            drop();
            trimmed++;
        }
        return trimmed;
    }

    private void drop() {
        bytes -= entries.removeFirst().bytes();
    }

    int size() {
        return entries == null ? 0 : entries.size();
    }

    int capacity() {
        return capacity;
    }

    int maxBytes() {
        return maxBytes;
    }

    /** Bytes held now (the sum of the entries' sizes). */
    long bytes() {
        return bytes;
    }

    /** The entries, oldest first (for moving the room, see {@link RoomCodec}). */
    List<Entry> entries() {
        return entries == null ? List.of() : List.copyOf(entries);
    }

    /**
     * Replays to {@code joiner}, oldest first: {@code from} is the author's address in the joiner's
     * style as it was when the message was sent, with {@code jabber:x:delay} and, for MUC-capable
     * joiners, {@code urn:xmpp:delay} (DEV-19). MUC-capable joiners get no subject changes (they get
     * the subject once, after the history, spec §13.2) and have their {@code <history/>} request
     * honoured. Returns whether a replayed message carried a {@code <subject>}.
     */
    boolean replay(Participant joiner, Jid room, HistoryRequest request, long now, Outbox out) {
        if (entries == null || entries.isEmpty()) {
            return false;
        }
        String roomJid = room.toString();
        List<Element> copies = new ArrayList<>(entries.size());
        boolean subject = false;
        for (Entry e : entries) {
            boolean hasSubject = e.message().child("subject") != null;
            if (joiner.muc() && (hasSubject || !request.admits(e.stamp(), now))) {
                continue;
            }
            subject |= hasSubject;
            copies.add(copy(e, joiner, roomJid));
        }
        if (joiner.muc()) {
            copies = request.limit(copies);
        }
        for (Element c : copies) {
            out.send(c);
        }
        return subject;
    }

    private static Element copy(Entry e, Participant joiner, String roomJid) {
        Element copy = e.message().shallowCopy();
        if (joiner.legacy()) {
            copy.attr("from", e.nickFrom());
        }
        copy.attr("to", joiner.real.toString());
        copy.add(legacyDelay(roomJid, e.stamp()));
        if (joiner.muc()) {
            copy.add(new Element("delay", Ns.DELAY).attr("from", roomJid)
                    .attr("stamp", Timestamps.xep82(e.stamp())));
        }
        return copy;
    }

    /** {@code <x xmlns='jabber:x:delay' from='R' stamp='CCYYMMDDThh:mm:ss'>R</x>} [J14 jutil_delay]. */
    private static Element legacyDelay(String roomJid, long stamp) {
        Element x = new Element("x", Ns.X_DELAY).attr("from", roomJid)
                .attr("stamp", Timestamps.legacy(stamp));
        return x.addText(roomJid);
    }

    /** The characters of a replayed copy as XML (XEP-0045 {@code maxchars} counts these). */
    static int chars(Element copy) {
        return XmlWriter.toXml(copy).length();
    }

    // ---- size ---------------------------------------------------------------------------------

    /**
     * The UTF-8 size of the element's XML without escaping: names, namespace declarations,
     * attributes and text. A cheap walk over the tree (no serialisation on the message path).
     */
    static int weight(Element e) {
        long n = 5L + 2L * e.name().length(); // <name ...>...</name>
        if (e.namespace() != null) {
            n += 9 + utf8(e.namespace()); // xmlns='...'
        }
        for (int i = 0; i < e.attrCount(); i++) {
            n += 4 + utf8(e.attrName(i)) + utf8(e.attrValue(i));
        }
        for (Object c : e.children()) {
            n += c instanceof Element ? weight((Element) c) : utf8((String) c);
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    private static long utf8(String s) {
        long n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                n += c < 0x800 || Character.isSurrogate(c) ? 1 : 2; // a pair: 2 + 2 = 4 bytes
            }
        }
        return n;
    }

    /** Iterates oldest first without copying (tests and invariants). */
    Iterator<Entry> iterator() {
        return entries == null ? List.<Entry>of().iterator() : entries.iterator();
    }
}
