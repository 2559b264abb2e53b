package org.palaver.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.palaver.cluster.BackupPlan;
import org.palaver.cluster.HeldBackups;
import org.palaver.testkit.Harness;
import org.palaver.xml.Element;
import org.palaver.xml.ElementCodec;
import org.palaver.xml.Jid;
import org.palaver.xml.StanzaBytes;

/**
 * Crash takeover rests on this: a backup fed with the owner's replicated inputs is the owner's
 * room, byte for byte. The seeded random traffic of {@link RoomInvariantsPropertyTest} goes to an
 * owner core (built like a cluster node's); after each stanza the owner's {@link BackupPlan} decides
 * what to send (snapshot, delta, drop), and the stanza travels as bytes to one of two backup nodes'
 * {@link HeldBackups}; heartbeats go to both. Now and then every room's backup moves to the other
 * node (a view change), and some deltas are lost on the way (the backup must notice the gap and
 * get a fresh snapshot). Every {@value #CHECK_EVERY} steps each room the owner holds has exactly one
 * copy, on its backup, whose log replays to the owner's exact {@code RoomState} bytes; at the end
 * the backups, promoted into a new core, are the owner's rooms.
 */
class HeldBackupsPropertyTest {
    private static final int STEPS = 2_000;
    private static final long BEAT = 120_000;
    private static final String OWNER = "owner";
    /** Steps between checks of every backup; the backups are kept as logs and rebuilt by each check. */
    private static final int CHECK_EVERY = 25;

