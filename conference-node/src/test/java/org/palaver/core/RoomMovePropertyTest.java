package org.palaver.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.palaver.testkit.Harness;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlWriter;

/**
 * Moving rooms is invisible: the seeded random traffic of {@link RoomInvariantsPropertyTest} goes
 * to a single-node service and, in lock-step, to a "moving" service whose rooms are exported,
 * carried as bytes, decoded and imported again — into a brand-new core sharing the directory (a
 * handoff) or back into the same one — after many steps. Every step's output must be the same
 * stanzas in the same order, and the counts must agree.
 *
 * <p>The moving service is built like a cluster node (predefined rooms materialised on demand), so
 * this also shows that lazily created predefined rooms behave as the eagerly created ones.
 */
class RoomMovePropertyTest {
    private static final int STEPS = 2_000;
    private static final long BEAT = 120_000;

    static IntStream seeds() {
        return IntStream.rangeClosed(1, 20);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void movedRoomsBehaveAsIfNeverMoved(int seed) {
        new Run(seed, RoomInvariantsPropertyTest.service(seed).settings()).run();
    }

    /** One seeded run: the reference harness, the moving service and the traffic. */
    private static final class Run {
        private final StepContext ctx;
        private final ServiceSettings settings;
        private final Harness reference;
        private final RecentPushes pushes = new RecentPushes();
        private final TrafficGenerator generator;
        /** Decides the moves; separate from the traffic's dice so the traffic is the invariants test's. */
        private final Random moves;
        private final LocalRoomDirectory directory = new LocalRoomDirectory();
        private final Set<Jid> predefinedKeys = new HashSet<>();
        private ConferenceService moving;
        private int handoffs;

        Run(int seed, ServiceSettings settings) {
            this.ctx = new StepContext(seed);
            this.settings = settings;
            this.reference = new Harness(settings);
            this.generator = new TrafficGenerator(ctx, pushes);
            this.moves = new Random(seed * 7919L);
            this.moving = new ConferenceService(settings, Harness.T0, directory);
            for (ServiceSettings.PredefinedRoom p : settings.rooms()) {
                predefinedKeys.add(Jid.parse(p.node().toLowerCase(Locale.ROOT) + "@" + settings.domain()));
            }
        }

        void run() {
            for (int step = 0; step < STEPS; step++) {
                ctx.step(step);
                if (generator.nextIsClockJump()) {
                    clockJump(generator.clockJump());
                } else {
                    send(generator.next());
                }
                move();
                checkCounts();
            }
            ctx.check(handoffs > 100, "too few handoffs to mean anything: " + handoffs);
        }

        private void send(Element stanza) {
            ctx.input(stanza);
            List<Element> expected = reference.in(stanza);
            Expanding actual = new Expanding();
            moving.handle(stanza, reference.now(), actual);
            compare(expected, actual.stanzas);
            expected.forEach(pushes::remember);
        }

        private void clockJump(long millis) {
            ctx.input(new Element("heartbeat"));
            long end = reference.now() + millis;
            while (reference.now() + BEAT <= end) {
                reference.advanceWithHeartbeats(BEAT);
                moving.heartbeat(reference.now(), new Expanding());
            }
            reference.advance(end - reference.now());
        }

        /** Now and then every room moves: to a new core (handoff) or out and back into this one. */
        private void move() {
            int dice = moves.nextInt(10);
            if (dice < 5) {
                return;
            }
            ConferenceService target = dice < 8 ? new ConferenceService(settings, Harness.T0, directory) : moving;
            List<RoomState> states = new ArrayList<>();
            for (Jid room : moving.roomKeys()) {
                states.add(RoomState.decode(moving.exportRoom(room).bytes()));
            }
            ctx.check(moving.roomCount() == 0 && moving.participantCount() == 0,
                    "counts after exporting everything: " + moving.roomCount() + " rooms, "
                            + moving.participantCount() + " participants");
            ctx.check(directory.rooms().isEmpty(), "listings left after exporting everything: " + directory.rooms());
            for (RoomState state : states) {
                target.importRoom(state, reference.now());
            }
            moving = target;
            handoffs++;
        }

        /**
         * The same participants; the same rooms except predefined rooms nobody needed yet (the
         * reference holds them from start-up); every held room listed, and nothing else.
         */
        private void checkCounts() {
            ConferenceService ref = reference.service();
            ctx.check(ref.participantCount() == moving.participantCount(), "participant counts differ: "
                    + ref.participantCount() + " vs " + moving.participantCount());
            Set<Jid> missing = new HashSet<>(ref.roomKeys());
            ctx.check(missing.containsAll(moving.roomKeys()), "rooms the reference lacks: " + moving.roomKeys());
            moving.roomKeys().forEach(missing::remove);
            ctx.check(predefinedKeys.containsAll(missing), "rooms not held after moving: " + missing);
            ctx.check(directory.rooms().size() == moving.roomCount(), "listings " + directory.rooms()
                    + " for " + moving.roomKeys());
        }

        private void compare(List<Element> expected, List<Element> actual) {
            List<String> e = expected.stream().map(XmlWriter::toXml).toList();
            List<String> a = actual.stream().map(XmlWriter::toXml).toList();
            if (!e.equals(a)) {
                ctx.check(false, "output differs after " + handoffs + " moves:\n  expected " + e + "\n  actual   " + a);
            }
        }
    }

    /** Fan-outs expanded per recipient, in order, as {@link Harness} does. */
    static final class Expanding implements Outbox {
        final List<Element> stanzas = new ArrayList<>();

        @Override
        public void send(Element stanza) {
            stanzas.add(stanza);
        }

        @Override
        public void fanout(Element template, List<Jid> recipients) {
            for (Jid r : recipients) {
                stanzas.add(template.shallowCopy().attr("to", r.toString()));
            }
        }
    }
}
