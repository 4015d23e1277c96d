package dev.ringside.uring.ring;

/** Receives each completion of a ring, on the ring's own thread, in the order the kernel posted them. */
@FunctionalInterface
public interface CompletionHandler {
    void complete(long userData, int res, int flags);
}
