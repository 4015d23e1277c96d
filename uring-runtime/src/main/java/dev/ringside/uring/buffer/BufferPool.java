package dev.ringside.uring.buffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Fixed-size chunks cut from one off-heap slab, handed out from a stack of free indices.
 * Owned by one loop thread: no lock, no allocation after construction. A chunk is addressed by
 * its index and used through {@link #slab()} at {@link #offset(int)}, so the hot path never
 * creates a slice object. Exhaustion returns -1; what to do then (wait, refuse, close) is the
 * caller's policy, never a crash.
 */
public final class BufferPool {
    private final MemorySegment slab;
    private final int chunkSize;
    private final int[] free;
    private final boolean[] taken;
    private int freeCount;
    private int highWater;

    public BufferPool(Arena arena, int chunkSize, int chunks) {
        if (chunkSize <= 0 || chunks <= 0) {
            throw new IllegalArgumentException("chunkSize and chunks must be positive");
        }
        this.slab = arena.allocate((long) chunkSize * chunks, 4096);
        this.chunkSize = chunkSize;
        this.free = new int[chunks];
        this.taken = new boolean[chunks];
        // Lowest indices on top: a lightly used pool keeps touching the same few pages.
        for (int i = 0; i < chunks; i++) {
            free[i] = chunks - 1 - i;
        }
        this.freeCount = chunks;
    }

    /** A free chunk's index, or -1 when every chunk is in use. */
    public int acquire() {
        if (freeCount == 0) {
            return -1;
        }
        int index = free[--freeCount];
        taken[index] = true;
        int used = free.length - freeCount;
        if (used > highWater) {
            highWater = used;
        }
        return index;
    }

    public void release(int index) {
        if (!taken[index]) {
            throw new IllegalStateException("chunk " + index + " released twice");
        }
        taken[index] = false;
        free[freeCount++] = index;
    }

    public MemorySegment slab() {
        return slab;
    }

    public long offset(int index) {
        return (long) index * chunkSize;
    }

    public long address(int index) {
        return slab.address() + (long) index * chunkSize;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int capacity() {
        return free.length;
    }

    public int inUse() {
        return free.length - freeCount;
    }

    public int highWater() {
        return highWater;
    }
}
