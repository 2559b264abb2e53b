package org.palaver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardLedgerTest {
    private static final long SECOND = 1_000_000_000L;
    private final ForwardLedger ledger = new ForwardLedger(1000, 1 << 20, 60 * SECOND);

    private static byte[] stanza(String body) {
        return ("<message><body>" + body + "</body></message>").getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> seqs(List<ForwardLedger.Entry> entries) {
        return entries.stream().map(ForwardLedger.Entry::seq).toList();
    }

    @Test
    void numbersInSendOrderAndSettlesCumulativelyPerRoom() {
        long a1 = ledger.record("a@c", stanza("1"), false, "o1", 0, 7);
        long b1 = ledger.record("b@c", stanza("2"), false, "o2", 0, 7);
        long a2 = ledger.record("a@c", stanza("3"), false, "o1", 0, 7);
        long a3 = ledger.record("a@c", stanza("4"), false, "o1", 0, 7);
        assertEquals(List.of(1L, 2L, 3L, 4L), List.of(a1, b1, a2, a3));
        assertEquals(4, ledger.size());

        assertEquals(2, ledger.acked("a@c", a2), "room a up to 3 settles 1 and 3, not b's 2 nor a's 4");
        assertEquals(List.of(b1, a3), seqs(ledger.stranded(n -> true)));
        assertEquals(0, ledger.acked("a@c", a2), "an acknowledgement that came twice settles nothing more");
        assertEquals(0, ledger.acked("b@c", 1), "below b's entry");
        assertEquals(1, ledger.acked("b@c", 99));
        assertEquals(1, ledger.acked("a@c", a3));
        assertEquals(0, ledger.size());
        assertEquals(0, ledger.bytes());
    }

    @Test
    void strandedAreTheEntriesLastSentToAGoneNodeInOrder() {
        long a1 = ledger.record("a@c", stanza("1"), false, "dead", 0, 7);
        ledger.record("b@c", stanza("2"), false, "alive", 0, 7);
        long a2 = ledger.record("a@c", stanza("3"), false, "dead", 0, 7);
        List<ForwardLedger.Entry> again = ledger.stranded("dead"::equals);
        assertEquals(List.of(a1, a2), seqs(again));
        assertEquals("a@c", again.get(0).room());
        assertEquals(7, again.get(0).routedAt(), "a resend keeps the epoch it was first routed under");
        assertEquals("<message><body>1</body></message>", new String(again.get(0).bytes(), StandardCharsets.UTF_8));

        ledger.retarget("a@c", a1, "new-owner");
        ledger.retarget("a@c", a2, "new-owner");
        assertEquals(List.of(), ledger.stranded("dead"::equals), "sent again: no longer stranded there");
        assertEquals(List.of(a1, a2), seqs(ledger.stranded("new-owner"::equals)), "kept until acknowledged");
        assertEquals(3, ledger.size());
    }

    /** A backup that forwarded a stanza logs it from here when the owner's delta comes without it (KNOWN_DELTA). */
    @Test
    void anEntryIsFoundByRoomAndNumberUntilSettled() {
        long a1 = ledger.record("a@c", stanza("1"), true, "o", 0, 7);
        long b1 = ledger.record("b@c", stanza("2"), false, "o", 0, 7);
        long a2 = ledger.record("a@c", stanza("3"), true, "o", 0, 7);
        assertEquals("<message><body>3</body></message>",
                new String(ledger.entry("a@c", a2).bytes(), StandardCharsets.UTF_8));
        assertTrue(ledger.entry("a@c", a2).parsed());
        assertNull(ledger.entry("a@c", b1), "another room's number");
        assertNull(ledger.entry("c@c", a1), "a room with no entry");
        ledger.acked("a@c", a1);
        assertNull(ledger.entry("a@c", a1), "settled");
        assertEquals(a2, ledger.entry("a@c", a2).seq());
        assertNull(ledger.entry("a@c", a2 + 10), "never recorded");
    }

    @Test
    void unacknowledgedEntriesExpire() {
        ledger.record("a@c", stanza("1"), false, "o", 0, 7);
        ledger.record("b@c", stanza("2"), false, "o", 30 * SECOND, 7);
        assertEquals(0, ledger.expire(60 * SECOND));
        assertEquals(1, ledger.expire(61 * SECOND));
        assertEquals(1, ledger.size());
        assertEquals(1, ledger.expire(91 * SECOND));
        assertEquals(0, ledger.size());
    }

    @Test
    void boundedByEntriesAndBytesTheOldestGoFirst() {
        ForwardLedger small = new ForwardLedger(3, 1 << 20, 60 * SECOND);
        for (int i = 0; i < 5; i++) {
            small.record("a@c", stanza(Integer.toString(i)), false, "o", i, 7);
        }
        assertEquals(3, small.size());
        assertEquals(2, small.evicted());
        assertEquals(List.of(3L, 4L, 5L), seqs(small.stranded(n -> true)));

        int size = stanza("x").length;
        ForwardLedger tight = new ForwardLedger(1000, 2L * size, 60 * SECOND);
        tight.record("a@c", stanza("x"), false, "o", 0, 7);
        tight.record("b@c", stanza("y"), false, "o", 0, 7);
        tight.record("a@c", stanza("z"), false, "o", 0, 7);
        assertEquals(2, tight.size());
        assertEquals(2L * size, tight.bytes());
        assertEquals(List.of(2L, 3L), seqs(tight.stranded(n -> true)));
    }

    @Test
    void manySettledBehindOneWaitingEntryDoNotPileUp() {
        ForwardLedger big = new ForwardLedger(10_000, 1 << 30, 60 * SECOND);
        long first = big.record("slow@c", stanza("0"), false, "o", 0, 7);
        for (int i = 0; i < 5000; i++) {
            long seq = big.record("fast@c", stanza("n"), false, "o", 0, 7);
            big.acked("fast@c", seq);
        }
        assertEquals(1, big.size());
        assertEquals(List.of(first), seqs(big.stranded(n -> true)));
    }
}
