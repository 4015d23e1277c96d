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

    /** Input chunks (a connection's unparsed bytes) taken from the loops' pools and not yet given back. */
    int getInputChunksInUse();

    /** Head chunks (a request head kept while it is served) taken from the loops' pools and not yet given back. */
    int getHeadChunksInUse();

    /** Receive buffers the loops hold out of their buffer rings (zero between requests). */
    int getRecvBuffersOutstanding();

    /** Splice pipes lent to a response in flight (a file being sent). */
    int getPipesInUse();

    /** Splice pipes created and kept for reuse, two descriptors each: pooled, not leaked. */
    int getPipesPooled();

    /** Request parsers and body decoders in use. */
    int getParsersInUse();

    /** Offloaded exchanges (a request on a container thread) not yet back in their loop's pool. */
    int getOffloadsInUse();

    /** Files the loops' static-file caches keep open, one descriptor each. */
    int getOpenFiles();
}
