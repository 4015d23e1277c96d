package dev.ringside.uring.http;

import dev.ringside.uring.ring.RingOptions;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Everything a loop's HTTP server needs to size itself. Per loop: each loop has its own pools
 * and tables, so the process holds {@code threads} times these.
 *
 * @param address             where to listen (every loop binds it with SO_REUSEPORT)
 * @param threads             event loops
 * @param maxConnections      connection slots per loop; beyond them new connections are closed at once
 * @param recvBufferSize      size of each provided receive buffer
 * @param recvBuffers         provided buffers per loop (power of two)
 * @param inputChunkSize      per-connection buffer for a head split across reads or pipelined requests
 * @param inputChunks         such buffers per loop
 * @param headChunks          response-head buffers per loop (one per response in flight)
 * @param maxPipes            splice pipes per loop (one per large body in flight)
 * @param pipeSize            bytes per pipe (F_SETPIPE_SZ)
 * @param limits              request-head limits (414, 431)
 * @param keepAliveTimeout    idle time before a keep-alive connection is closed
 * @param headerTimeout       time allowed to receive a whole head once it started (408)
 * @param maxKeepAliveRequests requests per connection before it is closed (0 = unlimited)
 * @param shutdownGrace       how long in-flight responses may take at shutdown
 * @param ring                ring size and feature wishes
 * @param serverHeader        the Server field of the responses the loop writes itself (files, errors),
 *                            or null for none: "ringside" standalone; behind a container, what the
 *                            container itself would say, so the field does not tell the paths apart
 * @param style               how the heads the loop writes itself are laid out: the standalone
 *                            server's, or the container's it stands in for
 * @param sendTimeout         how long a send of the loop's may wait for the client to take a byte
 *                            before the connection is closed (a reader that stalls; nginx's send_timeout)
 * @param fileThreads         threads, shared by the loops, for what may block on disk (a file not yet
 *                            open, a container asked whether a path is a file): loops never do it
 */
public record HttpServerConfig(InetSocketAddress address, int threads, int maxConnections, int recvBufferSize,
                               int recvBuffers, int inputChunkSize, int inputChunks, int headChunks, int maxPipes,
                               int pipeSize, HttpLimits limits, Duration keepAliveTimeout, Duration headerTimeout,
                               int maxKeepAliveRequests, Duration shutdownGrace, RingOptions ring,
                               String serverHeader, ResponseStyle style, Duration sendTimeout,
                               int fileThreads) {

    public static HttpServerConfig defaults(InetSocketAddress address) {
        return new HttpServerConfig(address, Runtime.getRuntime().availableProcessors(), 16384, 16384, 1024,
                32768, 1024, 4096, 1024, 1 << 20, HttpLimits.DEFAULT, Duration.ofSeconds(60),
                Duration.ofSeconds(20), 0, Duration.ofSeconds(5), RingOptions.defaults(), "ringside",
                ResponseStyle.RINGSIDE, Duration.ofSeconds(60), 4);
    }

    public HttpServerConfig withThreads(int n) {
        return edit(e -> e.threads = n);
    }

    public HttpServerConfig withMaxConnections(int n) {
        return edit(e -> e.maxConnections = n);
    }

    public HttpServerConfig withBuffers(int recvBufferSize, int recvBuffers, int inputChunks, int headChunks) {
        return edit(e -> {
            e.recvBufferSize = recvBufferSize;
            e.recvBuffers = recvBuffers;
            e.inputChunks = inputChunks;
            e.headChunks = headChunks;
        });
    }

    public HttpServerConfig withPipes(int maxPipes, int pipeSize) {
        return edit(e -> {
            e.maxPipes = maxPipes;
            e.pipeSize = pipeSize;
        });
    }

    public HttpServerConfig withTimeouts(Duration keepAlive, Duration header) {
        return edit(e -> {
            e.keepAliveTimeout = keepAlive;
            e.headerTimeout = header;
        });
    }

    public HttpServerConfig withRing(RingOptions r) {
        return edit(e -> e.ring = r);
    }

    public HttpServerConfig withLimits(HttpLimits l) {
        return edit(e -> e.limits = l);
    }

    /** Request bodies larger than this get 413 (the body limit lives in {@link HttpLimits}). */
    public HttpServerConfig withMaxBodyBytes(long n) {
        return withLimits(limits.withBodyLimits(limits.maxChunkExtensionBytes(), limits.maxTrailerBytes(), n));
    }

    public HttpServerConfig withMaxKeepAliveRequests(int n) {
        return edit(e -> e.maxKeepAliveRequests = n);
    }

    /** The Server field of the loop's own responses; null for none. */
    public HttpServerConfig withServerHeader(String value) {
        return edit(e -> e.serverHeader = value);
    }

    /** How the loop lays out the heads it writes itself. */
    public HttpServerConfig withStyle(ResponseStyle s) {
        return edit(e -> e.style = s);
    }

    /** How long a send may wait for the client to take a byte before the connection is closed. */
    public HttpServerConfig withSendTimeout(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("sendTimeout must be positive: " + d);
        }
        return edit(e -> e.sendTimeout = d);
    }

    /** Threads for the loops' blocking file work (opens, stats, reads of files not yet cached). */
    public HttpServerConfig withFileThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("fileThreads must be at least 1: " + n);
        }
        return edit(e -> e.fileThreads = n);
    }

    /** The same configuration on another address (the port the first loop actually bound). */
    public HttpServerConfig withAddress(InetSocketAddress a) {
        return edit(e -> e.address = a);
    }

    /** A mutable copy of every component: each {@code with} changes some and builds anew. */
    private static final class Edit {
        InetSocketAddress address;
        int threads, maxConnections, recvBufferSize, recvBuffers, inputChunkSize, inputChunks, headChunks;
        int maxPipes, pipeSize, maxKeepAliveRequests, fileThreads;
        HttpLimits limits;
        Duration keepAliveTimeout, headerTimeout, shutdownGrace, sendTimeout;
        RingOptions ring;
        String serverHeader;
        ResponseStyle style;
    }

    private HttpServerConfig edit(java.util.function.Consumer<Edit> change) {
        Edit e = new Edit();
        e.address = address;
        e.threads = threads;
        e.maxConnections = maxConnections;
        e.recvBufferSize = recvBufferSize;
        e.recvBuffers = recvBuffers;
        e.inputChunkSize = inputChunkSize;
        e.inputChunks = inputChunks;
        e.headChunks = headChunks;
        e.maxPipes = maxPipes;
        e.pipeSize = pipeSize;
        e.limits = limits;
        e.keepAliveTimeout = keepAliveTimeout;
        e.headerTimeout = headerTimeout;
        e.maxKeepAliveRequests = maxKeepAliveRequests;
        e.shutdownGrace = shutdownGrace;
        e.ring = ring;
        e.serverHeader = serverHeader;
        e.style = style;
        e.sendTimeout = sendTimeout;
        e.fileThreads = fileThreads;
        change.accept(e);
        return new HttpServerConfig(e.address, e.threads, e.maxConnections, e.recvBufferSize, e.recvBuffers,
                e.inputChunkSize, e.inputChunks, e.headChunks, e.maxPipes, e.pipeSize, e.limits, e.keepAliveTimeout,
                e.headerTimeout, e.maxKeepAliveRequests, e.shutdownGrace, e.ring, e.serverHeader, e.style,
                e.sendTimeout, e.fileThreads);
    }
}
