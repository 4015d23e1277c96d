package dev.ringside.uring.ring;

/**
 * Packs what a completion must find again into the SQE's 64-bit {@code user_data}:
 * {@code generation:32 | data:8 | op:8 | slot:16}. The slot indexes a table (a connection, a
 * listener); the generation is the slot's incarnation when the operation was submitted, so a
 * completion that arrives after the slot was freed and reused is recognised as stale and dropped.
 * {@code data} tags the operation's step (which half of a splice, which part of a response).
 *
 * <p>Why 32 bits of generation and 16 of slot: slots are reused last-freed first, so at low
 * concurrency one slot takes nearly every connection, and 16 bits of generation wrapped after
 * 65 536 of them (about a second of churn at 50 k connections/s): an operation still pending from
 * that long ago (a slow cancel, a stalled splice) would have been taken for the current
 * connection's. 32 bits wrap after 4 294 967 296 reuses of one slot. A loop has at most
 * {@link #MAX_SLOTS} connections.
 */
public final class UserData {
    /** Slots per table that user_data can name. */
    public static final int MAX_SLOTS = 1 << 16;

    private UserData() {}

    public static long pack(int slot, int op, int data, int generation) {
        return ((long) generation << 32)
                | ((long) (data & 0xFF) << 24)
                | ((long) (op & 0xFF) << 16)
                | (slot & 0xFFFFL);
    }

    public static int slot(long userData) {
        return (int) userData & 0xFFFF;
    }

    public static int op(long userData) {
        return (int) (userData >>> 16) & 0xFF;
    }

    public static int data(long userData) {
        return (int) (userData >>> 24) & 0xFF;
    }

    public static int generation(long userData) {
        return (int) (userData >>> 32);
    }
}
