package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.palaver.xml.Jid;

class OwnershipViewTest {
    private static final OwnershipView ABC = new OwnershipView(3, List.of("a", "b", "c"));

    @Test
    void ownerIsAPureFunctionOfKeyAndMemberSetNotOrder() {
        OwnershipView reordered = new OwnershipView(9, List.of("c", "a", "b"));
        for (int i = 0; i < 500; i++) {
            String key = "room" + i + "@conference.localhost";
            assertEquals(ABC.owner(key), reordered.owner(key), key);
        }
    }

    /**
     * Pinned: every version of the node must pick the same owners from the same view, or a mixed
     * cluster would disagree on every room. Changing the owner function needs a new view version.
     */
    @Test
    void ownerFunctionIsStableAcrossVersions() {
        List<String> owners = List.of("lounge", "help", "a", "b", "c", "d", "e", "f").stream()
                .map(n -> ABC.owner(n + "@conference.localhost")).toList();
        assertEquals(PINNED, owners);
    }

    private static final List<String> PINNED = List.of("b", "a", "c", "c", "c", "b", "a", "b");

    /** Pinned like the owners: a backup elsewhere than older nodes expect would miss its deltas. */
    @Test
    void backupFunctionIsStableAcrossVersions() {
        List<String> backups = List.of("lounge", "help", "a", "b", "c", "d", "e", "f").stream()
                .map(n -> ABC.backup(n + "@conference.localhost")).toList();
        assertEquals(List.of("c", "c", "b", "a", "a", "a", "b", "a"), backups);
    }

    /** One ranking pass gives all three: the same owner, and the runners-up by exclusion, in any member order. */
    @Test
    void placementIsTheOwnerAndTheRunnersUpWhateverTheMemberOrder() {
        List<List<String>> orders = List.of(List.of("a", "b", "c", "d"), List.of("d", "c", "b", "a"),
                List.of("b", "d", "a", "c"), List.of("c", "a", "d", "b"));
        for (int i = 0; i < 500; i++) {
            String key = "room" + i + "@conference.localhost";
            OwnershipView first = new OwnershipView(1, orders.get(0));
            String owner = first.owner(key);
            String runnerUp = first.without(owner).owner(key);
            String third = first.without(owner).without(runnerUp).owner(key);
            for (List<String> order : orders) {
                OwnershipView.Placement p = new OwnershipView(1, order).placement(key);
                assertEquals(new OwnershipView.Placement(owner, runnerUp, third), p, key + " " + order);
                assertEquals(List.of(runnerUp, third), p.backups(2));
                assertEquals(List.of(runnerUp), p.backups(1));
                assertEquals(List.of(), p.backups(0));
                assertEquals(true, first.ranksAbove(key, runnerUp, third));
                assertEquals(false, first.ranksAbove(key, third, owner));
            }
        }
        assertEquals(new OwnershipView.Placement("a", null), new OwnershipView(1, List.of("a")).placement("r"));
        OwnershipView two = new OwnershipView(1, List.of("a", "b"));
        String other = two.owner("r").equals("a") ? "b" : "a";
        assertEquals(List.of(other), two.placement("r").backups(2), "two members: one backup, whatever is asked");
        assertEquals(new OwnershipView.Placement(null, null), OwnershipView.EMPTY.placement("r"));
    }

    @Test
    void theBackupIsTheRunnerUpWhoOwnsTheRoomOnceTheOwnerLeaves() {
        OwnershipView five = new OwnershipView(7, List.of("a", "b", "c", "d", "e"));
        Map<String, Integer> backups = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            String key = "room" + i + "@conference.localhost";
            String owner = five.owner(key);
            String backup = five.backup(key);
            assertTrue(backup != null && !backup.equals(owner), key);
            assertEquals(backup, five.without(owner).owner(key), "takeover needs no election: " + key);
            backups.merge(backup, 1, Integer::sum);
        }
        assertEquals(5, backups.size(), "backups spread over all members: " + backups);
        assertNull(new OwnershipView(1, List.of("a")).backup("r@conference.localhost"), "nobody to back up to");
        assertNull(OwnershipView.EMPTY.backup("r@conference.localhost"));
    }

    @Test
    void aRoomsPlacementIsTheSameWhetherRankedAnewOrRemembered() {
        OwnershipView view = new OwnershipView(3, List.of("a", "b", "c"));
        int rooms = OwnershipView.CACHED_PLACEMENTS + 100; // past the cache's bound too
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < rooms; i++) {
                String key = "room" + i + "@conference.localhost";
                assertEquals(view.placement(key), view.placement(Jid.parse(key)), key);
            }
        }
        OwnershipView next = new OwnershipView(4, List.of("a", "b"));
        Jid room = Jid.parse("room7@conference.localhost");
        view.placement(room);
        assertEquals(next.placement(room.toString()), next.placement(room), "a new view ranks anew");
    }

    @Test
    void noMembersMeansNoOwner() {
        assertNull(OwnershipView.EMPTY.owner(Jid.parse("r@conference.localhost")));
    }

    @Test
    void keysSpreadOverMembers() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            counts.merge(ABC.owner("room" + i + "@conference.localhost"), 1, Integer::sum);
        }
        counts.values().forEach(n -> assertTrue(n > 800 && n < 1200, "uneven spread " + counts));
    }

    /** Rendezvous hashing: a join moves keys only to the newcomer, a leave only away from the leaver. */
    @Test
    void membershipChangesMoveOnlyTheKeysTheyMust() {
        OwnershipView joined = ABC.with("d");
        OwnershipView left = ABC.without("b");
        int moved = 0;
        for (int i = 0; i < 3000; i++) {
            String key = "room" + i + "@conference.localhost";
            String before = ABC.owner(key);
            if (!before.equals(joined.owner(key))) {
                assertEquals("d", joined.owner(key), key);
                moved++;
            }
            if (!before.equals(left.owner(key))) {
                assertEquals("b", before, key);
            }
        }
        assertTrue(moved > 600 && moved < 900, "about a quarter moves to the fourth node: " + moved);
    }

    @Test
    void changesCountEpochsAndAreIdempotent() {
        assertEquals(4, ABC.with("d").epoch());
        assertSame(ABC, ABC.with("a"));
        assertSame(ABC, ABC.without("z"));
        assertEquals(List.of("a", "c"), ABC.without("b").members());
    }

    @Test
    void encodingRoundTripsAndIsReadTolerantly() {
        assertEquals(ABC, OwnershipView.decode(ABC.encode()));
        String future = "palaver-ownership 2\n7\nx\ny\n\nweights: x=2\n";
        assertEquals(new OwnershipView(7, List.of("x", "y")), OwnershipView.decode(future));
        assertThrows(IllegalArgumentException.class, () -> OwnershipView.decode("hello"));
        assertThrows(IllegalArgumentException.class, () -> OwnershipView.decode("palaver-ownership 1\nseven\n"));
    }
}
