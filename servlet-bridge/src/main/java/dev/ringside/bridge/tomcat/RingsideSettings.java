package dev.ringside.bridge.tomcat;

import dev.ringside.bridge.loop.PublishedSettings;
import dev.ringside.uring.http.HttpLimits;
import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.http.ResponseStyle;
import dev.ringside.uring.ring.UserData;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The runtime's configuration for a Tomcat connector: what the app configured on the
 * connector (header sizes, header count, keep-alive, timeouts, maxConnections) wins, so the
 * same server.xml or Spring Boot properties mean the same limits; only what Tomcat has no
 * word for comes from {@code ringside.*} system properties (the agent publishes its resolved
 * settings there).
 */
final class RingsideSettings {
    private RingsideSettings() {
    }

    static HttpServerConfig serverConfig(RingsideProtocol p, InetSocketAddress address) {
        int threads = PublishedSettings.loops();
        // A loop names at most UserData.MAX_SLOTS connections; more would need more loops.
        int perLoopConnections = p.getMaxConnections() > 0
                ? Math.min(UserData.MAX_SLOTS, Math.max(64, ceilDiv(p.getMaxConnections(), threads))) : 16384;
        // Tomcat bounds the whole head (request line included); -1 means "as maxHttpHeaderSize".
        int headerBytes = Math.max(p.getMaxHttpHeaderSize(), 1024);
        int headLimit = p.getMaxHttpRequestHeaderSize() > 0 ? p.getMaxHttpRequestHeaderSize() : headerBytes;
        int headerCount = p.getMaxHeaderCount() < 0 ? 10_000 : p.getMaxHeaderCount();
        HttpLimits limits = new HttpLimits(headLimit, headLimit, headerCount).withBodyLimits(
                HttpLimits.DEFAULT_MAX_CHUNK_EXTENSION_BYTES,
                Math.max(p.getMaxTrailerSize(), 0),
                // Tomcat has no request-body limit of its own (maxPostSize bounds parameter
                // parsing only, in the container): the app decides unless Ringside is told.
                PublishedSettings.maxBodyBytes());
        Duration keepAlive = Duration.ofMillis(positive(p.getKeepAliveTimeout(), 60_000));
        Duration header = Duration.ofMillis(positive(p.getConnectionTimeout(), 60_000));
        int maxKeepAlive = p.getMaxKeepAliveRequests() < 0 ? 0 : p.getMaxKeepAliveRequests();
        int buffers = Integer.highestOneBit(Math.max(64, Math.min(1024, perLoopConnections)));
        return HttpServerConfig.defaults(address)
                .withThreads(threads)
                .withFileThreads(PublishedSettings.fileThreads())
                .withMaxConnections(perLoopConnections)
                .withBuffers(16384, buffers, Math.min(1024, perLoopConnections), Math.min(4096, perLoopConnections))
                .withLimits(limits)
                .withTimeouts(keepAlive, header)
                // Tomcat's write timeout is its connectionTimeout: a reader stalled that long is dropped.
                .withSendTimeout(header)
                .withMaxKeepAliveRequests(maxKeepAlive)
                // What Tomcat says itself: its connector's "server" attribute, or (by default) nothing.
                .withServerHeader(p.getServer())
                // Its status lines, field order and keep-alive fields on the answers the loop gives itself.
                .withStyle(ResponseStyle.tomcat(p.getUseKeepAliveResponseHeader() ? p.getKeepAliveTimeout() : 0,
                        "immediately".equalsIgnoreCase(p.getContinueResponseTiming())));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int positive(int ms, int fallback) {
        return ms > 0 ? ms : fallback;
    }
}
