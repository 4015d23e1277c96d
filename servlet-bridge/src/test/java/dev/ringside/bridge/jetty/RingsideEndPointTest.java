package dev.ringside.bridge.jetty;

import dev.ringside.uring.testing.RawHttp;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.HttpConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.ringside.bridge.jetty.TestApp.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection under a request on Ringside's connector, as Jetty's core API shows it to a servlet
 * ({@code getConnectionMetaData().getConnection()} and its {@code EndPoint}): one per socket, describing
 * it as Jetty's own connector's does. Where a behaviour can be compared, the same requests are asked of
 * Jetty's own {@code ServerConnector} in the same server, and the spec is that both answer alike.
 */
class RingsideEndPointTest {
    private static final long IDLE_TIMEOUT = 12_345;

    private final ConnectionStatistics ringsideStats = new ConnectionStatistics();
    private final ConnectionStatistics jettysStats = new ConnectionStatistics();
    private JettyOnRingside jetty;

    @BeforeEach
    void start() throws Exception {
        jetty = JettyOnRingside.besideJettysOwn(new HttpConfiguration(), c -> {
            c.setIdleTimeout(IDLE_TIMEOUT);
            c.addBean(ringsideStats);
        });
        jetty.jettys.setIdleTimeout(IDLE_TIMEOUT);
        jetty.jettys.addBean(jettysStats);
        jetty.start();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.close();
    }

    private static Map<String, String> connection(RawHttp c, String query) throws IOException {
        c.send("GET /connection" + query + " HTTP/1.1\r\nHost: x\r\n\r\n");
        RawHttp.Response r = c.read();
        assertEquals(200, r.status(), r::text);
        return lines(r.text());
    }

    @Test
    void theRequestsOfOneSocketShareOneConnectionWhichCountsThem() throws Exception {
        for (int port : jetty.ports()) {
            try (RawHttp one = new RawHttp(port); RawHttp two = new RawHttp(port)) {
                Map<String, String> first = connection(one, "");
                Map<String, String> second = connection(one, "");
                Map<String, String> other = connection(two, "");
                assertEquals(first.get("connection"), second.get("connection"), "port " + port);
                assertNotEquals(first.get("connection"), other.get("connection"), "port " + port);
                assertEquals("true", first.get("endPointsConnection"));
                assertEquals("1", first.get("messagesIn"), "the request in progress counts");
                assertEquals("2", second.get("messagesIn"));
                assertEquals("1", other.get("messagesIn"));
            }
        }
    }

    @Test
    void theEndPointDescribesItsPlaintextSocket() throws Exception {
        for (int port : jetty.ports()) {
            long before = System.currentTimeMillis();
            try (RawHttp c = new RawHttp(port)) {
                Map<String, String> seen = connection(c, "");
                assertEquals("/127.0.0.1:" + port, seen.get("local"));
                assertEquals("/127.0.0.1:" + c.socket().getLocalPort(), seen.get("remote"));
                assertEquals("true", seen.get("open"));
                assertEquals("false", seen.get("secure"));
                assertEquals("null", seen.get("sslSessionData"));
                assertEquals(String.valueOf(IDLE_TIMEOUT), seen.get("idleTimeout"));
                // Ringside's loop reads its clock once per wake-up, which may come just before the accept.
                for (String created : List.of("created", "connectionCreated")) {
                    long t = Long.parseLong(seen.get(created));
                    assertTrue(t >= before - 1_000 && t <= System.currentTimeMillis(), created + " " + t);
                }
            }
        }
    }

    @Test
    void itsSocketIoIsTheLoopsAndSaysSo() throws Exception {
        try (RawHttp c = new RawHttp(jetty.port())) {
            Map<String, String> seen = connection(c, "?io=true");
            assertEquals("UnsupportedOperationException", seen.get("fill"));
            assertEquals("UnsupportedOperationException", seen.get("flush"));
            assertEquals("UnsupportedOperationException", seen.get("fillInterested"));
            assertEquals("UnsupportedOperationException", seen.get("upgrade"));
            assertEquals("2", connection(c, "").get("messagesIn"), "and the connection serves on");
        }
    }

    @Test
    void anIdleTimeoutSetThroughTheEndPointIsThatOfTheRequest() throws Exception {
        try (RawHttp c = new RawHttp(jetty.port())) {
            assertEquals("5000", connection(c, "?idle=5000").get("idleTimeout"));
        }
    }

    @Test
    void closingTheConnectionDuringARequestEndsItUnanswered() throws Exception {
        for (int port : jetty.ports()) {
            try (RawHttp c = new RawHttp(port)) {
                c.send("GET /connection?close=true HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(c.endedByServer(), "port " + port);
            }
        }
    }

    @Test
    void closingTheConnectionBetweenRequestsEndsItBeforeTheNext() throws Exception {
        for (int port : jetty.ports()) {
            try (RawHttp c = new RawHttp(port)) {
                connection(c, "");
                Connection between = TestApp.lastConnection.get();
                between.close();
                assertFalse(between.getEndPoint().isOpen());
                c.send("GET /connection HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(c.endedByServer(), "port " + port);
            }
        }
    }

    @Test
    void connectionListenersHearEachSocketOpenAndCloseWithItsCounts() throws Exception {
        for (int port : jetty.ports()) {
            try (RawHttp one = new RawHttp(port); RawHttp two = new RawHttp(port)) {
                for (int i = 0; i < 3; i++) {
                    connection(one, "");
                }
                for (int i = 0; i < 2; i++) {
                    connection(two, "");
                }
            }
        }
        for (ConnectionStatistics stats : new ConnectionStatistics[] {ringsideStats, jettysStats}) {
            awaitAllClosed(stats);
            assertEquals(2, stats.getConnectionsTotal());
            assertEquals(5, stats.getReceivedMessages());
            assertEquals(5, stats.getSentMessages());
        }
    }

    /** Closing is noticed asynchronously on both connectors: a bounded wait. */
    private static void awaitAllClosed(ConnectionStatistics stats) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stats.getConnections() > 0 || stats.getConnectionsTotal() < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("connections still open: " + stats);
            }
            Thread.sleep(5);
        }
    }
}
