package dev.ringside.uring.http;

/**
 * Decides what to answer to a complete, valid request head. Called on the loop thread; must
 * start exactly one response through the exchange before it returns, and must not block.
 */
@FunctionalInterface
public interface RequestHandler {
    void handle(HttpExchange exchange);

    /** Descriptors the handler keeps open (a file cache's), for the counters. */
    default int openFiles() {
        return 0;
    }

    /**
     * Called on the loop about four times a second, whether or not requests come: for what must
     * not wait for the next request (letting go of what an undeployed app held). Must not block.
     */
    default void tick() {
    }

    /** Frees what the handler holds for its loop (open files). */
    default void close() {
    }
}
