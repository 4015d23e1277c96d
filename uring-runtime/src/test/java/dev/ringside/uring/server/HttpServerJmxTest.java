package dev.ringside.uring.server;

import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.testing.RawHttp;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.*;

/** A running server can be read in JMX under its address, and is gone from it once closed. */
class HttpServerJmxTest {
    @Test
    void countersAreReadableWhileTheServerRunsAndGoneAfter() throws Exception {
        HttpServerConfig config = HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withThreads(1).withMaxConnections(64).withBuffers(16384, 64, 64, 64);
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName name;
        try (HttpServer server = HttpServer.start(config, loop -> exchange -> exchange.respondStatus(204, null, false))) {
            name = new ObjectName("dev.ringside:type=HttpServer,address=" + ObjectName.quote("127.0.0.1:" + server.port()));
            assertTrue(mbs.isRegistered(name), name.toString());
            try (RawHttp c = new RawHttp(server.port())) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(204, c.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
                }
                assertEquals(3L, mbs.getAttribute(name, "Requests"));
                assertEquals(1, mbs.getAttribute(name, "ConnectionsOpen"));
            }
            assertEquals(1, mbs.getAttribute(name, "Loops"));
            assertEquals("127.0.0.1:" + server.port(), mbs.getAttribute(name, "Address"));
            assertFalse(((String) mbs.getAttribute(name, "KernelFeatures")).isEmpty());
            assertEquals(1, mbs.getAttribute(name, "LoopsAlive"));
            // A loop wakes at least once per tick (250 ms): far less than 10 s ago, however loaded the machine.
            assertTrue((long) mbs.getAttribute(name, "StalestLoopMillis") < 10_000);
            // The pools' gauges: with the connection closed and nothing in flight, nothing is held.
            // Polled: the loop frees a closed connection's slot when it sees the client's FIN.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while ((int) mbs.getAttribute(name, "ConnectionsOpen") != 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (String gauge : new String[] {"ConnectionsOpen", "InputChunksInUse", "HeadChunksInUse",
                    "RecvBuffersOutstanding", "PipesInUse", "ParsersInUse", "OffloadsInUse", "OpenFiles", "TunnelsActive"}) {
                assertEquals(0, mbs.getAttribute(name, gauge), gauge);
            }
            assertTrue((int) mbs.getAttribute(name, "PipesPooled") >= 0);
        }
        assertFalse(mbs.isRegistered(name), "unregistered when the server closes");
    }
}