    static IntStream seeds() {
        return IntStream.rangeClosed(1, 20);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void copiesFollowTheOwnerExactly(int seed) {
        new Run(seed, RoomInvariantsPropertyTest.service(seed).settings()).run();
    }

    private static final class Run {
        private final StepContext ctx;
        private final ServiceSettings settings;
        private final RecentPushes pushes = new RecentPushes();
        private final TrafficGenerator generator;
        private final Random dice;
        private final ConferenceService owner;
        private final BackupPlan replicas = new BackupPlan();
        private final Map<String, HeldBackups> backups = new HashMap<>();
        /** Rooms whose last delta was lost: their copy is behind until the gap shows and a snapshot follows. */
        private final Set<Jid> stale = new HashSet<>();
        /** Which of the two backup nodes the current "view" gives all rooms. */
        private String backup = "b1";
        private long now = Harness.T0;
        private int deltas;
        private int gaps;
        private int moves;

        Run(int seed, ServiceSettings settings) {
            this.ctx = new StepContext(seed);
            this.settings = settings;
            this.generator = new TrafficGenerator(ctx, pushes);
            this.dice = new Random(seed * 104_729L);
            this.owner = new ConferenceService(settings, Harness.T0, new LocalRoomDirectory());
            backups.put("b1", new HeldBackups(settings));
            backups.put("b2", new HeldBackups(settings));
        }

        void run() {
            for (int step = 0; step < STEPS; step++) {
                ctx.step(step);
                if (generator.nextIsClockJump()) {
                    clockJump(generator.clockJump());
                } else {
                    send(generator.next());
                }
                if (dice.nextInt(50) == 0) {
                    moveBackups();
                }
                if (step % CHECK_EVERY == 0) { // a check replays every log: not every step
                    checkCopies();
                }
            }
            checkCopies();
            checkPromotion();
            ctx.check(deltas > 500 && moves > 10 && gaps > 0, "too little replication to mean anything: " + deltas
                    + " deltas, " + moves + " backup moves, " + gaps + " gaps seen");
        }

        private void send(Element stanza) {
            ctx.input(stanza);
            now += 1 + dice.nextInt(3_000);
            // as the owner's shell takes them, before the core: XML (protocol < 3) or the parsed form,
            // mixed in one log as during a rolling upgrade
            boolean parsed = dice.nextBoolean();
            byte[] bytes = parsed ? ElementCodec.encode(stanza) : StanzaBytes.of(stanza);
            RoomMovePropertyTest.Expanding out = new RoomMovePropertyTest.Expanding();
            owner.handle(stanza, now, out);
            out.stanzas.forEach(pushes::remember);
            Jid to = Jid.parse(stanza.attr("to"));
            if (to == null || !to.hasNode() || !to.domainIs(settings.domain())) {
                return; // the service itself: nothing to replicate
            }
            Jid room = to.roomKey();
            String key = room.toString();
            BackupPlan.Plan plan = replicas.changed(key, owner.holds(room), List.of(backup), bytes.length);
            carryOut(room, plan);
            if (!plan.deltaTo().isEmpty()) {
                deltas++;
                if (dice.nextInt(100) == 0) {
                    stale.add(room);
                    return; // lost on the way: the next change shows the gap
                }
                if (!backups.get(plan.deltaTo().get(0)).delta(OWNER, room, plan.seq(), now, bytes, parsed)) {
                    gaps++;
                    replicas.resync(key); // the backup's RESYNC
                    carryOut(room, replicas.establish(key, owner.holds(room), List.of(backup)));
                }
            }
        }

        private void carryOut(Jid room, BackupPlan.Plan plan) {
            for (String node : plan.dropAt()) {
                backups.get(node).drop(OWNER, room);
            }
            for (String node : plan.snapshotTo()) {
                byte[] bytes = owner.snapshotRoom(room).bytes();
                backups.get(node).snapshot(OWNER, RoomState.decode(bytes), plan.seq());
                replicas.snapshotSent(room.toString(), bytes.length);
                stale.remove(room);
            }
        }

        private void clockJump(long millis) {
            ctx.input(new Element("heartbeat"));
            long end = now + millis;
            while (now + BEAT <= end) {
                now += BEAT;
                owner.heartbeat(now, new RoomMovePropertyTest.Expanding());
                backups.values().forEach(b -> b.heartbeat(OWNER, now));
                for (String key : replicas.rooms()) {
                    Jid room = Jid.parse(key);
                    if (!owner.holds(room)) {
                        replicas.forget(key).forEach(node -> backups.get(node).drop(OWNER, room));
                    }
                }
            }
            now = end;
        }

        /** A view change: every room's backup is now the other node. */
        private void moveBackups() {
            backup = backup.equals("b1") ? "b2" : "b1";
            for (Jid room : owner.roomKeys()) {
                carryOut(room, replicas.establish(room.toString(), true, List.of(backup)));
            }
            moves++;
        }

        private void checkCopies() {
            String other = backup.equals("b1") ? "b2" : "b1";
            for (Jid room : owner.roomKeys()) {
                RoomState copy = backups.get(backup).peek(OWNER, room);
                ctx.check(copy != null || stale.contains(room), "no copy of " + room + " on its backup (" + gaps + " gaps so far)");
                ctx.check(stale.contains(room) || Arrays.equals(owner.snapshotRoom(room).bytes(), copy.bytes()),
                        "the copy of " + room + " differs from the owner's room");
            }
            ctx.check(!stale.isEmpty() || backups.get(backup).rooms() == owner.roomCount(), "copies of rooms the owner no longer holds: "
                    + backups.get(backup).rooms() + " copies, " + owner.roomCount() + " rooms");
            ctx.check(backups.get(other).rooms() == 0, "the former backup kept copies: " + backups.get(other).rooms());
        }

        /** The owner crashes: its rooms, promoted from the backups into a new core, are exactly its rooms. */
        private void checkPromotion() {
            for (Jid room : Set.copyOf(stale)) { // the gaps seen now, as the next change would
                replicas.resync(room.toString());
                carryOut(room, replicas.establish(room.toString(), owner.holds(room), List.of(backup)));
            }
            List<RoomState> copies = backups.get(backup).promote(OWNER);
            ConferenceService survivor = new ConferenceService(settings, now, new LocalRoomDirectory());
            for (RoomState state : copies) {
                survivor.importRoom(RoomState.decode(state.bytes()), now);
            }
            ctx.check(survivor.roomKeys().size() == owner.roomCount(), "promoted " + survivor.roomKeys()
                    + " for " + owner.roomKeys());
            for (Jid room : owner.roomKeys()) {
                ctx.check(Arrays.equals(owner.snapshotRoom(room).bytes(), survivor.snapshotRoom(room).bytes()),
                        "promoted " + room + " differs from the owner's room");
            }
            ctx.check(survivor.participantCount() == owner.participantCount(), "participants after promotion: "
                    + survivor.participantCount() + " vs " + owner.participantCount());
            ctx.check(backups.get(backup).rooms() == 0, "copies left after promotion");
        }
    }
}
