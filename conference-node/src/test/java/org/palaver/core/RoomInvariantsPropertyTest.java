package org.palaver.core;

import static org.palaver.core.Addressing.S;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random traffic against the protocol core, checking invariants that hold whatever the traffic:
 * nothing escapes {@code handle}; every stanza is addressed; room traffic reaches only entered
 * participants; nicks are unique; browse lists and counts agree with what was announced; errors
 * have the DEV-12 shape and answer only the sender; errors and iq results are never answered.
 *
 * <p>Membership is modelled only from observable output ({@link ObservedMembership}); the traffic
 * comes from {@link TrafficGenerator}; {@link TrafficRun} drives one seed through
 * {@link DeliveryInvariants}, {@link MembershipInvariants} and {@link BrowseAudit}.
 */
class RoomInvariantsPropertyTest {
    static IntStream seeds() {
        return IntStream.rangeClosed(1, 20);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void invariantsHoldUnderRandomTraffic(int seed) {
        Service service = service(seed);
        new TrafficRun(seed, service.settings(), service.room2Secret(), service.isPrivate()).run();
    }

    /**
     * A service under test and what the observers must know about it: the secret of room2 (the
     * only room with one) and whether outsiders are kept from seeing participants (§5.5).
     */
    record Service(ServiceSettings settings, String room2Secret, boolean isPrivate) {
    }

    /**
     * The seeds cycle through five services, so every invariant is tried against each: the §18
     * defaults; no history and at most five participants per room; predefined tracked rooms (room2
     * with secret "pw" and privacy) with dynamic rooms disabled; history 2 with nicks of at most
     * three characters; a private service.
     */
    static Service service(int seed) {
        ServiceSettings d = ServiceSettings.defaults(S);
        return switch (seed % 5) {
            case 1 -> new Service(d.withHistorySize(0).withLimits(64, 5), null, false);
            case 2 -> new Service(d.withDynamicRooms(false).withRooms(List.of(
                    new ServiceSettings.PredefinedRoom("room0", "Zero", null, false, null, null, null),
                    new ServiceSettings.PredefinedRoom("room1", null, null, true, null, null, null),
                    new ServiceSettings.PredefinedRoom("room2", "Two", "pw", true, null, null, null))), "pw", false);
            case 3 -> new Service(d.withHistorySize(2).withLimits(3, 0), null, false);
            case 4 -> new Service(d.withPublicService(false), null, true);
            default -> new Service(d, null, false);
        };
    }
}
