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

    /** Frees what the handler holds for its loop (open files). */
    default void close() {
    }
}
