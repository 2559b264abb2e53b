package org.palaver.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;
import org.palaver.xml.ElementReader;
import org.palaver.xml.XmlWriter;

/**
 * The byte form of a {@link Room} inside a {@link RoomState}: everything the spec makes observable,
 * so that a room decoded on another node behaves exactly as the one encoded.
 *
 * <p>Layout ({@link DataOutputStream} primitives; a string is an int byte count and UTF-8, -1 for
 * {@code null}; an element is its XML text as a string):
 * <pre>
 * int     schema version: major &lt;&lt; 16 | minor
 * section room:    jid, predefined, created, last, pushSeq, name, secret, privacyAllowed,
 *                  topic subject, topic announcement, join/leave/rename notices, history capacity,
 *                  [1.1] history byte limit, description, moderated, members-only, max occupants,
 *                  subject by anyone, real JIDs shown, int n + n affiliations (bare JID,
 *                  affiliation, ban reason), [1.2] hidden (left out of the service's lists)
 * section users:   int n; n records: real JID, last, cached presence (null = the empty one), owner,
 *                  entered; when entered: hash id, nick, legacy (gc-1.0), muc, privacy;
 *                  [1.1] granted role (null = the affiliation's default)
 *                  (entered users first, in entry order, then the registered-only ones)
 * section history: int n; n records, oldest first, of the messages whose author is entered now:
 *                  author (index of an entered user), stamp, message,
 *                  [1.1] the author's nick when it was sent, position in the whole history
 * [1.1] section departed history: int n; n records of the other messages (authors gone):
 *                  position in the whole history, the author's nick when it was sent, stamp, message
 * </pre>
 * History authors are kept by value since 1.1 (spec §11.2 update); the split keeps the history
 * section readable by 1.0 readers, which require entered authors: such a reader gets the messages of
 * the authors still present (replayed under their current nicks) and skips the departed section.
 * A section and every record is an int byte count and that many bytes. Readers read the fields they
 * know and skip the rest: a new <em>minor</em> version may only append fields to the end of a
 * section or record, or append sections. Anything else is a new <em>major</em> version, which older
 * readers refuse.
 */
final class RoomCodec {
    static final int MAJOR = 1;
    static final int MINOR = 2;
    /** Bounds a history ring decoded from damaged bytes (its arrays are allocated on first use). */
    private static final int MAX_HISTORY = 1 << 20;

    private RoomCodec() {
    }

    // ---- encoding ----------------------------------------------------------------------------

