package dev.ringside.uring.http;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Connections waiting for a buffer: stale entries never count, and never fill the list. */
class WaitListTest {
    /** Which (slot, generation) pairs still wait: what the driver reads from its connection table. */
    private final Set<Long> waiting = new HashSet<>();
    private final WaitList list = new WaitList(4, (slot, generation) -> waiting.contains(key(slot, generation)));

    private static long key(int slot, int generation) {
        return (long) slot << 32 | generation;
    }

    private void waits(int slot, int generation) {
        waiting.add(key(slot, generation));
        list.add(slot, generation);
    }

    @Test
    void theLatestStillWaitingIsTakenFirstAndStaleEntriesAreSkipped() {
        waits(0, 1);
        waits(1, 1);
        waits(2, 1);
        waiting.remove(key(1, 1)); // it closed while it waited
        assertEquals(2, list.take());
        assertEquals(0, list.take(), "slot 1's entry is stale");
        assertEquals(-1, list.take());
        assertTrue(list.isEmpty());
    }

    @Test
    void aSlotThatClosesAndWaitsAgainUnderANewGenerationCountsOnce() {
        waits(3, 7);
        waiting.remove(key(3, 7));
        waits(3, 8);
        assertEquals(3, list.take());
        assertEquals(-1, list.take(), "the old generation's entry is stale");
    }

    @Test
    void connectionsThatComeAndGoWhileTheyWaitNeverOverflowTheList() {
        // One slot, reused by a thousand connections that each wait and close: the deferred list
        // of HttpServerDriver overflowed (and killed its loop) after capacity such entries.
        waits(0, 0);
        for (int g = 1; g <= 1000; g++) {
            waiting.remove(key(1, g - 1));
            waits(1, g);
        }
        assertTrue(list.size() <= 4, "stale entries are dropped when the list is full");
        assertEquals(1, list.take());
        assertEquals(0, list.take());
        assertEquals(-1, list.take());
    }

    @Test
    void moreLiveEntriesThanSlotsIsABugThatSaysSo() {
        for (int slot = 0; slot < 4; slot++) {
            waits(slot, 0);
        }
        assertThrows(IllegalStateException.class, () -> waits(0, 1));
    }
}
