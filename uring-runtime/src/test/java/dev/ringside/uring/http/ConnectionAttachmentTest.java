package dev.ringside.uring.http;

import dev.ringside.uring.server.HttpServer;
import dev.ringside.uring.testing.FdCount;
import dev.ringside.uring.testing.RawHttp;
import dev.ringside.uring.testing.RunningServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a handler attaches to a connection stays with that connection: every later request on it
 * sees it (on the loop and in the exchange a worker is handed), another connection does not, and it
 * is told once when its connection closes, whoever closes it. The handler here attaches a numbered
 * {@link Conn} after offloading the first request of each connection (the order an adapter that
 * needs the connection's addresses uses); the worker answers with what its exchange carries.
 */
class ConnectionAttachmentTest {
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final AtomicInteger made = new AtomicInteger();
    private final List<Conn> attached = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private int fdsBefore;

    /** One connection as the handler knows it. */
    private final class Conn implements ConnectionAttachment {
        final int id = made.incrementAndGet();
        final long openedMillis;
        final AtomicInteger closed = new AtomicInteger();

        Conn(long openedMillis) {
            this.openedMillis = openedMillis;
        }

        @Override
        public void connectionClosed() {
            closed.incrementAndGet();
        }
    }

    @BeforeEach
    void start() throws Exception {
        fdsBefore = FdCount.now();
        HttpServerConfig config = HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withThreads(1).withMaxConnections(64).withBuffers(16384, 64, 64, 64);
        server = HttpServer.start(config, loop -> exchange -> {
            boolean known = exchange.attachment() != null;
            OffloadedExchange x = exchange.offload();
            if (!known) {
                Conn c = new Conn(exchange.connectionOpenedMillis());
                exchange.attach(c);
                attached.add(c);
            }
            workers.execute(() -> answer(x, known));
        });
    }

    @AfterEach
    void stop() throws Exception {
        try {
            RunningServer.awaitNothingHeld(server::stats);
            server.close();
            assertEquals(fdsBefore, FdCount.now(), () -> "descriptors leaked: " + FdCount.ours());
        } finally {
            workers.shutdownNow();
        }
    }

    /** "conn=<id> known=<whether the loop had it before this request>", and close when asked. */
    private static void answer(OffloadedExchange x, boolean known) {
        RequestHead h = x.head();
        boolean close = h.string(h.pathStart(), h.pathEnd()).equals("/close");
        String body = "conn=" + (x.attachment() instanceof Conn c ? c.id : 0) + " known=" + known;
        String response = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n" + body;
        try {
            byte[] bytes = response.getBytes(StandardCharsets.US_ASCII);
            x.write(bytes, 0, bytes.length);
            x.complete(close);
        } catch (IOException e) {
            x.abort();
        }
    }

    private static String get(RawHttp c, String path) throws IOException {
        c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
        return c.read().text();
    }

    @Test
    void everyRequestOnAConnectionSeesWhatItsFirstAttached() throws Exception {
        try (RawHttp one = new RawHttp(server.port()); RawHttp two = new RawHttp(server.port())) {
            assertEquals("conn=1 known=false", get(one, "/"), "attached after the offload: its exchange carries it too");
            assertEquals("conn=1 known=true", get(one, "/"));
            assertEquals("conn=2 known=false", get(two, "/"));
            assertEquals("conn=1 known=true", get(one, "/"));
            assertEquals("conn=2 known=true", get(two, "/"));
        }
        assertEquals(2, made.get());
    }

    @Test
    void theAttachmentIsToldOnceWhenTheClientCloses() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            get(c, "/");
            get(c, "/");
        }
        Conn conn = awaitClosed(0);
        assertEquals(1, conn.closed.get());
    }

    @Test
    void theAttachmentIsToldOnceWhenTheServerCloses() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            get(c, "/close");
            assertTrue(c.endedByServer());
        }
        assertEquals(1, awaitClosed(0).closed.get());
    }

    @Test
    void aNewConnectionInTheSameSlotStartsWithNothingAttached() throws Exception {
        for (int i = 1; i <= 3; i++) {
            try (RawHttp c = new RawHttp(server.port())) {
                assertEquals("conn=" + i + " known=false", get(c, "/close"));
            }
            awaitClosed(i - 1);
        }
    }

    @Test
    void knowsWhenItsConnectionWasAccepted() throws Exception {
        long before = System.currentTimeMillis();
        try (RawHttp c = new RawHttp(server.port())) {
            get(c, "/");
            long after = System.currentTimeMillis();
            long opened = attached.getFirst().openedMillis;
            // The loop reads its clock once per wake-up, which may come just before the accept's completion.
            assertTrue(opened >= before - 1_000 && opened <= after, before + " <= " + opened + " <= " + after);
        }
        assertNotEquals(0, awaitClosed(0).closed.get());
    }

    /** The {@code i}th attachment once it has been told its connection closed (bounded wait). */
    private Conn awaitClosed(int i) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (attached.size() <= i || attached.get(i).closed.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("attachment " + i + " was not told its connection closed: " + attached.size());
            }
            Thread.sleep(5);
        }
        return attached.get(i);
    }
}
