package dev.ringside.uring.server;

import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.http.HttpServerStats;
import dev.ringside.uring.ring.RingOptions;
import dev.ringside.uring.testing.FdCount;
import dev.ringside.uring.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The standalone server end to end: real sockets on 127.0.0.1, java.net.http and curl as
 * clients, and after every test the server holds no connection, buffer, pipe or descriptor it
 * did not hold before.
 */
class StaticServerTest {
    @TempDir
    static Path root;
    static byte[] small;
    static byte[] medium;
    static byte[] large;

    private StaticServer server;
    private int fdsBefore;

    @BeforeAll
    static void files() throws Exception {
        Random r = new Random(42);
        small = new byte[1024];
        medium = new byte[64 * 1024];
        large = new byte[10 * 1024 * 1024];
        r.nextBytes(small);
        r.nextBytes(medium);
        r.nextBytes(large);
        Files.write(root.resolve("small.bin"), small);
        Files.write(root.resolve("medium.bin"), medium);
        Files.write(root.resolve("large.bin"), large);
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");
        Files.writeString(root.resolve("page.html"), "<h1>hi</h1>");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<p>docs</p>");
        Files.createDirectories(root.resolve("WEB-INF"));
        Files.writeString(root.resolve("WEB-INF/web.xml"), "<secret/>");
        Files.writeString(root.resolve("empty.txt"), "");
    }

    static Stream<RingOptions> modes() {
        RingOptions d = RingOptions.defaults().withEntries(256);
        return Stream.of(d, d.withBufferRing(false), d.withMultishot(false), d.withSplice(false),
                d.withTaskrunFlags(false));
    }

    private void start(RingOptions ring, int threads) throws Exception {
        fdsBefore = FdCount.now();
        HttpServerConfig config = HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withThreads(threads).withMaxConnections(2048).withRing(ring)
                .withBuffers(16384, 256, 256, 2048);
        server = StaticServer.start(root, config, StaticServer.CacheConfig.defaults());
    }

    @AfterEach
    void stopAndCheckLeaks() throws Exception {
        if (server == null) {
            return;
        }
        HttpServerStats s = awaitQuiet();
        assertTrue(s.nothingHeld(), () -> "server still holds resources: " + s);
        server.close();
        assertEquals(fdsBefore, FdCount.now(), () -> "descriptors leaked: " + FdCount.ours());
    }

