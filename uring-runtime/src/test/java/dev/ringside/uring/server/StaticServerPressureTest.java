package dev.ringside.uring.server;

import dev.ringside.uring.http.HttpLimits;
import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.http.HttpServerStats;
import dev.ringside.uring.ring.RingOptions;
import dev.ringside.uring.testing.RawHttp;
import dev.ringside.uring.testing.RunningServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** Malformed input, limits at their edge, timeouts and exhausted pools, end to end. */
class StaticServerPressureTest {
    @TempDir
    static Path root;

    private RunningServer server;

    @BeforeAll
    static void files() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        Files.write(root.resolve("big.bin"), new byte[3 * 1024 * 1024]);
    }

    private void start(HttpServerConfig config) throws Exception {
        server = RunningServer.start(root, config);
    }

    private static HttpServerConfig config() {
        return RunningServer.smallConfig();
    }

    @AfterEach
    void noLeaks() throws Exception {
        server.close();
    }

    @Test
    void aMalformedRequestGets400AndNothingAfterItIsParsed() throws Exception {
        start(config());
        try (RawHttp http = new RawHttp(server.port())) {
            // A second, valid request rides behind the bad one: it must never be answered.
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n"
                    + "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = http.read();
            assertEquals(400, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(http.closedByServer());
        }
        assertEquals(1, server.stats().parseErrors);
    }

    @Test
    void theErrorAnswerSurvivesAClientThatKeepsSending() throws Exception {
        start(config());
        try (RawHttp http = new RawHttp(server.port())) {
            // Bytes the server will never read follow the bad head. Closing with them unread
            // would send RST and could destroy the 400 before the client reads it; the server
            // shuts down its side instead and drops what keeps coming.
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n");
            byte[] junk = new byte[256 * 1024];
            java.util.Arrays.fill(junk, (byte) 'x');
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    http.socket().getOutputStream().write(junk);
                } catch (java.io.IOException ignored) {
                    // the server may close before all of it is written: that is fine
                }
            });
            RawHttp.Response r = http.read();
            assertEquals(400, r.status());
            assertTrue(http.closedByServer(), "EOF after the answer, not a reset");
            writer.join(5000);
        }
    }

    @Test
    void eachRefusalHasItsStatus() throws Exception {
        start(config());
        String[][] cases = {
                {"GET /hello.txt HTTP/2.0\r\nHost: x\r\n\r\n", "505"},
                {"GET /hello.txt HTTP/1.1\r\n\r\n", "400"},
                {"GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "501"},
                {"GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", "400"},
                {"GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", "400"},
                {"GET /a<b HTTP/1.1\r\nHost: x\r\n\r\n", "400"},
                {"GET /hello.txt HTTP/1.1\nHost: x\n\n", "400"},
        };
        for (String[] c : cases) {
            try (RawHttp http = new RawHttp(server.port())) {
                RawHttp.Response r = http.send(c[0]).read();
                assertEquals(Integer.parseInt(c[1]), r.status(), c[0]);
                assertTrue(http.closedByServer(), c[0]);
            }
        }
    }

    @Test
    void requestLineAndHeaderLimitsAtTheirEdge() throws Exception {
        HttpLimits limits = new HttpLimits(64, 256, 4);
        start(config().withLimits(limits));
        String prefix = "GET /hello.txt?";
        String suffix = " HTTP/1.1";
        int fill = 64 - prefix.length() - suffix.length();
        try (RawHttp http = new RawHttp(server.port())) {
            String line = prefix + "a".repeat(fill) + suffix;
            assertEquals(64, line.length());
            assertEquals(200, http.send(line + "\r\nHost: x\r\n\r\n").read().status(), "limit passes");
        }
        try (RawHttp http = new RawHttp(server.port())) {
            String line = prefix + "a".repeat(fill + 1) + suffix;
            assertEquals(414, http.send(line + "\r\nHost: x\r\n\r\n").read().status(), "limit + 1 fails");
        }
        try (RawHttp http = new RawHttp(server.port())) {
            assertEquals(200, http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n")
                    .read().status(), "four fields pass");
        }
        try (RawHttp http = new RawHttp(server.port())) {
            assertEquals(431, http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n")
                    .read().status(), "five fields fail");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "buffer ring = {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void aBodyIsReadAndDroppedAndTheNextRequestFollowsIt(boolean bufferRing) throws Exception {
        start(config().withRing(RingOptions.defaults().withEntries(128).withBufferRing(bufferRing)));
        try (RawHttp http = new RawHttp(server.port())) {
            // Body and the next request in one write: the body must not be parsed as a request.
            String body = "GET /hello.txt HTTP/1.1\r\nHost: evil\r\n\r\n";
            http.send("POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body + "HEAD /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(405, http.read().status());
            assertEquals(200, http.read(true).status());
            // A large body arriving in many reads, then a request on the same connection.
            int size = 3 * 1024 * 1024;
            http.send("PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < size; sent += chunk.length) {
                http.socket().getOutputStream().write(chunk, 0, Math.min(chunk.length, size - sent));
            }
            assertEquals(405, http.read().status());
            assertEquals("hello\n", http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
        }
        assertEquals(1, server.stats().accepted, "all on one connection");
        assertTrue(server.stats().bodyBytesDropped >= 3 * 1024 * 1024);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "buffer ring = {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void aChunkedBodyIsDecodedAndDroppedAndTheNextRequestFollowsIt(boolean bufferRing) throws Exception {
        start(config().withRing(RingOptions.defaults().withEntries(128).withBufferRing(bufferRing)));
        try (RawHttp http = new RawHttp(server.port())) {
            http.socket().setTcpNoDelay(true);
            String request = "POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n1A\r\nGET /evil HTTP/1.1\r\nHost: \r\n0\r\nTrailer-A: 1\r\n\r\n"
                    + "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n";
            // Written in small pieces: chunk lines split across reads decode the same.
            for (int i = 0; i < request.length(); i += 7) {
                http.send(request.substring(i, Math.min(request.length(), i + 7)));
                Thread.sleep(1);
            }
            assertEquals(405, http.read().status());
            assertEquals("hello\n", http.read().text(), "the request after the body, on the same connection");
        }
        assertEquals(5 + 0x1A, server.stats().bodyBytesDropped);
        assertEquals(0, server.stats().parseErrors);
    }

    @Test
    void brokenChunkedFramingGets400AndNothingAfterIt() throws Exception {
        start(config());
        String[] bodies = {
                "zz\r\nhello\r\n0\r\n\r\n",          // not hex
                "5\r\nhelloX\r\n0\r\n\r\n",           // data not followed by CRLF
                "5\nhello\r\n0\r\n\r\n",               // chunk line ending in bare LF
                " 5\r\nhello\r\n0\r\n\r\n",           // whitespace before the size
                "0\r\nBad Trailer: 1\r\n\r\n",         // invalid trailer field
        };
        for (String body : bodies) {
            try (RawHttp http = new RawHttp(server.port())) {
                http.send("POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body
                        + "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(405, http.read().status(), body);
                // The framing error is found after the answer to the POST: the connection ends,
                // and the GET behind the broken body is never answered.
                assertTrue(http.endedByServer(), body);
            }
        }
        assertEquals(bodies.length, server.stats().parseErrors);
    }

    @Test
    void chunkExtensionAndChunkedBodyLimitsAtTheirEdge() throws Exception {
        start(config().withLimits(new HttpLimits(8192, 16384, 100, 16, 16384, 10)));
        String ext16 = ";" + "e".repeat(15);
        try (RawHttp http = new RawHttp(server.port())) {
            http.send("POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "a" + ext16 + "\r\n0123456789\r\n0\r\n\r\n");
            assertEquals(405, http.read().status());
            assertEquals(200, http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status(),
                    "a 16-byte extension and a 10-byte body pass");
        }
        try (RawHttp http = new RawHttp(server.port())) {
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "a" + ext16 + "e\r\n0123456789\r\n0\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, http.read().status());
            assertTrue(http.endedByServer(), "a 17-byte extension fails");
        }
        try (RawHttp http = new RawHttp(server.port())) {
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "b\r\n0123456789a\r\n0\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, http.read().status());
            assertTrue(http.endedByServer(), "an 11-byte body fails");
        }
    }

    @Test
    void bodySizeLimitAtItsEdge() throws Exception {
        start(config().withMaxBodyBytes(1000));
        try (RawHttp http = new RawHttp(server.port())) {
            http.send("POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "a".repeat(1000));
            assertEquals(405, http.read().status(), "limit passes");
            assertEquals(200, http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        }
        try (RawHttp http = new RawHttp(server.port())) {
            http.send("POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n" + "a".repeat(1001));
            RawHttp.Response r = http.read();
            assertEquals(413, r.status(), "limit + 1 fails");
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void expectContinueForAnUnwantedBodyGetsTheFinalAnswerAndNo100() throws Exception {
        start(config());
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Response r = http.send("POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n").read();
            assertEquals(405, r.status(), "no interim 100 for a body nobody reads");
            assertEquals("close", r.header("Connection"));
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void requestsPerConnectionLimitAtItsEdge() throws Exception {
        start(config().withMaxKeepAliveRequests(3));
        try (RawHttp http = new RawHttp(server.port())) {
            for (int i = 1; i <= 3; i++) {
                RawHttp.Response r = http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, r.status());
                assertEquals(i == 3 ? "close" : null, r.header("Connection"), "request " + i);
            }
            assertTrue(http.closedByServer(), "the third request was the last");
        }
    }

    @Test
    void pipelinedBytesBeyondTheInputBufferCloseTheConnectionAfterTheCurrentAnswer() throws Exception {
        start(config());
        try (RawHttp http = new RawHttp(server.port())) {
            // The first request is answered with a 3 MiB body the client does not read yet, so
            // the server is still responding while 64 KiB more of pipelined heads arrive: more
            // than one 32 KiB input chunk holds.
            StringBuilder many = new StringBuilder("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            while (many.length() < 64 * 1024) {
                many.append("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    http.send(many.toString());
                } catch (java.io.IOException ignored) {
                    // the server may close while we write
                }
            });
            writer.join(5000);
            Thread.sleep(200);
            RawHttp.Response first = http.read();
            assertEquals(200, first.status());
            assertEquals(3 * 1024 * 1024, first.body().length);
            // Whatever was buffered in time may be answered; then the connection ends cleanly.
            int answered = 0;
            try {
                while (answered < 10_000 && http.read().status() == 200) {
                    answered++;
                }
            } catch (java.io.IOException end) {
                // EOF
            }
            assertTrue(answered < 64 * 1024 / 40, "not everything was buffered: " + answered);
        }
        assertTrue(server.stats().inputOverflow >= 1);
    }

    @Test
    void aHeadThatNeverCompletesGets408() throws Exception {
        start(config().withTimeouts(Duration.ofSeconds(30), Duration.ofMillis(300)));
        try (RawHttp http = new RawHttp(server.port())) {
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n");
            RawHttp.Response r = http.read();
            assertEquals(408, r.status());
            assertTrue(http.closedByServer());
        }
        assertEquals(1, server.stats().headerTimeouts);
    }

    @Test
    void anIdleKeepAliveConnectionIsClosed() throws Exception {
        start(config().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(10)));
        try (RawHttp http = new RawHttp(server.port())) {
            assertEquals(200, http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertTrue(http.closedByServer(), "closed after the idle timeout");
        }
        assertEquals(1, server.stats().idleTimeouts);
    }

    /**
     * Two receive buffers, two response-head buffers and two input buffers for 40 clients at
     * once: requests wait (back-pressure) instead of failing, and every client is answered.
     */
    @Test
    void exhaustedPoolsMeanWaitingNotCrashing() throws Exception {
        HttpServerConfig tiny = config().withBuffers(16384, 2, 40, 2).withPipes(1, 65536);
        start(tiny);
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(pool.submit(() -> {
                    try (RawHttp http = new RawHttp(server.port())) {
                        int ok = 0;
                        for (int k = 0; k < 5; k++) {
                            String path = k == 2 ? "/big.bin" : "/hello.txt";
                            RawHttp.Response r = http.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                            if (r.status() == 200) ok++;
                        }
                        return ok;
                    }
                }));
            }
            for (Future<Integer> f : answers) {
                assertEquals(5, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        HttpServerStats s = server.stats();
        assertEquals(200, s.requests);
        assertTrue(s.recvStarved > 0 || s.deferred > 0, () -> "pools were never short: " + s);
    }

    @Test
    void clientsThatComeAndGoWhileTheirRequestsWaitForAHeadBufferLeaveTheLoopServing() throws Exception {
        Path huge = root.resolve("huge.bin");
        Files.write(huge, new byte[32 << 20]);
        try {
            // One head buffer and four slots: a download its client does not read holds the buffer.
            start(config().withMaxConnections(4).withBuffers(16384, 64, 64, 1).withPipes(1, 65536));
            try (Socket stalled = new Socket()) {
                stalled.setReceiveBufferSize(4096);
                stalled.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
                stalled.getOutputStream().write("GET /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                awaitStats(s -> s.fileResponses == 1);
                // Each waits for the buffer, then goes; its slot is taken by the next: 5 times the slots.
                for (int i = 0; i < 20; i++) {
                    long deferred = server.stats().deferred;
                    long closed = server.stats().closed;
                    try (RawHttp waiting = new RawHttp(server.port())) {
                        waiting.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
                        awaitStats(s -> s.deferred > deferred);
                    }
                    awaitStats(s -> s.closed > closed);
                }
                InputStream in = stalled.getInputStream();
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                for (int n; total < (32 << 20) && (n = in.read(buffer)) > 0; ) {
                    total += n;
                }
                assertTrue(total >= 32 << 20, "the stalled download completes once read");
            }
            try (RawHttp fresh = new RawHttp(server.port())) {
                assertEquals(200, fresh.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status(),
                        "the loop still serves");
            }
        } finally {
            Files.delete(huge);
        }
    }

    private void awaitStats(java.util.function.Predicate<HttpServerStats> condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.test(server.stats())) {
            assertTrue(System.nanoTime() < deadline, () -> "not reached within 10 s: " + server.stats());
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
