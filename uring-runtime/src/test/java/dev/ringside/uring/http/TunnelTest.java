package dev.ringside.uring.http;

import dev.ringside.uring.ring.RingOptions;
import dev.ringside.uring.server.HttpServer;
import dev.ringside.uring.testing.FdCount;
import dev.ringside.uring.testing.RawHttp;
import dev.ringside.uring.testing.RunningServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upgrade requests handed by the loop to a backend (as the adapter hands them to the
 * container's own connector): a plain {@link ServerSocket} plays the container, answering 101
 * and then echoing, or answering a plain request and closing. Every test ends with the server
 * holding nothing and no descriptor leaked.
 */
class TunnelTest {
    private static final String UPGRADE = "GET /chat?room=1 HTTP/1.1\r\nHost: example.test\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "X-Odd:  spaced value \r\n\r\n";
    private static final byte[] SWITCHING = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private HttpServer server;
    private Backend backend;
    private int fdsBefore;

    static Stream<RingOptions> modes() {
        RingOptions d = RingOptions.defaults().withEntries(256);
        return Stream.of(d, d.withBufferRing(false), d.withMultishot(false), d.withSocketOp(false));
    }

    /** What the backend does with one connection, given the request head it read. */
    @FunctionalInterface
    interface Behaviour {
        void serve(Socket s, byte[] head) throws Exception;
    }

    /** The container's connector: accepts, reads a head, then behaves; records heads and failures. */
    final class Backend implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        final ConcurrentLinkedQueue<byte[]> heads = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

        Backend(Behaviour behaviour) throws IOException {
            threads.execute(() -> {
                while (!socket.isClosed()) {
                    Socket s;
                    try {
                        s = socket.accept();
                    } catch (IOException e) {
                        return;
                    }
                    threads.execute(() -> {
                        try (s) {
                            s.setSoTimeout(10_000);
                            byte[] head = readHead(s.getInputStream());
                            heads.add(head);
                            behaviour.serve(s, head);
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    });
                }
            });
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private void start(RingOptions ring, Behaviour behaviour) throws Exception {
        start(ring, behaviour, Duration.ofSeconds(60), Duration.ofSeconds(20));
    }

    private void start(RingOptions ring, Behaviour behaviour, Duration keepAlive, Duration header) throws Exception {
        fdsBefore = FdCount.now();
        backend = new Backend(behaviour);
        InetSocketAddress to = backend.address();
        startServer(ring, to, keepAlive, header);
    }

    private void startServer(RingOptions ring, InetSocketAddress to, Duration keepAlive, Duration header)
            throws Exception {
        HttpServerConfig config = HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withThreads(1).withMaxConnections(256).withBuffers(16384, 64, 64, 64).withRing(ring)
                .withTimeouts(keepAlive, header);
        server = HttpServer.start(config, loop -> exchange -> exchange.tunnel(to));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (server != null) {
                RunningServer.awaitNothingHeld(server::stats);
                server.close();
            }
            if (backend != null) {
                backend.close();
                assertTrue(backend.failures.isEmpty(), () -> "backend failed: " + backend.failures);
            }
        } finally {
            threads.shutdownNow();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            assertEquals(fdsBefore, FdCount.now(), () -> "descriptors leaked: " + FdCount.ours());
        }
    }

    // ---- backends -------------------------------------------------------------------------------

    /** 101, then every byte back until EOF, then close. */
    private static void echo(Socket s, byte[] head) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(SWITCHING);
        out.flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF inside the head: " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private RawHttp upgrade() throws IOException {
        RawHttp c = new RawHttp(server.port());
        c.send(UPGRADE);
        RawHttp.Response r = c.read();
        assertEquals(101, r.status());
        assertEquals("websocket", r.header("upgrade"));
        return c;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes {@code data} on another thread while reading as many bytes back: an echo both ways at once. */
    private byte[] echoThrough(Socket s, byte[] data) throws Exception {
        Future<?> writer = threads.submit(() -> {
            s.getOutputStream().write(data);
            s.getOutputStream().flush();
            return null;
        });
        byte[] back = s.getInputStream().readNBytes(data.length);
        writer.get(10, TimeUnit.SECONDS);
        return back;
    }

    // ---- tests ----------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("modes")
    void theHeadReachesTheBackendByteExactAndAMebibyteEchoesEachWay(RingOptions ring) throws Exception {
        start(ring, TunnelTest::echo);
        try (RawHttp c = upgrade()) {
            byte[] data = random(1 << 20, 1);
            assertArrayEquals(data, echoThrough(c.socket(), data));
            byte[] more = random(70_000, 2);
            assertArrayEquals(more, echoThrough(c.socket(), more));
        }
        assertEquals(UPGRADE, new String(backend.heads.peek(), StandardCharsets.ISO_8859_1));
        assertEquals(1, server.stats().tunnelsOpened);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void bytesSentRightAfterTheHeadReachTheBackend(RingOptions ring) throws Exception {
        start(ring, TunnelTest::echo);
        try (RawHttp c = new RawHttp(server.port())) {
            c.send(UPGRADE + "first frame, same packet");
            assertEquals(101, c.read().status());
            byte[] got = c.socket().getInputStream().readNBytes("first frame, same packet".length());
            assertEquals("first frame, same packet", new String(got, StandardCharsets.US_ASCII));
        }
        assertEquals(UPGRADE, new String(backend.heads.peek(), StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aClientThatDoesNotWaitForThe101LosesNoByte(RingOptions ring) throws Exception {
        start(ring, TunnelTest::echo);
        // More than one receive buffer right behind the head: with a multishot receive the rest may
        // arrive before its cancel lands (handed to the tunnel in order), or later through the tunnel.
        for (int i = 0; i < 10; i++) {
            byte[] early = random(28_000, 20 + i);
            try (RawHttp c = new RawHttp(server.port())) {
                byte[] head = UPGRADE.getBytes(StandardCharsets.ISO_8859_1);
                byte[] both = java.util.Arrays.copyOf(head, head.length + early.length);
                System.arraycopy(early, 0, both, head.length, early.length);
                c.socket().getOutputStream().write(both);
                assertEquals(101, c.read().status());
                assertArrayEquals(early, c.socket().getInputStream().readNBytes(early.length));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aClientsEofReachesTheBackend(RingOptions ring) throws Exception {
        CompletableFuture<Integer> afterEof = new CompletableFuture<>();
        start(ring, (s, head) -> {
            s.getOutputStream().write(SWITCHING);
            afterEof.complete(s.getInputStream().read());
        });
        try (RawHttp c = upgrade()) {
            c.socket().shutdownOutput();
            assertEquals(-1, afterEof.get(10, TimeUnit.SECONDS));
            assertTrue(c.closedByServer()); // the backend closed after the EOF: so does the tunnel
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aClientResetClosesTheBackendsSocket(RingOptions ring) throws Exception {
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        start(ring, (s, head) -> {
            s.getOutputStream().write(SWITCHING);
            seen.complete(s.getInputStream().read());
            release.get(10, TimeUnit.SECONDS); // the backend keeps its socket open meanwhile
        });
        try (RawHttp c = upgrade()) {
            c.socket().setSoLinger(true, 0);
        }
        assertEquals(-1, seen.get(10, TimeUnit.SECONDS));
        // Everything is released while the backend still holds its end open: the tunnel closed ours.
        RunningServer.awaitNothingHeld(server::stats);
        release.complete(null);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aBackendThatAnswersAndClosesEndsTheClientsConnection(RingOptions ring) throws Exception {
        start(ring, (s, head) -> {
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nplain"
                    .getBytes(StandardCharsets.US_ASCII));
        });
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("plain", r.text());
            assertTrue(c.closedByServer());
        }
        assertEquals("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n",
                new String(backend.heads.peek(), StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @MethodSource("modes")
    void afterTheClientHalfClosesTheBackendsBytesStillFlow(RingOptions ring) throws Exception {
        byte[] answer = random(300_000, 3);
        start(ring, (s, head) -> {
            s.getOutputStream().write(SWITCHING);
            byte[] got = s.getInputStream().readAllBytes(); // until the client's EOF
            s.getOutputStream().write(String.valueOf(got.length).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write('\n');
            s.getOutputStream().write(answer);
        });
        try (RawHttp c = upgrade()) {
            c.socket().getOutputStream().write(random(100_000, 4));
            c.socket().shutdownOutput();
            InputStream in = c.socket().getInputStream();
            byte[] all = in.readAllBytes();
            String count = new String(all, 0, 7, StandardCharsets.US_ASCII);
            assertEquals("100000\n", count);
            assertArrayEquals(answer, java.util.Arrays.copyOfRange(all, 7, all.length));
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void afterTheBackendHalfClosesTheClientsBytesStillFlow(RingOptions ring) throws Exception {
        byte[] upload = random(300_000, 5);
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        start(ring, (s, head) -> {
            s.getOutputStream().write(SWITCHING);
            s.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            received.complete(s.getInputStream().readAllBytes());
        });
        try (RawHttp c = upgrade()) {
            assertArrayEquals("bye".getBytes(StandardCharsets.US_ASCII), c.socket().getInputStream().readAllBytes());
            c.socket().getOutputStream().write(upload);
            c.socket().shutdownOutput();
            assertArrayEquals(upload, received.get(10, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void anUnreachableBackendAnswers502AndCloses(RingOptions ring) throws Exception {
        fdsBefore = FdCount.now();
        InetSocketAddress nobody;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), gone.getLocalPort());
        }
        startServer(ring, nobody, Duration.ofSeconds(60), Duration.ofSeconds(20));
        try (RawHttp c = new RawHttp(server.port())) {
            c.send(UPGRADE + "early bytes");
            RawHttp.Response r = c.read();
            assertEquals(502, r.status());
            assertEquals("close", r.header("connection"));
            assertTrue(c.endedByServer());
        }
        assertEquals(1, server.stats().tunnelsFailed);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void twentyTunnelsAtOnce(RingOptions ring) throws Exception {
        start(ring, TunnelTest::echo);
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            int id = t;
            all.add(threads.submit(() -> {
                try (RawHttp c = upgrade()) {
                    for (int round = 0; round < 5; round++) {
                        byte[] data = random(50_000 + id * 1000, id * 10L + round);
                        assertArrayEquals(data, echoThrough(c.socket(), data));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertEquals(20, server.stats().tunnelsOpened);
    }

    @Test
    void noHttpTimeoutAppliesToATunnel() throws Exception {
        start(RingOptions.defaults().withEntries(256), TunnelTest::echo, Duration.ofMillis(200), Duration.ofMillis(200));
        try (RawHttp c = upgrade()) {
            Thread.sleep(1200); // several ticks past both timeouts: the point of the test, not a wait
            byte[] data = random(1000, 6);
            assertArrayEquals(data, echoThrough(c.socket(), data));
        }
        assertEquals(0, server.stats().idleTimeouts);
    }

    @Test
    void aBackendThatDoesNotAcceptInTimeAnswers504() throws Exception {
        fdsBefore = FdCount.now();
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // A listener that never accepts, its queue filled: the kernel drops further SYNs.
            for (int i = 0; i < 4; i++) {
                Socket f = new Socket();
                try {
                    f.connect(full.getLocalSocketAddress(), 200);
                } catch (IOException e) {
                    // this one already hangs: the queue is full
                }
                fillers.add(f);
            }
            startServer(RingOptions.defaults().withEntries(256),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()),
                    Duration.ofSeconds(60), Duration.ofMillis(300));
            try (RawHttp c = new RawHttp(server.port())) {
                c.send(UPGRADE);
                RawHttp.Response r = c.read();
                assertEquals(504, r.status());
                assertTrue(c.endedByServer());
            }
            assertEquals(1, server.stats().tunnelsFailed);
        } finally {
            for (Socket f : fillers) {
                f.close();
            }
        }
    }
}
