package dev.ringside.bridge.loop;

import dev.ringside.uring.http.HttpLimits;
import dev.ringside.uring.testing.Escapes;
import dev.ringside.uring.testing.RawHttp;
import dev.ringside.uring.testing.RunningServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A request whose chunked body breaks its framing is answered as the standalone server answers it
 * (the runtime's rejection table: 400 or 413, then a close) through both adapters, whatever the
 * servlet does with the body: never reads it, reads all of it, reads one byte and answers, or reads
 * it with a ReadListener. Only where the servlet can answer before the bad bytes arrive (never,
 * one byte) may its own answer go out instead, and then the connection closes right after it. A
 * request smuggled after the bad bytes is never answered. Each case is sent whole five times (a
 * one-in-five race shows) and split at every byte.
 */
class MalformedChunkedBodyTest {
    /** The runtime's rejection table (its test-jar's resource, which RejectedChunkedBodyTest reads too). */
    private static final String TABLE = "/dev/ringside/uring/http/rejected-chunked-bodies.csv";
    /** The rejection table's limits: the standalone server's default 10 MiB of body. */
    private static final long BODY_LIMIT = HttpLimits.DEFAULT_MAX_BODY_BYTES;
    private static final String SMUGGLED = "GET /never HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final Pattern STATUS_LINE = Pattern.compile("(?:^|\r\n)HTTP/1\\.1 (\\d{3})[ \r]");
    /** Which servlets answer only once they have read the whole body. */
    private static final Map<String, Boolean> SERVLETS = Map.of("never", false, "all", true, "part", false, "async", true);

    @TempDir
    static Path base;
    private static Tomcat tomcat;
    private static Connector tomcatConnector;
    private static Server jetty;
    private static org.eclipse.jetty.server.Connector jettyConnector;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("ringside.maxBodyBytes", Long.toString(BODY_LIMIT));
        try {
            tomcat = new Tomcat();
            tomcat.setBaseDir(base.toString());
            tomcatConnector = new Connector("dev.ringside.bridge.tomcat.RingsideProtocol");
            tomcatConnector.setPort(0);
            tomcatConnector.setProperty("address", "127.0.0.1");
            tomcat.getService().addConnector(tomcatConnector);
            tomcat.setConnector(tomcatConnector);
            Context ctx = tomcat.addContext("", base.toString());
            servlets((name, servlet) -> {
                Tomcat.addServlet(ctx, name, servlet).setAsyncSupported(true);
                ctx.addServletMappingDecoded("/" + name, name);
            });
            tomcat.start();
        } finally {
            System.clearProperty("ringside.maxBodyBytes");
        }

        jetty = new Server();
        var connector = new dev.ringside.bridge.jetty.RingsideConnector(jetty,
                RunningServer.smallConfig().withMaxBodyBytes(BODY_LIMIT), new HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        jettyConnector = connector;
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        servlets((name, servlet) -> {
            ServletHolder holder = new ServletHolder(name, servlet);
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/" + name);
        });
        jetty.setHandler(context);
        jetty.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private interface Register {
        void add(String name, HttpServlet servlet);
    }

    private static void servlets(Register r) {
        r.add("never", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write("never read");
            }
        });
        r.add("all", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                byte[] body = req.getInputStream().readAllBytes();
                resp.getWriter().write("read " + body.length);
            }
        });
        r.add("part", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                int first = req.getInputStream().read();
                resp.getWriter().write("read one: " + first);
            }
        });
        r.add("async", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                AsyncContext async = req.startAsync();
                ServletInputStream in = req.getInputStream();
                in.setReadListener(new ReadListener() {
                    private final byte[] buffer = new byte[4096];
                    private long read;

                    @Override
                    public void onDataAvailable() throws IOException {
                        while (in.isReady()) {
                            int n = in.read(buffer);
                            if (n < 0) {
                                return;
                            }
                            read += n;
                        }
                    }

                    @Override
                    public void onAllDataRead() throws IOException {
                        resp.getWriter().write("read " + read);
                        async.complete();
                    }

                    @Override
                    public void onError(Throwable t) {
                        async.complete();
                    }
                });
            }
        });
    }

    @ParameterizedTest(name = "Tomcat, {0}: {1}")
    @CsvFileSource(resources = TABLE, delimiter = '|', quoteCharacter = '`')
    void throughTomcat(int status, String escaped) throws Exception {
        judge(tomcatConnector.getLocalPort(), status, escaped);
    }

    @ParameterizedTest(name = "Jetty, {0}: {1}")
    @CsvFileSource(resources = TABLE, delimiter = '|', quoteCharacter = '`')
    void throughJetty(int status, String escaped) throws Exception {
        judge(((org.eclipse.jetty.server.NetworkConnector) jettyConnector).getLocalPort(), status, escaped);
    }

    private static void judge(int port, int status, String escaped) throws Exception {
        byte[] body = Escapes.unescape(escaped).getBytes(StandardCharsets.ISO_8859_1);
        for (var servlet : SERVLETS.entrySet()) {
            byte[] head = ("POST /" + servlet.getKey() + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = concat(head, body, SMUGGLED.getBytes(StandardCharsets.ISO_8859_1));
            boolean readsAll = servlet.getValue();
            String what = servlet.getKey() + " " + escaped;
            for (int i = 0; i < 5; i++) {
                expect(RawHttp.untilClosed(port, request, -1), status, readsAll, what + " whole");
            }
            for (int split = head.length + 1; split < head.length + body.length; split++) {
                expect(RawHttp.untilClosed(port, request, split), status, readsAll, what + " split at " + (split - head.length));
            }
        }
    }

    /** One answer: the table's status (or, where the servlet may answer first, its 200), then the close. */
    private static void expect(String answer, int status, boolean readsAll, String what) {
        Matcher m = STATUS_LINE.matcher(answer);
        if (!m.find()) {
            fail(what + ": no answer at all: [" + answer + "]");
        }
        int got = Integer.parseInt(m.group(1));
        assertTrue(got == status || (!readsAll && got == 200), what + ": " + answer);
        if (got == status) {
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), what + ": " + answer);
        }
        assertTrue(!m.find(), what + ": a second answer, to bytes after the bad ones: " + answer);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
