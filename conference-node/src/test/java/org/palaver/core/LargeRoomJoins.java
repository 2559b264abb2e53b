package org.palaver.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import org.palaver.xml.Element;
import org.palaver.xml.ElementReader;
import org.palaver.xml.FanoutBytes;
import org.palaver.xml.Jid;
import org.palaver.xml.StanzaBytes;

/**
 * Measures what joining one large room costs (issue 10, large rooms): N users join one room, one
 * after the other, through the real protocol core; every stanza and fan-out copy it produces is
 * counted with the exact bytes the node would write for it (the same serialisation as the router
 * connection's write batch). Bytes and stanzas do not depend on the machine; the time is the core's
 * alone (no network, no router; the counting's own serialisation included) and does depend on it:
 * wall time, and the measuring thread's CPU time, which a loaded machine inflates less.
 *
 * <p>Run by {@code scripts/large-room-joins.sh N...}. Shapes: MUC clients (presence with
 * {@code muc#user}, no notices) and plain gc-1.0 clients (what the bench driver plays: presences
 * plus a join notice to everyone), each with every role's presence broadcast (the default), and
 * MUC clients in a moderated room that broadcasts only moderators' and participants' presence
 * (the joiners are visitors: {@code muc#roomconfig_presencebroadcast}).
 */
public final class LargeRoomJoins {
    private static final String DOMAIN = "conference.localhost";
    private static final String ROOM = "big@" + DOMAIN;
    private static final String MUC = "http://jabber.org/protocol/muc";

    /** Counts what the core puts out, with the bytes written for it. */
    private static final class Counting implements Outbox {
        long stanzas;
        long bytes;

        @Override
        public void send(Element stanza) {
            stanzas++;
            bytes += StanzaBytes.of(stanza).length;
        }

        @Override
        public void fanout(Element template, List<Jid> recipients) {
            FanoutBytes f = FanoutBytes.of(template);
            for (Jid to : recipients) {
                stanzas++;
                bytes += f.copySize(to);
            }
        }
    }

    private enum Shape {
        MUC_ALL("MUC, all roles broadcast"),
        GC10_ALL("gc-1.0 with join notices"),
        MUC_VISITORS_HIDDEN("MUC, visitors not broadcast");

        final String label;

        Shape(String label) {
            this.label = label;
        }
    }

    private LargeRoomJoins() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {2_000, 10_000} : new int[args.length];
        for (int i = 0; i < args.length; i++) {
            sizes[i] = Integer.parseInt(args[i]);
        }
        System.out.printf(Locale.ROOT, "%-30s %7s %14s %16s %10s %12s %9s %9s%n", "shape", "n", "stanzas out",
                "bytes out", "last join", "last bytes", "wall s", "CPU s");
        String only = System.getProperty("shapes"); // e.g. -Dshapes=MUC_VISITORS_HIDDEN
        for (int n : sizes) {
            for (Shape shape : Shape.values()) {
                if (only == null || only.contains(shape.name())) {
                    run(shape, n);
                }
            }
        }
    }

    private static void run(Shape shape, int n) {
        ServiceSettings settings = ServiceSettings.defaults(DOMAIN).withLimits(Limits.off());
        ConferenceService core = new ConferenceService(settings, 0);
        ElementReader xml = ElementReader.unbounded();
        long now = 1;
        Counting total = new Counting();
        core.handle(xml.parse(join("owner", shape)), now, total); // the owner creates the room
        if (shape == Shape.MUC_VISITORS_HIDDEN) {
            core.handle(xml.parse("<iq type='set' id='c' to='" + ROOM + "' from='owner@localhost/r'>"
                    + "<query xmlns='" + MUC + "#owner'><x xmlns='jabber:x:data' type='submit'>"
                    + "<field var='muc#roomconfig_moderatedroom'><value>1</value></field>"
                    + "<field var='muc#roomconfig_presencebroadcast'><value>moderator</value><value>participant</value>"
                    + "</field></x></query></iq>"), now, total);
        }
        Counting last = new Counting();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 1; i < n; i++) {
            Counting out = i == n - 1 ? last : total;
            core.handle(xml.parse(join("u" + i, shape)), ++now, out);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        if (core.participantCount() != n) {
            throw new IllegalStateException(shape + ": " + core.participantCount() + " of " + n + " joined");
        }
        System.out.printf(Locale.ROOT, "%-30s %7d %,14d %,16d %,10d %,12d %9.2f %9.2f%n", shape.label, n,
                total.stanzas + last.stanzas, total.bytes + last.bytes, last.stanzas, last.bytes, seconds, cpuSeconds);
    }

    private static String join(String user, Shape shape) {
        String presence = "<presence to='" + ROOM + "/" + user + "' from='" + user + "@localhost/r'";
        return shape == Shape.GC10_ALL ? presence + "/>" : presence + "><x xmlns='" + MUC + "'/></presence>";
    }
}
