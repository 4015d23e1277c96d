package dev.ringside.uring.ring;

/**
 * Packs what a completion must find again into the SQE's 64-bit {@code user_data}:
 * {@code generation:16 | data:8 | op:8 | slot:32}. The slot indexes a table (a connection, a
 * listener); the generation is the slot's incarnation when the operation was submitted, so a
 * completion that arrives after the slot was freed and reused is recognised as stale and dropped.
 * {@code data} tags the operation's step (which half of a splice, which part of a response).
 */
public final class UserData {
    private UserData() {}

    public static long pack(int slot, int op, int data, int generation) {
        return ((long) (generation & 0xFFFF) << 48)
                | ((long) (data & 0xFF) << 40)
                | ((long) (op & 0xFF) << 32)
                | (slot & 0xFFFFFFFFL);
    }

    public static int slot(long userData) {
        return (int) userData;
    }

    public static int op(long userData) {
        return (int) (userData >>> 32) & 0xFF;
    }

    public static int data(long userData) {
        return (int) (userData >>> 40) & 0xFF;
    }

    public static int generation(long userData) {
        return (int) (userData >>> 48) & 0xFFFF;
    }
}
