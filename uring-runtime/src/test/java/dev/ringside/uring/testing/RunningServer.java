package dev.ringside.uring.testing;

import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.http.HttpServerStats;
import dev.ringside.uring.ring.RingOptions;
import dev.ringside.uring.server.StaticServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone server started for one test, and the check every such test ends with: once
 * the clients are gone the server holds no connection, buffer or pipe, and after it stops the
 * process has exactly the descriptors it had before.
 */
public final class RunningServer implements AutoCloseable {
    private final int fdsBefore;
    private final StaticServer server;

    private RunningServer(int fdsBefore, StaticServer server) {
        this.fdsBefore = fdsBefore;
        this.server = server;
    }

    /** One loop on 127.0.0.1, small pools, 128-entry ring: the shape most tests want. */
    public static HttpServerConfig smallConfig() {
        return HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withThreads(1).withMaxConnections(256).withBuffers(16384, 64, 64, 64)
                .withRing(RingOptions.defaults().withEntries(128));
    }

    public static RunningServer start(Path root, HttpServerConfig config) throws Exception {
        int before = FdCount.now();
        return new RunningServer(before, StaticServer.start(root, config, StaticServer.CacheConfig.defaults()));
    }

    public int port() {
        return server.port();
    }

    public HttpServerStats stats() {
        return server.stats();
    }

    /** Waits (closing is asynchronous) until nothing is held, and fails if that never happens. */
    public HttpServerStats awaitNothingHeld() throws InterruptedException {
        return awaitNothingHeld(server::stats);
    }

    /** The same wait for any server's counters. */
    public static HttpServerStats awaitNothingHeld(java.util.function.Supplier<HttpServerStats> stats)
            throws InterruptedException {
        HttpServerStats s = stats.get();
        for (int i = 0; i < 100 && !s.nothingHeld(); i++) {
            Thread.sleep(50);
            s = stats.get();
        }
        HttpServerStats last = s;
        assertTrue(s.nothingHeld(), () -> "server still holds resources: " + last);
        return s;
    }

    @Override
    public void close() throws Exception {
        awaitNothingHeld();
        server.close();
        assertEquals(fdsBefore, FdCount.now(), () -> "descriptors leaked: " + FdCount.ours());
    }
}
