package dev.ringside.uring.server;

import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.testing.RawHttp;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The same requests to Tomcat 11's DefaultServlet ({@code precompressed=true}, no listings, Tomcat's
 * default MIME types and welcome files) and to Ringside, both serving one directory: same status,
 * same body, same values of the headers a client or cache acts on. Where Ringside answers otherwise
 * on purpose, the case says so and asserts both answers, so a change on either side shows up here.
 *
 * <p>Differences in every response, never compared: Tomcat's error responses (4xx) carry an HTML
 * error page, ours none; Tomcat writes {@code Vary: accept-encoding} in lower case (compared
 * case-insensitively); Tomcat sends no Server header.
 */
class TomcatDifferentialTest {
    @TempDir
    static Path root;
    @TempDir
    static Path tomcatBase;

    static Tomcat tomcat;
    static int tomcatPort;
    static StaticServer ringside;

    @BeforeAll
    static void start() throws Exception {
        Random r = new Random(7);
        write("hello.txt", "hello, world\n".getBytes(), 1_700_000_000_123L);
        write("page.html", "<h1>hi</h1>".getBytes(), 1_700_000_001_000L);
        byte[] big = new byte[200_000]; // above the 64 KiB in-memory limit: sent by splice
        r.nextBytes(big);
        write("big.bin", big, 1_700_000_002_456L);
        write("empty.txt", new byte[0], 1_700_000_003_000L);
        write("app.js", "console.log('identity, and long enough to compress');".getBytes(), 1_700_000_004_789L);
        write("app.js.br", "BROTLI-BYTES".getBytes(), 1_700_000_005_001L);
        write("app.js.gz", "GZIP-BYTES-OF-APP".getBytes(), 1_700_000_006_002L);
        write("style.css", "body { color: red }".getBytes(), 1_700_000_007_003L);
        write("style.css.gz", "GZ-CSS".getBytes(), 1_700_000_007_003L);
        write("docs/index.html", "<p>docs</p>".getBytes(), 1_700_000_008_000L);
        write("WEB-INF/web.xml", "<secret/>".getBytes(), 1_700_000_009_000L);

        ringside = StaticServer.start(root, HttpServerConfig.defaults(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).withThreads(1),
                StaticServer.CacheConfig.defaults());

        tomcat = new Tomcat();
        tomcat.setBaseDir(tomcatBase.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", root.toString());
        Wrapper servlet = Tomcat.addServlet(ctx, "default", new DefaultServlet());
        servlet.addInitParameter("precompressed", "true");
        servlet.addInitParameter("listings", "false");
        ctx.addServletMappingDecoded("/", "default");
        Tomcat.addDefaultMimeTypeMappings(ctx);
        ctx.addWelcomeFile("index.html");
        ctx.addWelcomeFile("index.htm");
        tomcat.start();
        tomcatPort = connector.getLocalPort();
    }

    static void write(String name, byte[] bytes, long mtimeMillis) throws Exception {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        Files.setLastModifiedTime(p, FileTime.fromMillis(mtimeMillis));
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
        if (ringside != null) {
            ringside.close();
        }
    }

    /** One request (fields may use {etag} and {lm}: the file's ETag and Last-Modified, from a plain GET). */
    record Case(String method, String path, List<String> fields, Divergence divergence) {
        @Override
        public String toString() {
            return method + " " + path + " " + fields;
        }
    }

    /** A deliberate difference: why, the status each side answers, and what tells them apart. */
    record Divergence(String why, int tomcatStatus, int ringsideStatus, Check check) {}

    interface Check {
        void check(RawHttp.Response tomcat, RawHttp.Response ringside);
    }

    static Case get(String path, String... fields) {
        return new Case("GET", path, List.of(fields), null);
    }

    static Case head(String path, String... fields) {
        return new Case("HEAD", path, List.of(fields), null);
    }

    static Case diverges(Case c, String why, int tomcatStatus, int ringsideStatus, Check check) {
        return new Case(c.method, c.path, c.fields, new Divergence(why, tomcatStatus, ringsideStatus, check));
    }

    static final String OLD = "Thu, 01 Jan 2015 00:00:00 GMT";
    static final String NEW = "Fri, 01 Jan 2100 00:00:00 GMT";

    static List<Case> cases() {
        List<Case> c = new ArrayList<>(List.of(
                get("/hello.txt"), head("/hello.txt"), get("/page.html"), get("/big.bin"), head("/big.bin"),
                get("/empty.txt"), get("/docs"), get("/docs?x=1&y=2"), get("/docs/"), get("/docs/index.html"),
                get("/missing.txt"), get("/WEB-INF/web.xml"), get("/WEB-INF/"), get("/nodir/missing"),

                // Path parameters: Tomcat drops each segment's before decoding.
                get("/hello.txt;jsessionid=abc"), get("/hello.txt;"), get("/docs;v=1/index.html"),
                get("/docs/;x"), get("/hello%3Btxt"), get("/WEB-INF;x/web.xml"),

                // Conditional requests (RFC 9110 §13.2.2 order).
                get("/hello.txt", "If-None-Match: {etag}"), head("/hello.txt", "If-None-Match: {etag}"),
                get("/hello.txt", "If-None-Match: \"nope\""), get("/hello.txt", "If-None-Match: \"a\", {etag}"),
                get("/hello.txt", "If-None-Match: *"), get("/hello.txt", "If-None-Match: garbage"),
                get("/hello.txt", "If-Modified-Since: {lm}"), get("/hello.txt", "If-Modified-Since: " + NEW),
                get("/hello.txt", "If-Modified-Since: " + OLD), get("/hello.txt", "If-Modified-Since: garbage"),
                get("/hello.txt", "If-None-Match: \"nope\"", "If-Modified-Since: {lm}"),
                get("/hello.txt", "If-Match: *"), get("/hello.txt", "If-Match: {etag}"),
                get("/hello.txt", "If-Match: \"x\""), get("/hello.txt", "If-Match: garbage"),
                get("/hello.txt", "If-Unmodified-Since: " + OLD), get("/hello.txt", "If-Unmodified-Since: {lm}"),
                get("/hello.txt", "If-Match: *", "If-Unmodified-Since: " + OLD),
                get("/hello.txt", "If-Unmodified-Since: " + OLD, "If-None-Match: {etag}"),
                get("/missing.txt", "If-Match: *"), get("/missing.txt", "If-None-Match: *"),
                get("/big.bin", "If-None-Match: {etag}"),

                // Ranges, from memory (hello.txt) and by splice (big.bin).
                get("/hello.txt", "Range: bytes=0-0"), get("/hello.txt", "Range: bytes=0-4"),
                get("/hello.txt", "Range: bytes=5-"), get("/hello.txt", "Range: bytes=-3"),
                get("/hello.txt", "Range: bytes=-1000"), get("/hello.txt", "Range: bytes=3-1000"),
                get("/hello.txt", "Range: bytes=13-"), get("/hello.txt", "Range: bytes=-0"),
                get("/hello.txt", "Range: bytes=5-4"), get("/hello.txt", "Range: bytes=x-y"),
                get("/hello.txt", "Range: bytes=0-99999999999999999999"),
                get("/hello.txt", "Range: items=0-1"), get("/hello.txt", "Range: Bytes=0-1"),
                get("/hello.txt", "Range: bytes=0-1,200-300"), get("/hello.txt", "Range: bytes=0-5,1-6,2-7"),
                head("/hello.txt", "Range: bytes=0-4"), get("/empty.txt", "Range: bytes=0-4"),
                get("/big.bin", "Range: bytes=100000-100099"), get("/big.bin", "Range: bytes=-70000"),
                get("/big.bin", "Range: bytes=199999-"), get("/big.bin", "Range: bytes=200000-"),
                get("/hello.txt", "Range: bytes=0-4", "If-Range: {lm}"),
                get("/hello.txt", "Range: bytes=0-4", "If-Range: " + OLD),
                get("/hello.txt", "Range: bytes=0-4", "If-Range: {etag}"),
                get("/hello.txt", "Range: bytes=0-4", "If-Range: garbage"),
                get("/hello.txt", "Range: bytes=0-4", "If-None-Match: {etag}"),

                // Precompressed siblings.
                get("/app.js"), head("/app.js"), get("/app.js", "Accept-Encoding: gzip"),
                get("/app.js", "Accept-Encoding: br"), get("/app.js", "Accept-Encoding: gzip, deflate, br"),
                get("/app.js", "Accept-Encoding: br;q=0.5, gzip"), get("/app.js", "Accept-Encoding: identity"),
                get("/app.js", "Accept-Encoding: *"), get("/app.js", "Accept-Encoding: deflate"),
                get("/app.js", "Accept-Encoding: gzip;q=0.8, identity"),
                head("/app.js", "Accept-Encoding: gzip"), get("/app.js", "Accept-Encoding: gzip", "Range: bytes=0-3"),
                get("/app.js", "Accept-Encoding: br", "Range: bytes=100-"),
                get("/app.js", "Accept-Encoding: gzip", "If-Modified-Since: " + OLD),
                get("/style.css", "Accept-Encoding: br, gzip"), get("/style.css"),
                get("/app.js.gz"), get("/app.js.gz", "Accept-Encoding: gzip")));

        c.add(diverges(get("/hello.txt", "Range: bytes=0-1,2-3"),
                "touching ranges: Tomcat sends multipart/byteranges with two parts, we merge them into one 206",
                206, 206, (t, r) -> {
                    assertTrue(t.header("Content-Type").startsWith("multipart/byteranges"));
                    assertEquals("bytes 0-3/13", r.header("Content-Range"));
                    assertEquals("hell", r.text());
                }));
        c.add(diverges(get("/hello.txt", "Range: bytes=0-1,5-6"),
                "disjoint ranges: Tomcat sends multipart/byteranges, we send the whole file (RFC 9110 §14.2 allows it)",
                206, 200, (t, r) -> {
                    assertTrue(t.header("Content-Type").startsWith("multipart/byteranges"));
                    assertEquals("hello, world\n", r.text());
                }));
        c.add(diverges(get("/app.js", "If-None-Match: {etag}", "Accept-Encoding: gzip"),
                "a 304 for a file with siblings: we also send Vary (RFC 9110 §15.4.5 requires it), Tomcat does not",
                304, 304, (t, r) -> {
                    assertEquals(t.header("ETag"), r.header("ETag"));
                    assertNull(t.header("Vary"));
                    assertEquals("Accept-Encoding", r.header("Vary"));
                }));
        c.add(diverges(get("/app.js", "Accept-Encoding: gzip;q=0"),
                "q=0 means not acceptable (RFC 9110 §12.4.2); Tomcat serves the gzip sibling anyway",
                200, 200, (t, r) -> {
                    assertEquals("gzip", t.header("Content-Encoding"));
                    assertNull(r.header("Content-Encoding"));
                }));
        c.add(diverges(get("/app.js", "Accept-Encoding: GZIP"),
                "content codings are case-insensitive (RFC 9110 §8.4.1); Tomcat compares case-sensitively",
                200, 200, (t, r) -> {
                    assertNull(t.header("Content-Encoding"));
                    assertEquals("gzip", r.header("Content-Encoding"));
                }));
        c.add(diverges(get("/app.js", "Accept-Encoding: gzip;q=abc"),
                "an invalid q-value: we ignore the element, Tomcat fails with 500 (NumberFormatException)",
                500, 200, (t, r) -> assertNull(r.header("Content-Encoding"))));
        c.add(diverges(get("/app.js.br"),
                "an extension without a MIME mapping: we send application/octet-stream, Tomcat no Content-Type",
                200, 200, (t, r) -> {
                    assertNull(t.header("Content-Type"));
                    assertEquals("application/octet-stream", r.header("Content-Type"));
                    assertArrayEquals(t.body(), r.body());
                }));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> sameAnswers() throws Exception {
        String[] tomcatValidators = validators(tomcatPort);
        String[] ringsideValidators = validators(ringside.port());
        assertArrayEquals(tomcatValidators, ringsideValidators, "the same ETag and Last-Modified for the same file");
        List<DynamicTest> tests = new ArrayList<>();
        for (Case k : cases()) {
            tests.add(DynamicTest.dynamicTest(k.toString(), () -> compare(k)));
        }
        tests.add(DynamicTest.dynamicTest("Ringside holds nothing afterwards", () -> {
            var s = ringside.stats();
            for (int i = 0; i < 100 && !s.nothingHeld(); i++) {
                Thread.sleep(50);
                s = ringside.stats();
            }
            var last = s;
            assertTrue(last.nothingHeld(), () -> "server still holds resources: " + last);
        }));
        return tests.stream();
    }

    /** ETag and Last-Modified of /hello.txt, /app.js and /big.bin as a server reports them. */
    static String[] validators(int port) throws Exception {
        List<String> out = new ArrayList<>();
        for (String p : List.of("/hello.txt", "/app.js", "/big.bin")) {
            RawHttp.Response r = send(port, "GET", p, List.of());
            out.add(r.header("ETag"));
            out.add(r.header("Last-Modified"));
        }
        return out.toArray(String[]::new);
    }

    static RawHttp.Response send(int port, String method, String path, List<String> fields) throws Exception {
        StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String f : fields) req.append(f).append("\r\n");
        req.append("Connection: close\r\n\r\n");
        try (RawHttp http = new RawHttp(port)) {
            return http.send(req.toString()).read(method.equals("HEAD"));
        }
    }

    /** Fills {etag} and {lm} with what a plain GET of the path answered on that server. */
    static List<String> fill(int port, Case k) throws Exception {
        String file = k.path.startsWith("/missing") ? "/hello.txt" : k.path;
        RawHttp.Response plain = null;
        List<String> out = new ArrayList<>();
        for (String f : k.fields) {
            if (f.contains("{")) {
                if (plain == null) plain = send(port, "GET", file, List.of());
                f = f.replace("{etag}", plain.header("ETag")).replace("{lm}", plain.header("Last-Modified"));
            }
            out.add(f);
        }
        return out;
    }

    static void compare(Case k) throws Exception {
        RawHttp.Response t = send(tomcatPort, k.method, k.path, fill(tomcatPort, k));
        RawHttp.Response r = send(ringside.port(), k.method, k.path, fill(ringside.port(), k));
        if (k.divergence != null) {
            assertEquals(k.divergence.tomcatStatus, t.status(), "Tomcat, " + k.divergence.why);
            assertEquals(k.divergence.ringsideStatus, r.status(), "Ringside, " + k.divergence.why);
            k.divergence.check.check(t, r);
            return;
        }
        assertEquals(t.status(), r.status(), "status");
        int status = t.status();
        if (status >= 400) {
            // Error pages differ by design; what a client acts on is the status, and for 416 the length.
            assertEquals(t.header("Content-Range"), r.header("Content-Range"), "Content-Range");
            return;
        }
        if (status == 302) {
            assertEquals(t.header("Location"), r.header("Location"), "Location");
            return;
        }
        if (status == 304) {
            assertEquals(t.header("ETag"), r.header("ETag"), "ETag");
            assertNull(r.header("Content-Length"), "a 304 has no Content-Length");
            return;
        }
        assertArrayEquals(t.body(), r.body(), "body");
        for (String h : List.of("Content-Type", "Content-Length", "Content-Range", "Content-Encoding",
                "ETag", "Last-Modified", "Accept-Ranges")) {
            assertEquals(t.header(h), r.header(h), h);
        }
        assertEquals(lower(t.header("Vary")), lower(r.header("Vary")), "Vary");
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
