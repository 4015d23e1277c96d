package dev.ringside.uring.http;

/**
 * Connections waiting on one loop for a resource to come back (a head buffer, a receive buffer),
 * as (slot, generation) pairs, last in first out. A connection may close while it waits and its
 * slot serve a new connection that waits again, so entries go stale; one rule covers both lists:
 * an entry counts only while {@link Waiting#stillWaiting} says so for its slot and generation.
 * Stale entries are skipped when taken and dropped when the list is full, so the list never holds
 * more than its capacity (the loop's connection slots) of live entries and never overflows.
 * Allocation-free; one per loop, on the loop.
 */
final class WaitList {
    interface Waiting {
        /** Whether the connection in {@code slot}, of {@code generation}, still waits for this list's resource. */
        boolean stillWaiting(int slot, int generation);
    }

    private final int[] slots;
    private final int[] generations;
    private final Waiting waiting;
    private int count;

    WaitList(int capacity, Waiting waiting) {
        this.slots = new int[capacity];
        this.generations = new int[capacity];
        this.waiting = waiting;
    }

    void add(int slot, int generation) {
        if (count == slots.length) {
            dropStale();
        }
        slots[count] = slot;
        generations[count++] = generation;
    }

    /** The slot of the latest entry still waiting, removed from the list; -1 if none is. */
    int take() {
        while (count > 0) {
            count--;
            if (waiting.stillWaiting(slots[count], generations[count])) {
                return slots[count];
            }
        }
        return -1;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Entries held, stale ones included. */
    int size() {
        return count;
    }

    private void dropStale() {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (waiting.stillWaiting(slots[i], generations[i])) {
                slots[kept] = slots[i];
                generations[kept++] = generations[i];
            }
        }
        if (kept == slots.length) {
            // A live connection waits at most once (it is not parsed again while it waits).
            throw new IllegalStateException("more connections waiting than slots: " + kept);
        }
        count = kept;
    }
}
