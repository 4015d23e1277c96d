package dev.ringside.uring.loop;

import java.io.IOException;

/**
 * What runs on an {@link EventLoop}: it owns the operations it submits and receives their
 * completions. Every method is called on the loop's thread.
 */
public interface LoopDriver {
    /** Opens what the driver needs (listener, buffers) and submits its first operations. */
    void start(EventLoop loop) throws IOException;

    /** A completion of an operation the driver submitted. */
    void complete(long userData, int res, int flags);

    /** Called about every tick: timeouts, clock-dependent state. */
    void tick(long nowNanos);

    /** Stop taking new work (accepting); in-flight work may finish. */
    void beginShutdown();

    /** True once nothing of the driver is in flight and every connection is closed. */
    boolean quiescent();

    /** Force-closes whatever is still open (after the grace period). */
    void abort();

    /** Frees everything; the ring is still open. */
    void close();
}
