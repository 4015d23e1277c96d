package dev.ringside.uring.net;

import dev.ringside.uring.ring.UserData;

import java.util.function.IntFunction;

/**
 * A fixed table of connection slots, allocated once and reused. A slot's generation goes up
 * each time it is freed, so a completion carrying an old generation is known to be stale.
 * At capacity {@link #allocate()} answers -1 and the caller refuses the connection.
 */
public final class ConnectionTable<C> {
    private final Object[] slots;
    private final int[] generations;
    private final int[] free;
    private int freeCount;

    public ConnectionTable(int capacity, IntFunction<C> factory) {
        if (capacity < 1 || capacity > UserData.MAX_SLOTS) {
            throw new IllegalArgumentException("connection slots per loop: 1 to " + UserData.MAX_SLOTS + ", not " + capacity);
        }
        this.slots = new Object[capacity];
        this.generations = new int[capacity];
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = factory.apply(i);
            free[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    /** A free slot, or -1 when every slot holds a connection. */
    public int allocate() {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    /** Frees a slot; completions still carrying its old generation will be recognised as stale. */
    public void release(int slot) {
        generations[slot]++; // 32 bits: see UserData
        free[freeCount++] = slot;
    }

    @SuppressWarnings("unchecked")
    public C get(int slot) {
        return (C) slots[slot];
    }

    public int generation(int slot) {
        return generations[slot];
    }

    /** Whether a completion for (slot, generation) still belongs to the slot's current connection. */
    public boolean current(int slot, int generation) {
        return slot >= 0 && slot < slots.length && generations[slot] == generation;
    }

    public int capacity() {
        return slots.length;
    }

    public int inUse() {
        return slots.length - freeCount;
    }
}
