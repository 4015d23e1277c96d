package dev.ringside.uring.server;

/**
 * A running server's counters in JMX, summed over its loops ({@code dev.ringside:type=HttpServer,
 * address="host:port"}): what jconsole, a JMX exporter or an operator's script can read to see
 * that Ringside serves a port and how. Each read asks every loop for its counters.
 */
public interface HttpServerMXBean {
    String getAddress();

    int getLoops();

    String getKernelFeatures();

    int getConnectionsOpen();

    long getAccepted();

    long getRequests();

    long getFileResponses();

    long getOffloaded();

    long getTunnelsOpened();

    int getTunnelsActive();

    long getParseErrors();

    long getHandlerFailures();

    /** Loops still running; less than {@code Loops} means one died (its share of new connections hangs). */
    int getLoopsAlive();

    /** Milliseconds since the least recent loop last came back from its ring (at most a tick while all live). */
    long getStalestLoopMillis();

    long getBytesReceived();

    long getBytesSent();
}
