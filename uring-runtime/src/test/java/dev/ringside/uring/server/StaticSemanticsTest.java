package dev.ringside.uring.server;

import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.http.HttpServerStats;
import dev.ringside.uring.ring.RingOptions;
import dev.ringside.uring.testing.FdCount;
import dev.ringside.uring.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Conditional, range and precompressed answers end to end, and how they follow files that change
 * under a running server. The answers themselves are compared with Tomcat's in
 * {@link TomcatDifferentialTest}; after every test the server holds nothing it did not hold before.
 */
class StaticSemanticsTest {
    @TempDir
    Path root;
    private StaticServer server;
    private int fdsBefore;

    static Stream<RingOptions> modes() {
        RingOptions d = RingOptions.defaults().withEntries(256);
        return Stream.of(d, d.withBufferRing(false), d.withMultishot(false), d.withSplice(false));
    }

    private void start(RingOptions ring) throws Exception {
        fdsBefore = FdCount.now();
        HttpServerConfig config = HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withThreads(1).withRing(ring);
        // Revalidate every 50 ms so that changes show quickly.
        server = StaticServer.start(root, config, new StaticServer.CacheConfig(64, 1 << 20, 64 << 10, 50));
    }

    @AfterEach
    void stopAndCheckLeaks() throws Exception {
        if (server == null) return;
        HttpServerStats s = server.stats();
        for (int i = 0; i < 100 && !s.nothingHeld(); i++) {
            Thread.sleep(50);
            s = server.stats();
        }
        HttpServerStats last = s;
        assertTrue(last.nothingHeld(), () -> "server still holds resources: " + last);
        server.close();
        assertEquals(fdsBefore, FdCount.now(), () -> "descriptors leaked: " + FdCount.ours());
    }

    private static String get(String path, String... fields) {
        StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: x\r\n");
        for (String f : fields) b.append(f).append("\r\n");
        return b.append("\r\n").toString();
    }

    @ParameterizedTest
    @MethodSource("modes")
    void rangesOfMemoryAndSplicedFilesAreTheRightBytes(RingOptions mode) throws Exception {
        byte[] large = new byte[300_000];
        new Random(3).nextBytes(large);
        Files.write(root.resolve("large.bin"), large);
        Files.writeString(root.resolve("small.txt"), "0123456789");
        start(mode);
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Response r = http.send(get("/large.bin", "Range: bytes=100000-199999")).read();
            assertEquals(206, r.status());
            assertEquals("bytes 100000-199999/300000", r.header("Content-Range"));
            assertArrayEquals(Arrays.copyOfRange(large, 100_000, 200_000), r.body());
            r = http.send(get("/large.bin", "Range: bytes=-10")).read();
            assertArrayEquals(Arrays.copyOfRange(large, 299_990, 300_000), r.body());
            r = http.send(get("/small.txt", "Range: bytes=3-5")).read();
            assertEquals("345", r.text());
            r = http.send(get("/small.txt", "Range: bytes=10-")).read();
            assertEquals(416, r.status());
            assertEquals("bytes */10", r.header("Content-Range"));
            // The connection goes on after each of them.
            assertEquals("0123456789", http.send(get("/small.txt")).read().text());
        }
    }

    @Test
    void aFileThatDisappearsIsA404OnceRevalidated() throws Exception {
        Path f = root.resolve("gone.txt");
        Files.writeString(f, "here");
        start(RingOptions.defaults());
        try (RawHttp http = new RawHttp(server.port())) {
            assertEquals("here", http.send(get("/gone.txt")).read().text());
            Files.delete(f);
            Thread.sleep(100);
            assertEquals(404, http.send(get("/gone.txt")).read().status());
        }
    }

    @Test
    void aSiblingThatAppearsOrDisappearsIsNoticed() throws Exception {
        Files.writeString(root.resolve("app.js"), "identity");
        start(RingOptions.defaults());
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Response r = http.send(get("/app.js", "Accept-Encoding: gzip")).read();
            assertEquals("identity", r.text());
            assertNull(r.header("Vary"), "no sibling, nothing varies");
            Files.writeString(root.resolve("app.js.gz"), "gz");
            Thread.sleep(100);
            r = http.send(get("/app.js", "Accept-Encoding: gzip")).read();
            assertEquals("gz", r.text());
            assertEquals("gzip", r.header("Content-Encoding"));
            assertEquals("text/javascript", r.header("Content-Type"));
            assertEquals("Accept-Encoding", r.header("Vary"));
            r = http.send(get("/app.js")).read();
            assertEquals("identity", r.text());
            assertEquals("Accept-Encoding", r.header("Vary"));
            Files.delete(root.resolve("app.js.gz"));
            Thread.sleep(100);
            r = http.send(get("/app.js", "Accept-Encoding: gzip")).read();
            assertEquals("identity", r.text());
            assertNull(r.header("Content-Encoding"));
        }
    }

    @Test
    void conditionalAnswersAndHead() throws Exception {
        Files.writeString(root.resolve("page.html"), "<p>x</p>");
        Files.writeString(root.resolve("page.html.br"), "BR");
        start(RingOptions.defaults());
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Response plain = http.send(get("/page.html")).read();
            String etag = plain.header("ETag");
            RawHttp.Response nm = http.send(get("/page.html", "If-None-Match: " + etag)).read();
            assertEquals(304, nm.status());
            assertEquals(etag, nm.header("ETag"));
            assertEquals("Accept-Encoding", nm.header("Vary"));
            assertNull(nm.header("Content-Length"));
            assertEquals(412, http.send(get("/page.html", "If-Match: \"nope\"")).read().status());
            http.send("HEAD /page.html HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nRange: bytes=0-0\r\n\r\n");
            RawHttp.Response head = http.read(true);
            assertEquals(200, head.status(), "HEAD ignores Range (RFC 9110 §14.2)");
            assertEquals("2", head.header("Content-Length"));
            assertEquals("br", head.header("Content-Encoding"));
            assertEquals("<p>x</p>", http.send(get("/page.html")).read().text(), "no body followed the HEAD");
        }
    }
}
