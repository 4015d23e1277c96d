package dev.ringside.uring.http;

import dev.ringside.uring.ring.RingOptions;
import dev.ringside.uring.server.HttpServer;
import dev.ringside.uring.testing.FdCount;
import dev.ringside.uring.testing.RawHttp;
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
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A request handed to a worker thread: the worker reads the body as it streams in and writes
 * its own raw response while the loop does the socket work. The workers here play a servlet
 * container: /echo answers with the body it read, /big streams a large chunked answer, /ignore
 * answers without reading the body, /abort gives up.
 */
class OffloadedExchangeTest {
    private final ExecutorService workers = Executors.newFixedThreadPool(8);
    private final AtomicInteger workerFailures = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch listenerRegistered = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch overwritten = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch clientRead = new java.util.concurrent.CountDownLatch(1);
    private final AtomicInteger lateCallbacks = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch timedOut = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch clientReading = new java.util.concurrent.CountDownLatch(1);
    private HttpServer server;
    private int fdsBefore;

    static Stream<RingOptions> modes() {
        RingOptions d = RingOptions.defaults().withEntries(256);
        return Stream.of(d, d.withBufferRing(false), d.withMultishot(false));
    }

    private void start(RingOptions ring) throws Exception {
        fdsBefore = FdCount.now();
        HttpServerConfig config = HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withThreads(1).withMaxConnections(256).withBuffers(16384, 64, 64, 64).withRing(ring);
        server = HttpServer.start(config, loop -> exchange -> {
            OffloadedExchange x = exchange.offload();
            workers.execute(() -> serve(x));
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            dev.ringside.uring.testing.RunningServer.awaitNothingHeld(server::stats);
            server.close();
            assertEquals(fdsBefore, FdCount.now(), () -> "descriptors leaked: " + FdCount.ours());
        }
        workers.shutdownNow();
    }

    @Test
    void aWriteThatTimesOutReturnsOnlyOnceTheKernelCanNoLongerSendFromTheBuffer() throws Exception {
        start(RingOptions.defaults().withEntries(256));
        long sentAfterRelease = 0;
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            s.getOutputStream().write("GET /stalled-direct HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(overwritten.await(20, java.util.concurrent.TimeUnit.SECONDS), "the write timed out");
            // Now read: a send still posted would go on copying from the buffer, the new owner's bytes.
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1 << 16];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == (byte) 0xEE) sentAfterRelease++;
                    }
                }
            } catch (IOException endedOrQuiet) {
                // reset by the close, or nothing more within 2 s
            } finally {
                clientRead.countDown();
            }
        }
        assertEquals(0, sentAfterRelease, "bytes sent from the buffer after the write gave it back");
    }

    @Test
    void aReadinessCallbackThatThrowsOnTheLoopCostsItsConnectionNotTheLoop() throws Exception {
        start(RingOptions.defaults().withEntries(256));
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /buggy-listener HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n");
            assertTrue(listenerRegistered.await(5, java.util.concurrent.TimeUnit.SECONDS));
            c.send("hello"); // the loop runs the listener, which throws
            assertTrue(c.endedByServer(), "its connection is closed");
        }
        assertEquals(1, server.stats().handlerFailures);
        try (RawHttp fresh = new RawHttp(server.port())) {
            assertEquals(200, fresh.send("GET /ignore HTTP/1.1\r\nHost: x\r\n\r\n").read().status(),
                    "the loop still serves");
        }
    }

    @Test
    void aWriteThatTimedOutSendsNothingMoreSoARetryingWriterCannotRepeatBytes() throws Exception {
        start(RingOptions.defaults().withEntries(256));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            s.getOutputStream().write("GET /stalled-then-retried HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(timedOut.await(20, java.util.concurrent.TimeUnit.SECONDS), "the write timed out");
            s.setSoTimeout(5000);
            clientReading.countDown();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1 << 16];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                }
            } catch (IOException reset) {
                // the connection is closed after the timeout: what came before counts
            }
        }
        byte[] all = got.toByteArray();
        int bodyAt = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
        assertTrue(bodyAt > 4, "a head came");
        int body = all.length - bodyAt;
        assertTrue(body < STALLED_SIZE, "the answer was broken off, not finished: " + body);
        for (int i = 0; i < body; i++) {
            if (all[bodyAt + i] != offsetByte(i)) {
                fail("byte " + i + " of the body is not the answer's own at that place: bytes were sent twice");
            }
        }
    }

    private static final int STALLED_SIZE = 16 << 20;

    /** The body's byte at {@code i}: a sequence in which a repeat or a skip shows. */
    private static byte offsetByte(int i) {
        return (byte) ((i >>> 8) ^ i ^ (i >>> 16));
    }

    private static int indexOf(byte[] a, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= a.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (a[i + j] != what[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    @Test
    void noReadinessCallbackRunsAfterTheWorkersLastCall() throws Exception {
        start(RingOptions.defaults().withEntries(256));
        try (RawHttp c = new RawHttp(server.port())) {
            // The worker registers for body, then gives up: the pooled processor behind it may
            // already serve another request when the loop closes this connection, so what it
            // registered must not run then.
            c.send("POST /listen-then-abort HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n");
            assertTrue(c.endedByServer(), "closed by the abort");
        }
        dev.ringside.uring.testing.RunningServer.awaitNothingHeld(server::stats);
        assertEquals(0, lateCallbacks.get(), "callbacks run after the worker's last call");
    }

    private void serve(OffloadedExchange x) {
        RequestHead h = x.head();
        String path = h.string(h.pathStart(), h.pathEnd());
        try {
            switch (path) {
                case "/echo" -> {
                    if (x.continuePending()) {
                        x.sendContinue();
                    }
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = x.read(buf, 0, buf.length)) >= 0) {
                        body.write(buf, 0, n);
                    }
                    writeAscii(x, "HTTP/1.1 200 OK\r\nContent-Length: " + body.size() + "\r\n\r\n");
                    x.write(body.toByteArray(), 0, body.size());
                    x.complete(false);
                }
                case "/big" -> {
                    int size = Integer.parseInt(h.string(h.queryStart(), h.queryEnd()));
                    writeAscii(x, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                    byte[] piece = pattern(1000);
                    for (int sent = 0; sent < size; sent += 1000) {
                        int n = Math.min(1000, size - sent);
                        writeAscii(x, Integer.toHexString(n) + "\r\n");
                        x.write(piece, 0, n);
                        writeAscii(x, "\r\n");
                    }
                    writeAscii(x, "0\r\n\r\n");
                    x.complete(false);
                }
                case "/direct" -> {
                    // Heap bytes, a large direct buffer, heap bytes again: order must hold.
                    int size = Integer.parseInt(h.string(h.queryStart(), h.queryEnd()));
                    ByteBuffer direct = ByteBuffer.allocateDirect(size);
                    for (int i = 0; i < size; i++) {
                        direct.put((byte) (i * 7));
                    }
                    direct.flip();
                    writeAscii(x, "HTTP/1.1 200 OK\r\nContent-Length: " + (size + 10) + "\r\n\r\nbefore");
                    x.write(direct);
                    if (direct.hasRemaining()) {
                        throw new IllegalStateException("the direct buffer was not consumed");
                    }
                    writeAscii(x, "done");
                    x.complete(false);
                }
                case "/ignore" -> {
                    writeAscii(x, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                    x.complete(false);
                }
                case "/abort" -> x.abort();
                case "/stalled-direct" -> {
                    // 32 MiB from a direct buffer to a client that reads nothing, 200 ms write timeout.
                    x.timeouts(0, 200_000_000L);
                    ByteBuffer direct = ByteBuffer.allocateDirect(32 << 20);
                    writeAscii(x, "HTTP/1.1 200 OK\r\nContent-Length: " + direct.capacity() + "\r\n\r\n");
                    try {
                        x.write(direct);
                    } catch (java.net.SocketTimeoutException expected) {
                        // The caller owns the buffer again: as a pool would, it hands it to someone else.
                        for (int i = 0; i < direct.capacity(); i++) {
                            direct.put(i, (byte) 0xEE);
                        }
                        overwritten.countDown();
                        clientRead.await(20, java.util.concurrent.TimeUnit.SECONDS);
                        x.abort();
                    }
                }
                case "/stalled-then-retried" -> {
                    // A container's output buffer: 8 KiB steps, and after a failed step it writes what
                    // the buffer says is left once more as it closes (Tomcat does), then completes.
                    x.timeouts(0, 200_000_000L);
                    writeAscii(x, "HTTP/1.1 200 OK\r\nContent-Length: " + STALLED_SIZE + "\r\n\r\n");
                    byte[] step = new byte[8192];
                    for (int off = 0; off < STALLED_SIZE; off += step.length) {
                        for (int i = 0; i < step.length; i++) {
                            step[i] = offsetByte(off + i);
                        }
                        ByteBuffer b = ByteBuffer.wrap(step);
                        try {
                            x.write(b);
                        } catch (java.net.SocketTimeoutException e) {
                            timedOut.countDown();
                            clientReading.await(20, java.util.concurrent.TimeUnit.SECONDS);
                            try {
                                x.write(b);
                            } catch (IOException expected) {
                                // the answer is broken off
                            }
                            x.complete(true);
                            return;
                        }
                    }
                    x.complete(false);
                }
                case "/listen-then-abort" -> {
                    x.demandBody(lateCallbacks::incrementAndGet);
                    x.abort();
                }
                case "/buggy-listener" -> {
                    // A non-blocking reader whose listener throws when the body arrives, on the loop.
                    x.demandBody(() -> {
                        throw new IllegalStateException("a listener's bug");
                    });
                    listenerRegistered.countDown();
                }
                default -> {
                    writeAscii(x, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
                    x.complete(false);
                }
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            workerFailures.incrementAndGet();
            x.abort();
        }
    }

    private static void writeAscii(OffloadedExchange x, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        x.write(b, 0, b.length);
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void answersManyRequestsOnOneKeptAliveConnection(RingOptions ring) throws Exception {
        start(ring);
        try (RawHttp c = new RawHttp(server.port())) {
            for (int i = 0; i < 200; i++) {
                String body = "n=" + i;
                c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
                RawHttp.Response r = c.read();
                assertEquals(200, r.status());
                assertEquals(body, r.text());
            }
        }
        assertEquals(200, server.stats().offloaded);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void streamsALargeUploadThroughTheBodyWindow(RingOptions ring) throws Exception {
        start(ring);
        byte[] upload = new byte[6 << 20];
        new Random(7).nextBytes(upload);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertArrayEquals(upload, r.body());
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void decodesAChunkedUploadForTheWorker(RingOptions ring) throws Exception {
        start(ring);
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            Thread.sleep(50); // the worker is already waiting for the rest
            c.send("7;ext=1\r\n, world\r\n0\r\nTrailer: t\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals("hello, world", r.text());
            c.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.read().status());
        }
    }

    @Test
    void sendsContinueOnlyWhenTheWorkerAsks() throws Exception {
        start(RingOptions.defaults().withEntries(256));
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            RawHttp.Response interim = c.read();
            assertEquals(100, interim.status());
            c.send("data");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("data", r.text());
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aLargeDirectBufferIsSentWhereItLiesInOrder(RingOptions ring) throws Exception {
        start(ring);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int size : new int[]{32767, 32768, 5_000_003}) {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri("/direct?" + size)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                byte[] b = r.body();
                assertEquals(size + 10, b.length);
                assertEquals("before", new String(b, 0, 6, StandardCharsets.US_ASCII));
                for (int i = 0; i < size; i++) {
                    if (b[6 + i] != (byte) (i * 7)) {
                        throw new AssertionError("byte " + i + " of " + size);
                    }
                }
                assertEquals("done", new String(b, 6 + size, 4, StandardCharsets.US_ASCII));
            }
        }
        assertEquals(0, workerFailures.get());
    }

    @Test
    void aClientThatLeavesDuringALargeDirectWriteFailsTheWorkerNotTheLoop() throws Exception {
        start(RingOptions.defaults().withEntries(128));
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET /direct?60000000 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readNBytes(100_000); // then leave, with a reset, mid-body
            s.setSoLinger(true, 0);
        }
        for (int i = 0; i < 200 && workerFailures.get() < 1; i++) {
            Thread.sleep(25);
        }
        assertEquals(1, workerFailures.get(), "the worker's write failed and it went on");
    }

    @ParameterizedTest
    @MethodSource("modes")
    void streamsALargeResponseThroughTwoHalves(RingOptions ring) throws Exception {
        start(ring);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int size : new int[]{0, 1, 16384, 3_000_001}) {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri("/big?" + size)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                assertEquals(size, r.body().length);
                for (int i = 0; i < size; i += 4099) {
                    assertEquals((byte) ('a' + (i % 1000) % 26), r.body()[i]);
                }
            }
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        start(RingOptions.defaults().withEntries(256));
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nonePOST /echo HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 3\r\n\r\ntwoGET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("one", c.read().text());
            assertEquals("two", c.read().text());
            assertEquals(404, c.read().status());
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void closesAfterAnAnswerThatLeftTheBodyUnread(RingOptions ring) throws Exception {
        start(ring);
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(1000));
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("ok", r.text());
            assertTrue(c.endedByServer());
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aClientThatVanishesMidUploadFailsTheWorkerAndLeaksNothing(RingOptions ring) throws Exception {
        start(ring);
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[300_000]);
                out.flush();
                s.setSoLinger(true, 0); // close with a reset, mid-body
            }
        }
        for (int i = 0; i < 100 && workerFailures.get() < 5; i++) {
            Thread.sleep(20);
        }
        assertEquals(5, workerFailures.get());
    }

    @Test
    void aClientThatHalfClosesMidBodyFailsTheWorkersReadAtOnce() throws Exception {
        start(RingOptions.defaults().withEntries(128));
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000); // far below any read timeout of the worker (60 s)
            OutputStream out = s.getOutputStream();
            out.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten..".getBytes(
                    StandardCharsets.US_ASCII));
            out.flush();
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read(), "the connection ends without an answer");
        }
        assertEquals(1, workerFailures.get());
    }

    @Test
    void anAbortingWorkerClosesTheConnection() throws Exception {
        start(RingOptions.defaults().withEntries(256));
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /abort HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(c.endedByServer());
        }
    }

    @Test
    void headCarriesTheClientsAddressAndTheRequestsOffsets() throws Exception {
        fdsBefore = FdCount.now();
        List<String> seen = new ArrayList<>();
        server = HttpServer.start(HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withThreads(1), loop -> exchange -> {
            OffloadedExchange x = exchange.offload();
            RequestHead h = x.head();
            synchronized (seen) {
                seen.add(h.string(h.methodStart(), h.methodEnd()) + " " + h.string(h.pathStart(), h.pathEnd()) + " "
                        + h.string(h.queryStart(), h.queryEnd()) + " " + h.headerCount() + " "
                        + h.string(h.headerNameStart(1), h.headerNameEnd(1)) + "="
                        + h.string(h.headerValueStart(1), h.headerValueEnd(1)) + " " + h.remoteAddr() + " "
                        + (h.remotePort() > 0) + " " + (h.localPort() == server.port()));
            }
            x.complete(true);
        });
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /a/b?c=d HTTP/1.1\r\nHost: x\r\nX-Thing:  v 1 \r\n\r\n");
            assertTrue(c.endedByServer());
        }
        assertEquals(List.of("GET /a/b c=d 2 X-Thing=v 1 127.0.0.1 true true"), seen);
    }

    @Test
    void manyClientsAtOnce() throws Exception {
        start(RingOptions.defaults().withEntries(256));
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int id = t;
                all.add(clients.submit(() -> {
                    byte[] body = new byte[1000 * id + 1];
                    Arrays.fill(body, (byte) id);
                    for (int i = 0; i < 40; i++) {
                        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri("/echo"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        assertArrayEquals(body, r.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("a client failed; server: " + server.stats(), e.getCause());
                }
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(0, workerFailures.get());
    }

    @SuppressWarnings("unused")
    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
