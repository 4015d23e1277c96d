package dev.ringside.uring.http;

import dev.ringside.uring.server.HttpServer;
import dev.ringside.uring.testing.FdCount;
import dev.ringside.uring.testing.RawHttp;
import dev.ringside.uring.testing.RunningServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A handler that throws costs the one connection it was serving, never its loop. */
class HandlerFailureTest {
    @Test
    void aThrowingHandlerClosesItsConnectionAndTheLoopServesOn() throws Exception {
        int fdsBefore = FdCount.now();
        HttpServerConfig config = HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withThreads(1).withMaxConnections(64).withBuffers(16384, 64, 64, 64);
        HttpServer server = HttpServer.start(config, loop -> exchange -> {
            String path = exchange.request().path(exchange.segment());
            if (path.equals("/boom")) {
                throw new IllegalStateException("a bug in a handler");
            }
            if (path.equals("/boom-after-offload")) {
                exchange.offload();
                throw new IllegalStateException("a bug after the hand-off");
            }
            exchange.respondStatus(204, null, false);
        });
        try {
            for (String boom : new String[] {"/boom", "/boom-after-offload", "/boom"}) {
                try (RawHttp c = new RawHttp(server.port())) {
                    c.send("GET /fine HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertEquals(204, c.read().status());
                    c.send("GET " + boom + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertTrue(c.endedByServer(), boom);
                }
            }
            try (RawHttp c = new RawHttp(server.port())) {
                assertEquals(204, c.send("GET /fine HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
            HttpServerStats s = RunningServer.awaitNothingHeld(server::stats);
            assertEquals(3, s.handlerFailures);
        } finally {
            server.close();
        }
        assertEquals(fdsBefore, FdCount.now(), () -> "descriptors leaked: " + FdCount.ours());
    }
}
