package dev.ringside.bridge.jetty;

import dev.ringside.uring.testing.FdCount;
import dev.ringside.uring.testing.PinnedMtime;
import dev.ringside.uring.testing.RawTranscript;
import dev.ringside.uring.testing.RequestShapes;
import dev.ringside.uring.testing.RunningServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.security.ConstraintMapping;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.security.Credential;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.ringside.bridge.testing.SideBySide.get;
import static dev.ringside.bridge.testing.SideBySide.head;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Once the connector has started, the loop sends the plain files of Jetty's servlet contexts
 * itself (no worker thread: the offload counter does not move), with the same status, body and
 * headers as Jetty's DefaultServlet; what the app could touch, what is protected, and every
 * doubtful path still go to Jetty.
 */
class StaticPathOnJettyTest {
    @TempDir
    Path base;
    private Server server;
    private ServerConnector plain;
    private RingsideConnector ringside;
    private ContextHandlerCollection contexts;
    private SideBySide sides;
    private int fdsBefore;

    @BeforeEach
    void start() throws Exception {
        fdsBefore = FdCount.now();
        Path docs = Files.createDirectories(base.resolve("docs"));
        Files.writeString(docs.resolve("small.txt"), "a small static file\n");
        Files.writeString(docs.resolve("small.txt.gz"), "not really gzip: Jetty sends it only when asked for by name\n");
        Files.writeString(docs.resolve("index.html"), "<h1>welcome</h1>\n");
        Files.createDirectories(docs.resolve("css"));
        Files.writeString(docs.resolve("css/site.css"), "body { color: black; }\n");
        Files.createDirectories(docs.resolve("secure"));
        Files.writeString(docs.resolve("secure/a.html"), "secret\n");
        Files.createDirectories(docs.resolve("api"));
        Files.writeString(docs.resolve("api/file.txt"), "an app path\n");
        Files.createDirectories(docs.resolve("WEB-INF"));
        Files.writeString(docs.resolve("WEB-INF/web.txt"), "never served\n");
        byte[] big = new byte[1 << 20];
        new Random(2).nextBytes(big);
        Files.write(docs.resolve("big.bin"), big);
        Files.write(docs.resolve("big.dat"), big); // "dat" is not in Jetty's MIME map
        Files.createSymbolicLink(docs.resolve("linked.txt"), docs.resolve("small.txt"));
        PinnedMtime.pinAll(docs);

        server = new Server();
        plain = new ServerConnector(server);
        plain.setHost("127.0.0.1");
        ringside = new RingsideConnector(server, RunningServer.smallConfig(), new HttpConnectionFactory());
        ringside.setHost("127.0.0.1");
        server.setConnectors(new Connector[] {plain, ringside});
        contexts = new ContextHandlerCollection(app(docs));
        server.setHandler(contexts);
        server.start();
        sides = new SideBySide(plain::getLocalPort, ringside::getLocalPort, () -> ringside.stats().offloaded,
                // Jetty's DefaultServlet sends no ETag by default; the runtime's is extra, and harmless.
                List.of("content-type", "content-length", "last-modified", "content-range", "accept-ranges",
                        "content-encoding", "vary", "location", "x-css", "www-authenticate", "server"));
    }

