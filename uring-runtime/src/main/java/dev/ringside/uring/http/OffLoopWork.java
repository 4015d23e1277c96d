package dev.ringside.uring.http;

/**
 * What a handler cannot do on its loop because it may block: opening, stating and reading a file
 * not yet cached, asking a container whether a path is a file. {@link #run} runs on one of the
 * server's file threads; then, on the loop, {@link #publish} puts what it found where the handler
 * looks, every request that waited for it ({@link HttpExchange#await}) is handled again from its
 * head as if it had just arrived, and {@link #retired} says the result is no longer needed. Requests
 * for the same thing may wait for the same work: it runs once.
 *
 * <p>The request waits with its bytes kept as the connection's input, so a waiting connection holds
 * an input chunk and nothing else; cached answers on the same loop go on meanwhile.
 */
public abstract class OffLoopWork {
    private int[] slots = new int[2];
    private int[] generations = new int[2];
    private int waiters;
    private boolean started;
    /** Its JFR event while a recording wants one (the driver's). */
    dev.ringside.uring.events.OffLoopWorkEvent event;

    /** On a file thread: may block. Must touch nothing the loop owns, and should not throw. */
    protected abstract void run();

    /** On the loop, after {@link #run} (or after it threw): makes its result visible to the handler. */
    protected abstract void publish();

    /** On the loop, once every request that waited has been handled again. */
    protected abstract void retired();

    /** Whether {@link #run} has been handed to a file thread. */
    final boolean started() {
        return started;
    }

    final void markStarted() {
        started = true;
    }

    final void addWaiter(int slot, int generation) {
        if (waiters == slots.length) {
            slots = java.util.Arrays.copyOf(slots, waiters * 2);
            generations = java.util.Arrays.copyOf(generations, waiters * 2);
        }
        slots[waiters] = slot;
        generations[waiters++] = generation;
    }

    final int waiters() {
        return waiters;
    }

    final int waiterSlot(int i) {
        return slots[i];
    }

    final int waiterGeneration(int i) {
        return generations[i];
    }
}
