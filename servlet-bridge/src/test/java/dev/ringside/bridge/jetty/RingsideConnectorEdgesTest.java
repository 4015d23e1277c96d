package dev.ringside.bridge.jetty;

import dev.ringside.uring.testing.RawHttp;
import dev.ringside.uring.testing.RunningServer;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connector's life around requests: starting, failing to start, and clients that stall. */
class RingsideConnectorEdgesTest {
    @Test
    void refusesToStartWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Server server = new Server();
            RingsideConnector c = new RingsideConnector(server, RunningServer.smallConfig(), new HttpConnectionFactory());
            c.setHost("127.0.0.1");
            c.setPort(taken.getLocalPort());
            server.addConnector(c);
            server.setHandler(TestApp.context());
            IOException e = assertThrows(IOException.class, server::start);
            assertTrue(e.getMessage().startsWith("Ringside could not serve HTTP on "), e.getMessage());
            server.stop();
            assertFalse(c.isOpen());
            assertEquals(-1, c.getLocalPort());
        }
    }

    @Test
    void requestsRunOnVirtualThreadsUnlessThePoolIsAsked() throws Exception {
        for (boolean virtual : new boolean[] {true, false}) {
            try (JettyOnRingside jetty = new JettyOnRingside(c -> c.setVirtualDispatch(virtual)).start();
                 RawHttp c = new RawHttp(jetty.port())) {
                c.send("GET /info HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response r = c.read();
                assertEquals(200, r.status());
                assertTrue(r.text().contains("virtualThread=" + virtual), r.text());
            }
        }
    }

    @Test
    void aRequestThatArrivesBeforeTheServerStartedIsServedOnceItHas() throws Exception {
        try (JettyOnRingside jetty = new JettyOnRingside(c -> {})) {
            jetty.connector.open(); // bound, as Server.isOpenEarly() does, but nothing started yet
            try (RawHttp c = new RawHttp(jetty.port())) {
                c.send("GET /info?p=early HTTP/1.1\r\nHost: x\r\n\r\n");
                jetty.start();
                RawHttp.Response r = c.read();
                assertEquals(200, r.status());
                assertTrue(r.text().contains("param=early"), r.text());
            }
        }
    }

    @Test
    void stoppingTheServerTellsARequestStillInProgress() throws Exception {
        int fdsBefore = dev.ringside.uring.testing.FdCount.now();
        TestApp.asyncError.set(null);
        JettyOnRingside jetty = new JettyOnRingside(c -> {}).start();
        try (RawHttp c = new RawHttp(jetty.port())) {
            c.send("GET /async?timeout=600000 HTTP/1.1\r\nHost: x\r\n\r\n"); // never completes by itself
            for (int i = 0; i < 200 && jetty.connector.stats().offloaded == 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(1, jetty.connector.stats().offloaded);
            jetty.server.stop(); // the loop gives the request its grace period, then closes
            assertTrue(c.endedByServer());
        }
        // Told through its channel, as Jetty's own connectors tell it when they close the endpoint.
        assertTrue(TestApp.asyncError.get() instanceof org.eclipse.jetty.io.EofException, String.valueOf(TestApp.asyncError.get()));
        // The loop's memory went with the loop; its counters last counted the exchange as lent.
        assertEquals(0, jetty.connector.stats().connectionsOpen);
        assertEquals(fdsBefore, dev.ringside.uring.testing.FdCount.now());
    }

    @Test
    void aStalledUploadToABlockingReaderTimesOut() throws Exception {
        try (JettyOnRingside jetty = new JettyOnRingside(c -> c.setIdleTimeout(300)).start();
             RawHttp c = new RawHttp(jetty.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b");
            RawHttp.Response r = c.read();
            assertTrue(r.status() >= 400, "status " + r.status());
            assertTrue(c.endedByServer());
        }
    }

    @Test
    void aStalledUploadToAReadListenerTimesOut() throws Exception {
        try (JettyOnRingside jetty = new JettyOnRingside(c -> c.setIdleTimeout(300)).start();
             RawHttp c = new RawHttp(jetty.port())) {
            c.send("POST /read-listener HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b");
            RawHttp.Response r = c.read();
            assertEquals(408, r.status());
            assertEquals("read failed: TimeoutException", r.text());
            assertTrue(c.endedByServer());
        }
    }
}