    private static ServletContextHandler app(Path docs) {
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.SESSIONS | ServletContextHandler.SECURITY);
        ctx.setContextPath("/app");
        ctx.setBaseResourceAsPath(docs);
        ctx.setWelcomeFiles(new String[] {"index.html"});
        ctx.addServlet(new ServletHolder("default", DefaultServlet.class), "/");
        ctx.addServlet(new ServletHolder("api", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write("api " + req.getPathInfo());
            }
        }), "/api/*");
        ctx.addFilter(new FilterHolder((Filter) (req, resp, chain) -> {
            ((HttpServletResponse) resp).setHeader("X-Css", "seen");
            chain.doFilter(req, resp);
        }), "/css/*", EnumSet.of(DispatcherType.REQUEST));

        ConstraintSecurityHandler security = (ConstraintSecurityHandler) ctx.getSecurityHandler();
        ConstraintMapping secure = new ConstraintMapping();
        secure.setPathSpec("/secure/*");
        secure.setConstraint(Constraint.from("admin"));
        security.addConstraintMapping(secure);
        // As jetty-home's webdefault does for every webapp: no TRACE anywhere, everything else allowed.
        ConstraintMapping noTrace = new ConstraintMapping();
        noTrace.setPathSpec("/");
        noTrace.setMethod("TRACE");
        noTrace.setConstraint(Constraint.FORBIDDEN);
        security.addConstraintMapping(noTrace);
        ConstraintMapping allButTrace = new ConstraintMapping();
        allButTrace.setPathSpec("/");
        allButTrace.setMethodOmissions(new String[] {"TRACE"});
        allButTrace.setConstraint(Constraint.ALLOWED);
        security.addConstraintMapping(allButTrace);
        security.setAuthenticator(new BasicAuthenticator());
        HashLoginService users = new HashLoginService("test");
        UserStore store = new UserStore();
        store.addUser("admin", Credential.getCredential("secret"), new String[] {"admin"});
        users.setUserStore(store);
        security.setLoginService(users);
        return ctx;
    }

    @AfterEach
    void stop() throws Exception {
        sides.close();
        try {
            RunningServer.awaitNothingHeld(ringside::stats);
        } finally {
            server.stop();
        }
        assertEquals(fdsBefore, FdCount.now(), () -> "descriptors leaked: " + FdCount.ours());
    }

    private long offloadedFor(HttpRequest.Builder b) throws Exception {
        return sides.offloadedFor(b);
    }

    @Test
    void whatMayTouchTheDiskIsAskedOffTheLoopOnceAndCachedFilesAreAnsweredOnIt() throws Exception {
        long before = ringside.stats().offLoopWork;
        assertEquals(0, offloadedFor(get("/app/small.txt")));
        // The router's verdict (Jetty's resources may read the disk), then the file's open and read.
        assertEquals(before + 2, ringside.stats().offLoopWork);
        assertEquals(0, offloadedFor(get("/app/small.txt")));
        // Cached: nothing more, but the file's re-check if its second of validity ran out meanwhile.
        assertTrue(ringside.stats().offLoopWork <= before + 3);
    }

    @Test
    void plainFilesAreSentByTheLoopExactlyAsJettyWould() throws Exception {
        assertEquals(0, offloadedFor(get("/app/small.txt")));
        assertEquals(0, offloadedFor(get("/app/big.bin")));
        assertEquals(0, offloadedFor(get("/app/index.html")));
        assertEquals(0, offloadedFor(get("/app/big.bin").header("Range", "bytes=100-199")));
        String lastModified = sides.sendToContainer(get("/app/small.txt")).headers().firstValue("last-modified").orElseThrow();
        assertEquals(0, offloadedFor(get("/app/small.txt").header("If-Modified-Since", lastModified)));
        assertEquals(0, offloadedFor(head("/app/big.bin")));
        assertEquals(0, offloadedFor(get("/app/small.txt").header("Accept-Encoding", "gzip")),
                "DefaultServlet is not precompressed: the sibling is not sent for it");
    }

    @Test
    void whatTheAppCouldTouchGoesToJetty() throws Exception {
        assertEquals(1, offloadedFor(get("/app/css/site.css")), "a filter applies");
        assertEquals(1, offloadedFor(get("/app/api/file.txt")), "a servlet mapping claims it");
        assertEquals(1, offloadedFor(get("/app/secure/a.html")), "a security constraint covers it");
        assertEquals(1, offloadedFor(get("/app/missing.txt")), "the app's own 404");
        assertEquals(1, offloadedFor(get("/app/css")), "Jetty's redirect to the directory");
        assertEquals(1, offloadedFor(get("/app/")), "a directory: Jetty dispatches to its welcome file");
        assertEquals(1, offloadedFor(get("/app/big.dat")), "a type Jetty's MIME map does not know");
        assertEquals(1, offloadedFor(get("/app/WEB-INF/web.txt")), "a protected target");
        assertEquals(1, offloadedFor(get("/app/linked.txt")), "a link: Jetty's alias check decides");
        assertEquals(1, offloadedFor(get("/small.txt")), "no context there");
    }

    @Test
    void doubtfulPathsGoToJetty() throws Exception {
        assertEquals(1, offloadedFor(get("/app/%73mall.txt")), "percent-encoded");
        assertEquals(1, offloadedFor(get("/app/small.txt;x=1")), "path parameter");
        long before = ringside.stats().offloaded;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ringside.getLocalPort())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /app/css/../secure/a.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 401 "), answer);
        }
        assertEquals(1, ringside.stats().offloaded - before);
    }

    @Test
    void aContextDeployedLaterIsServedByTheLoopOnceSeenAndForgottenWhenItStops() throws Exception {
        Path later = Files.createDirectories(base.resolve("later"));
        Files.writeString(later.resolve("late.txt"), "deployed after start\n");
        PinnedMtime.pinAll(later);
        ServletContextHandler ctx = deployFilesAt("/later", later);

        // The first requests go to Jetty; the connector reads the handler tree every second.
        long offloaded = 0;
        for (int i = 0; i < 100 && (offloaded = offloadedFor(get("/later/late.txt"))) != 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(0, offloaded, "the later context's file is sent by the loop");

        ctx.stop();
        assertEquals(1, offloadedFor(get("/later/late.txt")), "a stopped context's paths are Jetty's again");
    }

    @Test
    void turnedOffEveryRequestGoesToJetty() throws Exception {
        System.setProperty("ringside.staticPath", "false");
        RingsideConnector off;
        try {
            off = new RingsideConnector(server, RunningServer.smallConfig(), new HttpConnectionFactory());
        } finally {
            System.clearProperty("ringside.staticPath");
        }
        off.setHost("127.0.0.1");
        server.addConnector(off);
        if (!off.isStarted()) {
            off.start();
        }
        try (SideBySide offSides = new SideBySide(plain::getLocalPort, off::getLocalPort, () -> off.stats().offloaded,
                List.of("content-type", "content-length", "last-modified"))) {
            assertEquals(1, offSides.offloadedFor(get("/app/small.txt")));
            assertEquals(1, offSides.offloadedFor(get("/app/small.txt")), "not even once Jetty has answered it");
        }
        assertEquals(0, offloadedFor(get("/app/small.txt")), "the other connector's static path is on");
        RunningServer.awaitNothingHeld(off::stats);
    }

    @Test
    void aContextServedFromAPackedArchiveStaysJettys() throws Exception {
        Path war = base.resolve("packed.war");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(war))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("packed.txt"));
            zip.write("inside a WAR\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath("/packed");
        ctx.setBaseResource(org.eclipse.jetty.util.resource.ResourceFactory.of(ctx)
                .newJarFileResource(war.toUri()));
        ctx.addServlet(new ServletHolder("default", DefaultServlet.class), "/");
        contexts.addHandler(ctx);
        ctx.start();
        for (int i = 0; i < 100 && !ringside.staticPathHasRead(ctx); i++) {
            Thread.sleep(100); // the connector looks at the handler tree every second
        }
        assertTrue(ringside.staticPathHasRead(ctx));
        assertEquals(1, offloadedFor(get("/packed/packed.txt")), "not a file on disk: Jetty reads it from the archive");
        assertEquals(0, offloadedFor(get("/app/small.txt")), "the other context's files are still the loop's");
        ctx.stop();
    }

    @Test
    void virtualHostsLeaveEveryRequestToJetty() throws Exception {
        assertEquals(0, offloadedFor(get("/app/small.txt")));
        ServletContextHandler hosted = new ServletContextHandler();
        hosted.setContextPath("/hosted");
        hosted.setVirtualHosts(List.of("example.org"));
        contexts.addHandler(hosted);
        hosted.start();
        long offloaded = 0;
        for (int i = 0; i < 100 && (offloaded = offloadedFor(get("/app/small.txt"))) != 1; i++) {
            Thread.sleep(100);
        }
        assertEquals(1, offloaded, "with virtual hosts, Jetty's mapping decides");
    }
    @Test
    void aFileModifiedOnTheSecondOfAMonthRevalidatesWithTheDateTheLoopSent() throws Exception {
        sides.revalidatesWithTheDateRingsideSent("/app/small.txt", "/app/big.bin", PinnedMtime.AT_TEXT);
    }

    /** Deploys, into the running server, a context that serves {@code dir} with Jetty's DefaultServlet alone. */
    private ServletContextHandler deployFilesAt(String contextPath, Path dir) throws Exception {
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath(contextPath);
        ctx.setBaseResourceAsPath(dir);
        ctx.addServlet(new ServletHolder("default", DefaultServlet.class), "/");
        contexts.addHandler(ctx);
        ctx.start();
        return ctx;
    }

    @Test
    void anAppDeployedAndUndeployedFiftyTimesLeavesNoDescriptorBehind() throws Exception {
        // The app has a directory of its own: whatever stays open there after it is gone leaked.
        Path reDocs = Files.createDirectories(base.resolve("re-docs"));
        Files.writeString(reDocs.resolve("small.txt"), "a small static file\n");
        for (int i = 0; i < 50; i++) {
            ServletContextHandler re = deployFilesAt("/re", reDocs);
            ringside.scanHandlersNow(); // as its rescan each second would
            assertEquals(0, sides.offloadedFor(get("/re/small.txt")), "the loop sends it: a root and a file open");
            re.stop();
            contexts.removeHandler(re);
            ringside.scanHandlersNow();
            assertEquals(0, sides.offloadedFor(get("/app/small.txt")), "the app still there is still the loop's");
        }
        // Each loop lets go on its next tick (every 250 ms), whichever loop served the app.
        FdCount.assertNoneLeftUnder(reDocs);
    }

    @Test
    void withoutDateAndServerFieldsTheLoopsAnswersHaveNoneEither() throws Exception {
        HttpConfiguration quiet = new HttpConfiguration();
        quiet.setSendDateHeader(false);
        quiet.setSendServerVersion(false);
        ServerConnector plainQuiet = new ServerConnector(server, new HttpConnectionFactory(quiet));
        plainQuiet.setHost("127.0.0.1");
        RingsideConnector ringsideQuiet = new RingsideConnector(server, RunningServer.smallConfig(),
                new HttpConnectionFactory(quiet));
        ringsideQuiet.setHost("127.0.0.1");
        server.addConnector(plainQuiet);
        server.addConnector(ringsideQuiet);
        plainQuiet.start();
        ringsideQuiet.start();
        try (SideBySide set = new SideBySide(plainQuiet::getLocalPort, ringsideQuiet::getLocalPort,
                () -> ringsideQuiet.stats().offloaded, List.of())) {
            String file = "GET /app/small.txt HTTP/1.1\r\nHost: x\r\n";
            assertEquals(0, set.sameBytes(file + "\r\n"), "the loop's");
            assertEquals(0, set.sameBytes(file + "If-Modified-Since: " + PinnedMtime.AT_TEXT + "\r\n\r\n"));
            assertEquals(1, set.sameBytes("GET /app/api/x HTTP/1.1\r\nHost: x\r\n\r\n"), "Jetty's");
            String answer = RawTranscript.of(ringsideQuiet.getLocalPort(), file + "\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\nLast-Modified: "), answer);
        } finally {
            ringsideQuiet.stop();
            plainQuiet.stop();
            server.removeConnector(ringsideQuiet);
            server.removeConnector(plainQuiet);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyAnswerIsJettysByteForByte() {
        return RequestShapes.all("/app", "small.txt", "api/x").stream()
                .map(shape -> dynamicTest(shape.name(), () -> sides.sameBytes(shape.requests())));
    }
}
