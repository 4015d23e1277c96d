package dev.ringside.bridge.tomcat;

import dev.ringside.uring.http.HttpServerStats;
import dev.ringside.uring.testing.FdCount;
import dev.ringside.uring.testing.PinnedMtime;
import dev.ringside.uring.testing.RawTranscript;
import dev.ringside.uring.testing.RequestShapes;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.ringside.bridge.testing.SideBySide;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.ringside.bridge.testing.SideBySide.get;
import static dev.ringside.bridge.testing.SideBySide.head;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Once Tomcat has answered one request of a web application, the loop sends that app's plain
 * files itself (no worker thread: the offload counter does not move), with the same status,
 * body and validators as Tomcat's DefaultServlet; what the app could touch, what is
 * protected, and every doubtful path still go to Tomcat.
 */
class StaticPathOnTomcatTest {
    @TempDir
    Path base;
    private Tomcat tomcat;
    private Connector plain;
    private Connector ringside;
    private SideBySide sides;
    /** A second context on the same files, its DefaultServlet added by the test that needs it. */
    private Context pre;

    @BeforeEach
    void start() throws Exception {
        Path docs = Files.createDirectories(base.resolve("docs"));
        Files.writeString(docs.resolve("small.txt"), "a small static file\n");
        Files.write(docs.resolve("small.txt.gz"), gzip("a small static file\n"));
        Files.writeString(docs.resolve("index.html"), "<h1>welcome</h1>\n");
        Files.createDirectories(docs.resolve("css"));
        Files.writeString(docs.resolve("css/site.css"), "body { color: black; }\n");
        Files.createDirectories(docs.resolve("secure"));
        Files.writeString(docs.resolve("secure/a.html"), "secret\n");
        Files.createDirectories(docs.resolve("api"));
        Files.writeString(docs.resolve("api/file.txt"), "an app path\n");
        byte[] big = new byte[1 << 20];
        new Random(2).nextBytes(big);
        Files.write(docs.resolve("big.bin"), big);

        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        plain = connector("HTTP/1.1");
        ringside = connector(RingsideProtocol.class.getName());
        tomcat.setConnector(plain);
        Context ctx = tomcat.addContext("/app", docs.toString());
        ctx.addWelcomeFile("index.html");
        // What Tomcat's conf/web.xml gives every app; "bin" is left out on purpose.
        ctx.addMimeMapping("txt", "text/plain");
        ctx.addMimeMapping("html", "text/html");
        ctx.addMimeMapping("css", "text/css");
        ctx.addMimeMapping("dat", "application/octet-stream");
        Files.write(docs.resolve("big.dat"), big);
        PinnedMtime.pinAll(docs);
        Tomcat.addServlet(ctx, "default", new org.apache.catalina.servlets.DefaultServlet());
        ctx.addServletMappingDecoded("/", "default");
        Tomcat.addServlet(ctx, "api", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write("api " + req.getPathInfo());
            }
        });
        ctx.addServletMappingDecoded("/api/*", "api");
        FilterDef fd = new FilterDef();
        fd.setFilterName("css");
        fd.setFilter((Filter) (req, resp, chain) -> {
            ((HttpServletResponse) resp).setHeader("X-Css", "seen");
            chain.doFilter(req, resp);
        });
        ctx.addFilterDef(fd);
        FilterMap fm = new FilterMap();
        fm.setFilterName("css");
        fm.addURLPattern("/css/*");
        ctx.addFilterMap(fm);
        SecurityConstraint constraint = new SecurityConstraint();
        constraint.addAuthRole("admin");
        SecurityCollection collection = new SecurityCollection();
        collection.addPattern("/secure/*");
        constraint.addCollection(collection);
        ctx.addConstraint(constraint);
        LoginConfig login = new LoginConfig();
        login.setAuthMethod("BASIC");
        ctx.setLoginConfig(login);
        ctx.getPipeline().addValve(new org.apache.catalina.authenticator.BasicAuthenticator());
        pre = tomcat.addContext("/pre", docs.toString());
        pre.addMimeMapping("txt", "text/plain");
        tomcat.start();
        sides = new SideBySide(plain::getLocalPort, ringside::getLocalPort, () -> protocol().ringsideStats().offloaded,
                List.of("content-type", "content-length", "etag", "last-modified", "content-range", "location",
                        "content-encoding", "vary", "x-css", "www-authenticate", "server"));
        // Tomcat answers the app's first request: from then on the loop knows the app.
        assertEquals(1, offloadedFor(get("/app/api/warm")));
    }

    private Connector connector(String protocol, String... properties) {
        Connector c = new Connector(protocol);
        c.setPort(0);
        c.setProperty("address", "127.0.0.1");
        for (int i = 0; i < properties.length; i += 2) {
            c.setProperty(properties[i], properties[i + 1]);
        }
        tomcat.getService().addConnector(c); // to the running service: started
        return c;
    }

    @AfterEach
    void stop() throws Exception {
        sides.close();
        HttpServerStats s = protocol().ringsideStats();
        for (int i = 0; i < 100 && !s.nothingHeld(); i++) {
            Thread.sleep(50);
            s = protocol().ringsideStats();
        }
        HttpServerStats last = s;
        assertTrue(s.nothingHeld(), () -> "Ringside still holds resources: " + last);
        tomcat.stop();
        tomcat.destroy();
    }

    private RingsideProtocol protocol() {
        return (RingsideProtocol) ringside.getProtocolHandler();
    }

    private long offloadedFor(HttpRequest.Builder b) throws Exception {
        return sides.offloadedFor(b);
    }

    @Test
    void whatMayTouchTheDiskIsAskedOffTheLoopOnceAndCachedFilesAreAnsweredOnIt() throws Exception {
        long before = protocol().ringsideStats().offLoopWork;
        assertEquals(0, offloadedFor(get("/app/small.txt")));
        // The router's verdict (Tomcat's resources may read the disk), then the file's open and read.
        assertEquals(before + 2, protocol().ringsideStats().offLoopWork);
        assertEquals(0, offloadedFor(get("/app/small.txt")));
        // Cached: nothing more, but the file's re-check if its second of validity ran out meanwhile.
        assertTrue(protocol().ringsideStats().offLoopWork <= before + 3);
    }

    @Test
    void plainFilesAreSentByTheLoopExactlyAsTomcatWould() throws Exception {
        assertEquals(0, offloadedFor(get("/app/small.txt")));
        assertEquals(0, offloadedFor(get("/app/big.dat")));
        assertEquals(0, offloadedFor(get("/app/")), "the welcome file");
        assertEquals(0, offloadedFor(get("/app/big.dat").header("Range", "bytes=100-199")));
        String etag = sides.sendToContainer(get("/app/small.txt")).headers().firstValue("etag").orElseThrow();
        assertEquals(0, offloadedFor(get("/app/small.txt").header("If-None-Match", etag)));
        assertEquals(0, offloadedFor(head("/app/big.dat")));
    }

    @Test
    void theConnectorsOwnSettingsShapeTheLoopsAnswersAsTheyShapeTomcats() throws Exception {
        // A Server field (written last), a Keep-Alive of 7 s (7500 ms, in whole seconds), and the 100
        // only when the app reads the body: never before the loop's answers, then.
        String[] settings = {"server", "Apache", "keepAliveTimeout", "7500", "continueResponseTiming", "onRead"};
        Connector plainSet = connector("HTTP/1.1", settings);
        Connector ringsideSet = connector(RingsideProtocol.class.getName(), settings);
        RingsideProtocol p = (RingsideProtocol) ringsideSet.getProtocolHandler();
        try (SideBySide set = new SideBySide(plainSet::getLocalPort, ringsideSet::getLocalPort,
                () -> p.ringsideStats().offloaded, List.of())) {
            String file = "GET /app/small.txt HTTP/1.1\r\nHost: x\r\n";
            set.sameBytes("GET /app/api/x HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
            assertEquals(0, set.sameBytes(file + "Connection: keep-alive\r\n\r\n"), "the loop's");
            assertEquals(0, set.sameBytes(file + "Expect: 100-continue\r\n\r\n"), "the loop's");
            assertEquals(0, set.sameBytes(file + "If-Modified-Since: " + PinnedMtime.AT_TEXT + "\r\n\r\n"));
            assertEquals(0, set.sameBytes("GET /app/small.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
            assertTrue(RawTranscript.of(ringsideSet.getLocalPort(), file + "Connection: keep-alive\r\n\r\n")
                    .contains("Keep-Alive: timeout=7\r\nConnection: keep-alive\r\nServer: Apache\r\n\r\n"));
        }
    }

    @Test
    void anAppDeployedAndUndeployedFiftyTimesLeavesNoDescriptorBehind() throws Exception {
        // The app has a directory of its own: whatever stays open there after it is gone leaked.
        Path reDocs = Files.createDirectories(base.resolve("re-docs"));
        Files.writeString(reDocs.resolve("small.txt"), "a small static file\n");
        for (int i = 0; i < 50; i++) {
            Context re = tomcat.addContext("/re", reDocs.toString()); // started: the host is
            re.addMimeMapping("txt", "text/plain");
            Tomcat.addServlet(re, "default", new org.apache.catalina.servlets.DefaultServlet());
            re.addServletMappingDecoded("/", "default");
            assertEquals(1, offloadedFor(get("/re/small.txt")), "the app's first request goes to Tomcat");
            assertEquals(0, offloadedFor(get("/re/small.txt")), "then the loop sends it: a root and a file open");
            re.getParent().removeChild(re); // stopped: the app is no longer published
            assertEquals(0, offloadedFor(get("/app/small.txt")), "the app still there is still the loop's");
        }
        // Each loop lets go on its next tick (every 250 ms), whichever loop served the app.
        FdCount.assertNoneLeftUnder(reDocs);
    }

    @Test
    void turnedOffEveryRequestGoesToTomcat() throws Exception {
        System.setProperty("ringside.staticPath", "false");
        Connector off;
        try {
            off = connector(RingsideProtocol.class.getName()); // added to the running service: started
        } finally {
            System.clearProperty("ringside.staticPath");
        }
        RingsideProtocol offProtocol = (RingsideProtocol) off.getProtocolHandler();
        try (SideBySide offSides = new SideBySide(plain::getLocalPort, off::getLocalPort,
                () -> offProtocol.ringsideStats().offloaded, List.of("content-type", "content-length", "etag"))) {
            assertEquals(1, offSides.offloadedFor(get("/app/small.txt")));
            assertEquals(1, offSides.offloadedFor(get("/app/small.txt")), "not even once Tomcat has answered it");
        }
        assertEquals(0, offloadedFor(get("/app/small.txt")), "the other connector's static path is on");
    }

    @Test
    void precompressedSiblingsAreSentOnlyWhereDefaultServletSendsThem() throws Exception {
        // DefaultServlet's precompressed is false by default: small.txt.gz is just another file.
        assertEquals(0, offloadedFor(get("/app/small.txt").header("Accept-Encoding", "gzip")));
        assertEquals(List.of(), sides.sendToContainer(get("/app/small.txt").header("Accept-Encoding", "gzip"))
                .headers().allValues("content-encoding"));
        // With precompressed=true, Tomcat and the loop both send it to a client that accepts gzip.
        Wrapper precompressing = Tomcat.addServlet(pre, "default", new org.apache.catalina.servlets.DefaultServlet());
        precompressing.addInitParameter("precompressed", "true");
        pre.addServletMappingDecoded("/", "default");
        assertEquals(1, offloadedFor(get("/pre/small.txt")), "the app's first request goes to Tomcat");
        assertEquals(0, offloadedFor(get("/pre/small.txt").header("Accept-Encoding", "gzip")));
        assertEquals(List.of("gzip"), sides.sendToContainer(get("/pre/small.txt").header("Accept-Encoding", "gzip"))
                .headers().allValues("content-encoding"));
    }

    @Test
    void precompressedAnswersAreTomcatsByteForByteButWhereTomcatBreaksAnRfc() throws Exception {
        Wrapper precompressing = Tomcat.addServlet(pre, "default", new org.apache.catalina.servlets.DefaultServlet());
        precompressing.addInitParameter("precompressed", "true");
        pre.addServletMappingDecoded("/", "default");
        assertEquals(1, offloadedFor(get("/pre/small.txt")), "the app's first request goes to Tomcat");
        String file = "GET /pre/small.txt HTTP/1.1\r\nHost: x\r\n";
        // Vary (Tomcat's lower-case value) first, then Content-Encoding, as its DefaultServlet adds them.
        assertEquals(0, sides.sameBytes(file + "Accept-Encoding: gzip\r\n\r\n"));
        assertEquals(0, sides.sameBytes(file + "\r\n"));
        assertEquals(0, sides.sameBytes(file + "Range: bytes=2-5\r\n\r\n"));

        // Where Tomcat breaks an RFC, the loop keeps it (docs/architecture.md says why):
        String etag = sides.sendToContainer(get("/pre/small.txt")).headers().firstValue("etag").orElseThrow();
        HttpRequest.Builder revalidate = get("/pre/small.txt").header("If-None-Match", etag).header("Accept-Encoding", "gzip");
        assertEquals(List.of(), sides.sendToContainer(revalidate).headers().allValues("vary"));
        assertEquals(List.of("accept-encoding"), sides.sendToRingside(revalidate).headers().allValues("vary"),
                "RFC 9110 §15.4.5: a 304 carries the Vary its 200 would");
        HttpRequest.Builder refused = get("/pre/small.txt").header("Accept-Encoding", "gzip;q=0");
        assertEquals(List.of("gzip"), sides.sendToContainer(refused).headers().allValues("content-encoding"));
        assertEquals(List.of(), sides.sendToRingside(refused).headers().allValues("content-encoding"),
                "RFC 9110 §12.4.2: q=0 is not acceptable");
        HttpRequest.Builder invalid = get("/pre/small.txt").header("Accept-Encoding", "gzip;q=abc");
        assertEquals(500, sides.sendToContainer(invalid).statusCode());
        assertEquals(200, sides.sendToRingside(invalid).statusCode(), "an invalid q-value is the client's error, not a 500");
    }

    private static byte[] gzip(String text) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void whatTheAppCouldTouchGoesToTomcat() throws Exception {
        assertEquals(1, offloadedFor(get("/app/css/site.css")), "a filter applies");
        assertEquals(1, offloadedFor(get("/app/api/file.txt")), "a servlet mapping claims it");
        assertEquals(1, offloadedFor(get("/app/secure/a.html")), "a security constraint covers it");
        assertEquals(1, offloadedFor(get("/app/missing.txt")), "the app's own 404");
        assertEquals(1, offloadedFor(get("/app/css")), "Tomcat's redirect to the directory");
        assertEquals(1, offloadedFor(get("/app/big.bin")), "a type Tomcat's MIME map does not know");
    }

    @Test
    void doubtfulPathsGoToTomcat() throws Exception {
        assertEquals(1, offloadedFor(get("/app/%73mall.txt")), "percent-encoded");
        assertEquals(1, offloadedFor(get("/app/small.txt;x=1")), "path parameter");
        // Sent raw (clients normalise dot segments): it must reach Tomcat, which normalises
        // the path to /secure/a.html and asks for credentials.
        long before = protocol().ringsideStats().offloaded;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ringside.getLocalPort())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /app/css/../secure/a.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 401 "), answer);
        }
        assertEquals(1, protocol().ringsideStats().offloaded - before);
    }

    @Test
    void otherMethodsGoToTomcat() throws Exception {
        HttpRequest.Builder options = HttpRequest.newBuilder(java.net.URI.create("http://x/app/small.txt"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        assertEquals(1, offloadedFor(options));
    }
    @Test
    void aFileModifiedOnTheSecondOfAMonthRevalidatesWithTheDateTheLoopSent() throws Exception {
        sides.revalidatesWithTheDateRingsideSent("/app/small.txt", "/app/big.dat", PinnedMtime.AT_TEXT);
    }

    @TestFactory
    Stream<DynamicTest> everyAnswerIsTomcatsByteForByte() {
        return RequestShapes.all("/app", "small.txt", "api/x").stream()
                .map(shape -> dynamicTest(shape.name(), () -> sides.sameBytes(shape.requests())));
    }
}
