package dev.ringside.uring.http;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Per-connection helpers (request parsers, chunked-body decoders) of one loop, lent to a
 * connection only while it needs one: from the first byte of a head until its answer is done,
 * or for the length of a chunked body. An idle keep-alive connection holds none, so idle
 * connections cost a slot, not a parser's field arrays (about 2 KiB at the default limits).
 * The pool grows to the number of connections busy at once and then allocates no more.
 */
final class LendingPool<T> {
    private final Supplier<T> factory;
    private final Consumer<T> reset;
    private Object[] free = new Object[16];
    private int freeCount;
    private int inUse;

    LendingPool(Supplier<T> factory, Consumer<T> reset) {
        this.factory = factory;
        this.reset = reset;
    }

    @SuppressWarnings("unchecked")
    T acquire() {
        inUse++;
        if (freeCount == 0) {
            return factory.get();
        }
        T t = (T) free[--freeCount];
        free[freeCount] = null;
        return t;
    }

    void release(T t) {
        inUse--;
        reset.accept(t);
        if (freeCount == free.length) {
            free = java.util.Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = t;
    }

    int inUse() {
        return inUse;
    }
}
