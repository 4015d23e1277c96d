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
 */
public record HttpServerConfig(InetSocketAddress address, int threads, int maxConnections, int recvBufferSize,
                               int recvBuffers, int inputChunkSize, int inputChunks, int headChunks, int maxPipes,
                               int pipeSize, HttpLimits limits, Duration keepAliveTimeout, Duration headerTimeout,
                               int maxKeepAliveRequests, Duration shutdownGrace, RingOptions ring) {

    public static HttpServerConfig defaults(InetSocketAddress address) {
        return new HttpServerConfig(address, Runtime.getRuntime().availableProcessors(), 16384, 16384, 1024,
                32768, 1024, 4096, 1024, 1 << 20, HttpLimits.DEFAULT, Duration.ofSeconds(60),
                Duration.ofSeconds(20), 0, Duration.ofSeconds(5), RingOptions.defaults());
    }

    public HttpServerConfig withThreads(int n) {
        return new HttpServerConfig(address, n, maxConnections, recvBufferSize, recvBuffers, inputChunkSize,
                inputChunks, headChunks, maxPipes, pipeSize, limits, keepAliveTimeout, headerTimeout,
                maxKeepAliveRequests, shutdownGrace, ring);
    }

    public HttpServerConfig withMaxConnections(int n) {
        return new HttpServerConfig(address, threads, n, recvBufferSize, recvBuffers, inputChunkSize,
                inputChunks, headChunks, maxPipes, pipeSize, limits, keepAliveTimeout, headerTimeout,
                maxKeepAliveRequests, shutdownGrace, ring);
    }

    public HttpServerConfig withBuffers(int recvBufferSize, int recvBuffers, int inputChunks, int headChunks) {
        return new HttpServerConfig(address, threads, maxConnections, recvBufferSize, recvBuffers, inputChunkSize,
                inputChunks, headChunks, maxPipes, pipeSize, limits, keepAliveTimeout, headerTimeout,
                maxKeepAliveRequests, shutdownGrace, ring);
    }

    public HttpServerConfig withPipes(int maxPipes, int pipeSize) {
        return new HttpServerConfig(address, threads, maxConnections, recvBufferSize, recvBuffers, inputChunkSize,
                inputChunks, headChunks, maxPipes, pipeSize, limits, keepAliveTimeout, headerTimeout,
                maxKeepAliveRequests, shutdownGrace, ring);
    }

    public HttpServerConfig withTimeouts(Duration keepAlive, Duration header) {
        return new HttpServerConfig(address, threads, maxConnections, recvBufferSize, recvBuffers, inputChunkSize,
                inputChunks, headChunks, maxPipes, pipeSize, limits, keepAlive, header,
                maxKeepAliveRequests, shutdownGrace, ring);
    }

    public HttpServerConfig withRing(RingOptions r) {
        return new HttpServerConfig(address, threads, maxConnections, recvBufferSize, recvBuffers, inputChunkSize,
                inputChunks, headChunks, maxPipes, pipeSize, limits, keepAliveTimeout, headerTimeout,
                maxKeepAliveRequests, shutdownGrace, r);
    }

    public HttpServerConfig withLimits(HttpLimits l) {
        return new HttpServerConfig(address, threads, maxConnections, recvBufferSize, recvBuffers, inputChunkSize,
                inputChunks, headChunks, maxPipes, pipeSize, l, keepAliveTimeout, headerTimeout,
                maxKeepAliveRequests, shutdownGrace, ring);
    }

    /** Request bodies larger than this get 413 (the body limit lives in {@link HttpLimits}). */
    public HttpServerConfig withMaxBodyBytes(long n) {
        return withLimits(new HttpLimits(limits.maxRequestLine(), limits.maxHeaderBytes(), limits.maxHeaderCount(),
                limits.maxChunkExtensionBytes(), limits.maxTrailerBytes(), n));
    }

    public HttpServerConfig withMaxKeepAliveRequests(int n) {
        return new HttpServerConfig(address, threads, maxConnections, recvBufferSize, recvBuffers, inputChunkSize,
                inputChunks, headChunks, maxPipes, pipeSize, limits, keepAliveTimeout, headerTimeout,
                n, shutdownGrace, ring);
    }

    /** The same configuration on another address (the port the first loop actually bound). */
    public HttpServerConfig withAddress(InetSocketAddress a) {
        return new HttpServerConfig(a, threads, maxConnections, recvBufferSize, recvBuffers, inputChunkSize,
                inputChunks, headChunks, maxPipes, pipeSize, limits, keepAliveTimeout, headerTimeout,
                maxKeepAliveRequests, shutdownGrace, ring);
    }
}