    static byte[] encode(Room room) {
        Writer w = new Writer();
        w.out(o -> o.writeInt(MAJOR << 16 | MINOR));
        w.section(o -> roomSection(room, o));
        List<Participant> users = usersInOrder(room);
        w.section(o -> {
            o.writeInt(users.size());
            for (Participant u : users) {
                w.record(o, r -> user(room, u, r));
            }
        });
        Map<String, Integer> enteredByHash = new HashMap<>();
        for (Participant u : room.entered()) {
            enteredByHash.put(u.hash(), enteredByHash.size());
        }
        List<History.Entry> history = room.history.entries();
        List<Integer> present = new ArrayList<>();
        List<Integer> departed = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            (enteredByHash.containsKey(authorHash(history.get(i))) ? present : departed).add(i);
        }
        w.section(o -> {
            o.writeInt(present.size());
            for (int i : present) {
                History.Entry e = history.get(i);
                w.record(o, r -> {
                    r.writeInt(enteredByHash.get(authorHash(e)));
                    r.writeLong(e.stamp());
                    writeString(r, XmlWriter.toXml(e.message()));
                    writeString(r, e.nickFrom());
                    r.writeInt(i);
                });
            }
        });
        w.section(o -> {
            o.writeInt(departed.size());
            for (int i : departed) {
                History.Entry e = history.get(i);
                w.record(o, r -> {
                    r.writeInt(i);
                    writeString(r, e.nickFrom());
                    r.writeLong(e.stamp());
                    writeString(r, XmlWriter.toXml(e.message()));
                });
            }
        });
        return w.bytes();
    }

    /** The hash id in a stored message's {@code from} ({@code R/hash}). */
    private static String authorHash(History.Entry e) {
        String from = e.message().attr("from");
        return from.substring(from.indexOf('/') + 1);
    }

    private static void roomSection(Room room, DataOutputStream o) throws IOException {
        writeString(o, room.jid.toString());
        o.writeBoolean(room.predefined);
        o.writeLong(room.created);
        o.writeLong(room.last);
        o.writeLong(room.pushSeq());
        writeString(o, room.name());
        writeString(o, room.secret);
        o.writeBoolean(room.privacyAllowed);
        writeString(o, room.topic == null ? null : room.topic.subject());
        writeString(o, room.topic == null ? null : room.topic.announcement());
        writeString(o, room.notices.join());
        writeString(o, room.notices.leave());
        writeString(o, room.notices.rename());
        o.writeInt(room.history.capacity());
        o.writeInt(room.history.maxBytes());
        RoomConfig c = room.config;
        writeString(o, c.description);
        o.writeBoolean(c.moderated);
        o.writeBoolean(c.membersOnly);
        o.writeInt(c.maxOccupants);
        o.writeBoolean(c.subjectByAnyone);
        o.writeBoolean(c.realJidsShown);
        o.writeInt(c.affiliations().size());
        for (Map.Entry<Jid, Affiliation> e : c.affiliations().entrySet()) {
            writeString(o, e.getKey().toString());
            writeString(o, e.getValue().value());
            writeString(o, c.banReason(e.getKey()));
        }
        o.writeBoolean(c.hidden);
    }

    private static List<Participant> usersInOrder(Room room) {
        List<Participant> users = new ArrayList<>(room.entered());
        for (Participant u : room.registered()) {
            if (!u.entered()) {
                users.add(u);
            }
        }
        return users;
    }

    private static void user(Room room, Participant u, DataOutputStream o) throws IOException {
        writeString(o, u.real.toString());
        o.writeLong(u.last);
        writeString(o, u.presence() == Participant.EMPTY_PRESENCE ? null : XmlWriter.toXml(u.presence()));
        o.writeBoolean(room.isOwner(u));
        o.writeBoolean(u.entered());
        if (u.entered()) {
            writeString(o, u.hash());
            writeString(o, u.nick());
            o.writeBoolean(u.legacy());
            o.writeBoolean(u.muc());
            o.writeBoolean(u.privacy());
        }
        writeString(o, u.role() == null ? null : u.role().value());
    }

    private static void writeString(DataOutputStream o, String s) throws IOException {
        if (s == null) {
            o.writeInt(-1);
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            o.writeInt(b.length);
            o.write(b);
        }
    }

    private interface Part {
        void write(DataOutputStream o) throws IOException;
    }

    /** Length-prefixed parts over one buffer. */
    private static final class Writer {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(buffer);

        void out(Part p) {
            try {
                p.write(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a byte array does not fail
            }
        }

        void section(Part p) {
            out(o -> record(o, p));
        }

        void record(DataOutputStream o, Part p) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            p.write(new DataOutputStream(b));
            o.writeInt(b.size());
            b.writeTo(o);
        }

        byte[] bytes() {
            return buffer.toByteArray();
        }
    }

    // ---- decoding ----------------------------------------------------------------------------

    /** The room the bytes describe, not yet listed anywhere; {@link IllegalArgumentException} on bad input. */
    static Room decode(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            int minor = checkVersion(bytes.length < 4 ? -1 : in.readInt(), bytes.length);
            Room room = roomSection(section(in), minor);
            List<Participant> entered = users(room, section(in), minor);
            DataInputStream present = section(in);
            DataInputStream departed = minor >= 1 ? section(in) : null;
            history(room, entered, present, departed);
            return room; // further sections: a newer minor version's, skipped
        } catch (EOFException e) {
            throw bad("truncated");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
    }

    /** Checks the schema version; returns its minor part. */
    private static int checkVersion(int version, int length) {
        if (version < 0) {
            throw bad("too short to be one (" + length + " bytes)");
        }
        int major = version >>> 16;
        if (major > MAJOR) {
            throw bad("schema version " + major + "." + (version & 0xffff) + " is newer than this node reads ("
                    + MAJOR + ".x)");
        }
        if (major < MAJOR) {
            throw bad("unknown schema version " + major + "." + (version & 0xffff));
        }
        return version & 0xffff;
    }

    private static Room roomSection(DataInputStream in, int minor) throws IOException {
        String rawJid = readString(in);
        Jid jid = Jid.parse(rawJid);
        if (jid == null || !jid.hasNode() || !jid.equals(jid.roomKey())) {
            throw bad("bad room JID " + rawJid);
        }
        boolean predefined = in.readBoolean();
        long created = in.readLong();
        long last = in.readLong();
        long pushSeq = in.readLong();
        String name = readString(in);
        String secret = readString(in);
        boolean privacyAllowed = in.readBoolean();
        String subject = readString(in);
        String announcement = readString(in);
        Notices notices = new Notices(readString(in), readString(in), readString(in));
        int capacity = in.readInt();
        if (capacity < 0 || capacity > MAX_HISTORY) {
            throw bad("implausible history size " + capacity);
        }
        int maxBytes = minor >= 1 ? in.readInt() : ServiceSettings.DEFAULT_HISTORY_BYTES;
        if (maxBytes < 1) {
            throw bad("implausible history byte limit " + maxBytes);
        }
        Room room = new Room(jid, predefined, new History(capacity, maxBytes), notices, created, last);
        if (minor >= 1) {
            config(room.config, in, minor);
        }
        room.pushSeq(pushSeq);
        room.name(name);
        room.secret = secret;
        room.privacyAllowed = privacyAllowed;
        room.topic = subject == null ? null : new Topic(subject, announcement);
        return room;
    }

    private static void config(RoomConfig c, DataInputStream in, int minor) throws IOException {
        c.description = readString(in);
        c.moderated = in.readBoolean();
        c.membersOnly = in.readBoolean();
        c.maxOccupants = in.readInt();
        if (c.maxOccupants < 0) {
            throw bad("negative occupant limit " + c.maxOccupants);
        }
        c.subjectByAnyone = in.readBoolean();
        c.realJidsShown = in.readBoolean();
        int n = count(in);
        for (int i = 0; i < n; i++) {
            Jid bare = jid(readString(in), "affiliated");
            Affiliation a = Affiliation.of(readString(in));
            if (a == null || a == Affiliation.NONE || !bare.equals(bare.bare())) {
                throw bad("bad affiliation of " + bare);
            }
            c.affiliate(bare, a, readString(in));
        }
        if (minor >= 2) {
            c.hidden = in.readBoolean();
        }
    }

    /** Restores the user records; returns the entered ones in entry order. */
    private static List<Participant> users(Room room, DataInputStream in, int minor) throws IOException {
        int n = count(in);
        List<Participant> entered = new ArrayList<>();
        ElementReader xml = ElementReader.unbounded();
        for (int i = 0; i < n; i++) {
            DataInputStream r = section(in);
            Jid real = jid(readString(r), "user");
            Participant u = new Participant(real, r.readLong());
            String presence = readString(r);
            if (presence != null) {
                u.cachePresence(element(xml, presence, "presence"));
            }
            boolean owner = r.readBoolean();
            if (r.readBoolean()) {
                Jid hashJid = occupant(room, readString(r), "hash id");
                Jid nickJid = occupant(room, readString(r), "nick");
                u.enter(hashJid, nickJid, r.readBoolean(), r.readBoolean(), r.readBoolean());
                if (room.resolve(u.hash()) != null || room.resolve(u.nick()) != null) {
                    throw bad("hash id or nick of " + real + " used twice");
                }
                entered.add(u);
            }
            if (minor >= 1) {
                String role = readString(r);
                if (role != null) {
                    if (Role.of(role) == null) {
                        throw bad("bad role " + role);
                    }
                    u.role(Role.of(role));
                }
            }
            if (room.isRegistered(real)) {
                throw bad("user " + real + " recorded twice");
            }
            room.restore(u);
            if (owner) {
                if (room.owner != null) {
                    throw bad("two owners");
                }
                room.owner = u;
            }
        }
        return entered;
    }

    /**
     * The history from the messages of present authors (positioned since 1.1; in order, and
     * attributed to the author's current nick, from a 1.0 writer) and of departed ones (1.1).
     */
    private static void history(Room room, List<Participant> entered, DataInputStream present,
                                DataInputStream departed) throws IOException {
        ElementReader xml = ElementReader.unbounded();
        int n = count(present);
        List<History.Entry> unplaced = new ArrayList<>();
        Map<Integer, History.Entry> placed = new HashMap<>();
        for (int i = 0; i < n; i++) {
            DataInputStream r = section(present);
            int author = r.readInt();
            if (author < 0 || author >= entered.size()) {
                throw bad("history author " + author + " is not an entered participant");
            }
            long stamp = r.readLong();
            Element message = element(xml, readString(r), "message");
            if (departed != null) { // 1.1: by value, positioned
                String nickFrom = readString(r);
                place(placed, r.readInt(), entry(message, nickFrom, stamp));
            } else {
                unplaced.add(entry(message, entered.get(author).nickJid().toString(), stamp));
            }
        }
        int m = departed == null ? 0 : count(departed);
        for (int i = 0; i < m; i++) {
            DataInputStream r = section(departed);
            int position = r.readInt();
            String nickFrom = readString(r);
            long stamp = r.readLong();
            place(placed, position, entry(element(xml, readString(r), "message"), nickFrom, stamp));
        }
        int total = n + m;
        if (total > room.history.capacity()) {
            throw bad(total + " history messages for a history of " + room.history.capacity());
        }
        int next = 0;
        for (int i = 0; i < total; i++) {
            History.Entry e = placed.remove(i);
            if (e == null) {
                if (next >= unplaced.size()) {
                    throw bad("history position " + i + " is missing");
                }
                e = unplaced.get(next++);
            }
            if (History.storable(e.message())) { // a 1.0 writer kept body-less messages too
                room.history.keep(e);
            }
        }
        if (!placed.isEmpty()) {
            throw bad("history positions out of range: " + placed.keySet());
        }
    }

    private static void place(Map<Integer, History.Entry> placed, int position, History.Entry e) {
        if (placed.put(position, e) != null) {
            throw bad("history position " + position + " used twice");
        }
    }

    private static History.Entry entry(Element message, String nickFrom, long stamp) {
        Jid nick = Jid.parse(nickFrom == null ? "" : nickFrom);
        if (nick == null || !nick.hasResource()) {
            throw bad("bad history author " + nickFrom);
        }
        String from = message.attr("from");
        if (from == null || from.indexOf('/') < 0) {
            throw bad("history message without an author");
        }
        return new History.Entry(message, nickFrom, stamp, History.weight(message));
    }

    private static Jid jid(String raw, String what) {
        Jid jid = Jid.parse(raw);
        if (jid == null) {
            throw bad("bad " + what + " JID " + raw);
        }
        return jid;
    }

    /** {@code R/resource}, the address of an occupant. */
    private static Jid occupant(Room room, String resource, String what) {
        Jid jid = resource == null || resource.isEmpty() ? null : Jid.parse(room.jid + "/" + resource);
        if (jid == null) {
            throw bad("bad " + what + " " + resource);
        }
        return jid;
    }

    private static Element element(ElementReader xml, String text, String name) {
        if (text == null) {
            throw bad("missing " + name);
        }
        Element e;
        try {
            e = xml.parse(text);
        } catch (IllegalArgumentException ex) {
            throw bad(ex.getMessage());
        }
        if (!e.name().equals(name) || e.namespace() != null) {
            throw bad("expected a " + name + ", got <" + e.name() + ">");
        }
        return e;
    }

    /** A count of records, each at least an int long. */
    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available() / 4) {
            throw bad("implausible count " + n);
        }
        return n;
    }

    /** The next length-prefixed part, to be read on its own (its unknown tail is skipped). */
    private static DataInputStream section(DataInputStream in) throws IOException {
        return new DataInputStream(new ByteArrayInputStream(readBytes(in)));
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[length(in, in.readInt())];
        in.readFully(b);
        return b;
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        byte[] b = new byte[length(in, n)];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A length read from damaged bytes must not allocate more than there is. */
    private static int length(DataInputStream in, int n) throws IOException {
        if (n < 0) {
            throw bad("negative length " + n);
        }
        if (n > in.available()) {
            throw new EOFException();
        }
        return n;
    }

    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException("not a usable room state: " + why);
    }
}