    /** Closing is asynchronous (completions arrive later): wait until every connection is gone. */
    private HttpServerStats awaitQuiet() throws InterruptedException {
        HttpServerStats s = server.stats();
        for (int i = 0; i < 100 && !s.nothingHeld(); i++) {
            Thread.sleep(50);
            s = server.stats();
        }
        return s;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void servesSmallMediumAndLargeFilesByteForByte(RingOptions mode) throws Exception {
        start(mode, 2);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (var e : List.of(new Object[]{"/small.bin", small}, new Object[]{"/medium.bin", medium},
                    new Object[]{"/large.bin", large})) {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri((String) e[0])).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                assertArrayEquals((byte[]) e[1], r.body(), (String) e[0]);
                assertEquals(String.valueOf(((byte[]) e[1]).length), r.headers().firstValue("content-length").orElseThrow());
            }
        }
    }

    @Test
    void headersMatchTheFile() throws Exception {
        start(RingOptions.defaults(), 1);
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Response r = http.send("GET /page.html HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(200, r.status());
            assertEquals("<h1>hi</h1>", r.text());
            assertEquals("text/html", r.header("Content-Type"));
            assertEquals("11", r.header("Content-Length"));
            long mtime = Files.getLastModifiedTime(root.resolve("page.html")).toMillis();
            assertEquals("W/\"11-" + mtime + "\"", r.header("ETag"));
            assertNotNull(r.header("Last-Modified"));
            assertNotNull(r.header("Date"));
            assertNull(r.header("Connection"), "HTTP/1.1 keep-alive needs no header");
        }
    }

    @Test
    void headIsGetWithoutTheBody() throws Exception {
        start(RingOptions.defaults(), 1);
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Response get = http.send("GET /medium.bin HTTP/1.1\r\nHost: x\r\n\r\n").read();
            RawHttp.Response head = http.send("HEAD /medium.bin HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertEquals(200, head.status());
            assertEquals(get.header("Content-Length"), head.header("Content-Length"));
            assertEquals(get.header("ETag"), head.header("ETag"));
            assertEquals(0, head.body().length);
            // The next response starts right after the head: no body bytes were sent.
            RawHttp.Response next = http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals("hello, world\n", next.text());
        }
    }

    @Test
    void statusesForWhatIsNotAFile() throws Exception {
        start(RingOptions.defaults(), 1);
        try (RawHttp http = new RawHttp(server.port())) {
            assertEquals(404, http.send("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertEquals(404, http.send("GET /WEB-INF/web.xml HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            RawHttp.Response redirect = http.send("GET /docs?x=1 HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(302, redirect.status());
            assertEquals("/docs/?x=1", redirect.header("Location"));
            RawHttp.Response welcome = http.send("GET /docs/ HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(200, welcome.status());
            assertEquals("<p>docs</p>", welcome.text());
            RawHttp.Response empty = http.send("GET /empty.txt HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(200, empty.status());
            assertEquals("0", empty.header("Content-Length"));
            RawHttp.Response post = http.send("DELETE /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(405, post.status());
            assertEquals("GET, HEAD", post.header("Allow"));
        }
    }

    @Test
    void pathsNeverEscapeTheRoot() throws Exception {
        Path outside = root.getParent().resolve("outside-" + System.nanoTime() + ".txt");
        Files.writeString(outside, "secret");
        try {
            start(RingOptions.defaults(), 1);
            for (String p : List.of("/../" + outside.getFileName(), "/%2e%2e/" + outside.getFileName(),
                    "/docs/../../" + outside.getFileName(), "/..%2f" + outside.getFileName(),
                    "/%2E%2E%5c" + outside.getFileName())) {
                try (RawHttp http = new RawHttp(server.port())) {
                    RawHttp.Response r = http.send("GET " + p + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                    assertTrue(r.status() == 400 || r.status() == 404, p + " answered " + r.status());
                    assertNotEquals("secret", r.text());
                }
            }
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void symlinkOutOfTheRootIsRefusedByTheKernel() throws Exception {
        Path outside = Files.createTempFile("outside", ".txt");
        Files.writeString(outside, "secret");
        Path link = root.resolve("escape.txt");
        Files.createSymbolicLink(link, outside);
        try {
            start(RingOptions.defaults(), 1);
            try (RawHttp http = new RawHttp(server.port())) {
                assertEquals(404, http.send("GET /escape.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
        } finally {
            Files.delete(link);
            Files.delete(outside);
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void pipelinedRequestsAreAnsweredInOrder(RingOptions mode) throws Exception {
        start(mode, 1);
        try (RawHttp http = new RawHttp(server.port())) {
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /small.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /medium.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /page.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("hello, world\n", http.read().text());
            assertEquals("1024", http.read(true).header("Content-Length"));
            assertEquals(404, http.read().status());
            assertArrayEquals(medium, http.read().body());
            RawHttp.Response last = http.read();
            assertEquals("<h1>hi</h1>", last.text());
            assertEquals("close", last.header("Connection"));
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void aHeadSplitIntoSingleBytesIsServedTheSame() throws Exception {
        start(RingOptions.defaults(), 1);
        try (RawHttp http = new RawHttp(server.port())) {
            http.socket().setTcpNoDelay(true);
            String req = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nUser-Agent: split\r\n\r\n";
            for (char ch : req.toCharArray()) {
                http.send(String.valueOf(ch));
                Thread.sleep(1);
            }
            assertEquals("hello, world\n", http.read().text());
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void keepAliveServesAThousandRequestsOnOneConnection(RingOptions mode) throws Exception {
        start(mode, 1);
        try (RawHttp http = new RawHttp(server.port())) {
            for (int i = 0; i < 1000; i++) {
                RawHttp.Response r = http.send("GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, r.status());
                assertEquals(1024, r.body().length);
            }
        }
        HttpServerStats s = server.stats();
        assertEquals(1, s.accepted, "one connection");
        assertEquals(1000, s.requests);
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() throws Exception {
        start(RingOptions.defaults(), 1);
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Response r = http.send("GET /hello.txt HTTP/1.0\r\n\r\n").read();
            assertEquals("close", r.header("Connection"));
            assertTrue(http.closedByServer());
        }
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Response r = http.send("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("keep-alive", r.header("Connection"));
            assertEquals(200, http.send("GET /hello.txt HTTP/1.0\r\n\r\n").read().status());
        }
    }

    @Test
    void aThousandConcurrentConnections() throws Exception {
        start(RingOptions.defaults(), 2);
        List<RawHttp> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                clients.add(new RawHttp(server.port()));
            }
            for (RawHttp c : clients) {
                c.send("GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            for (RawHttp c : clients) {
                assertArrayEquals(small, c.read().body());
            }
            assertEquals(1000, server.stats().connectionsOpen);
        } finally {
            for (RawHttp c : clients) {
                c.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aClientThatDisconnectsMidFileLeavesNothingBehind(RingOptions mode) throws Exception {
        start(mode, 1);
        for (int i = 0; i < 5; i++) {
            try (RawHttp http = new RawHttp(server.port())) {
                http.send("GET /large.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                InputStream in = http.socket().getInputStream();
                in.readNBytes(100_000);
                http.socket().setSoLinger(true, 0); // RST, not FIN
            }
        }
        // The server still answers, and (checked after the test) holds nothing of the dead clients.
        try (RawHttp http = new RawHttp(server.port())) {
            assertEquals("hello, world\n", http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
        }
    }

    @Test
    void shutdownLetsAResponseInFlightFinishThenFreesEverything() throws Exception {
        start(RingOptions.defaults(), 1);
        int port = server.port();
        try (RawHttp http = new RawHttp(port)) {
            http.send("GET /large.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            InputStream in = http.socket().getInputStream();
            byte[] first = in.readNBytes(64 * 1024);
            Thread closer = Thread.ofPlatform().start(() -> {
                try {
                    server.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            byte[] rest = in.readAllBytes(); // ends at EOF: the server closes after this response
            closer.join(15_000);
            assertFalse(closer.isAlive(), "close() returned");
            byte[] all = new byte[first.length + rest.length];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            String text = new String(all, 0, Math.min(all.length, 400), java.nio.charset.StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n") + 4;
            assertArrayEquals(large, java.util.Arrays.copyOfRange(all, headEnd, all.length));
        }
        server = null;
        assertEquals(fdsBefore, FdCount.now(), () -> "descriptors left after shutdown: " + FdCount.ours());
        assertThrows(java.io.IOException.class, () -> new RawHttp(port).close(), "nothing listens any more");
    }

    @Test
    void servesOverIpv6Loopback() throws Exception {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            org.junit.jupiter.api.Assumptions.assumeTrue(probe.isBound());
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
        }
        fdsBefore = FdCount.now();
        HttpServerConfig config = HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getByName("::1"), 0))
                .withThreads(2).withBuffers(16384, 64, 64, 64);
        server = StaticServer.start(root, config, StaticServer.CacheConfig.defaults());
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://[::1]:" + server.port() + "/hello.txt")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("hello, world\n", r.body());
        }
    }

    @Test
    void curlDownloadsWhatWasWritten(@TempDir Path out) throws Exception {
        start(RingOptions.defaults(), 1);
        Path dest = out.resolve("large.bin");
        Process p = new ProcessBuilder("curl", "-sS", "--fail", "-o", dest.toString(),
                "http://127.0.0.1:" + server.port() + "/large.bin").redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        assertArrayEquals(large, Files.readAllBytes(dest));
    }

    @Test
    void aChangedFileIsNoticedAndNeverServedTorn() throws Exception {
        Path f = root.resolve("changing.txt");
        Files.writeString(f, "version one");
        start(RingOptions.defaults(), 1);
        try (RawHttp http = new RawHttp(server.port())) {
            assertEquals("version one", http.send("GET /changing.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            Files.writeString(f, "version two, longer");
            // Five seconds on from its own mtime, not from the clock: the test reads no wall clock.
            Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5000));
            String body = null;
            for (int i = 0; i < 40; i++) {
                body = http.send("GET /changing.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text();
                assertTrue(body.equals("version one") || body.equals("version two, longer"), body);
                if (body.equals("version two, longer")) break;
                Thread.sleep(100);
            }
            assertEquals("version two, longer", body, "noticed within the validity period");
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedNotQueued() throws Exception {
        fdsBefore = FdCount.now();
        HttpServerConfig config = HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withThreads(1).withMaxConnections(4).withBuffers(16384, 64, 16, 16);
        server = StaticServer.start(root, config, StaticServer.CacheConfig.defaults());
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                RawHttp c = new RawHttp(server.port());
                held.add(c);
                assertEquals(200, c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
            try (RawHttp extra = new RawHttp(server.port())) {
                extra.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(extra.endedByServer(), "the fifth connection is closed at once");
            }
            assertTrue(server.stats().refused >= 1);
        } finally {
            for (RawHttp c : held) c.close();
        }
        try (RawHttp again = new RawHttp(server.port())) {
            assertEquals(200, again.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        }
    }
}
