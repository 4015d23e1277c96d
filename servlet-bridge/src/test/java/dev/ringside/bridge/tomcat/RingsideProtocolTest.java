package dev.ringside.bridge.tomcat;

import dev.ringside.uring.http.HttpServerStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The same application behind Tomcat's own connector and behind Ringside's answers the same:
 * status, body and the headers that matter, for what apps do (filters, sessions, uploads,
 * streaming, async, non-blocking I/O, errors), and Ringside holds nothing once it is done.
 */
class RingsideProtocolTest {
    @TempDir
    Path base;
    private TomcatApp app;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        app = new TomcatApp(base);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertNotNull(app.protocol().ringsideStats(), "Ringside serves the connector");
        assertNotEquals(app.plainPort(), app.ringsidePort());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        HttpServerStats s = app.protocol().ringsideStats();
        for (int i = 0; i < 100 && !s.nothingHeld(); i++) {
            Thread.sleep(50);
            s = app.protocol().ringsideStats();
        }
        HttpServerStats last = s;
        assertTrue(s.nothingHeld(), () -> "Ringside still holds resources: " + last);
        app.close();
    }

    private HttpResponse<byte[]> send(int port, HttpRequest.Builder b, String path) throws Exception {
        return client.send(b.uri(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends to both connectors; asserts same status, body and headers; returns Ringside's. */
    private HttpResponse<byte[]> same(HttpRequest.Builder b, String path) throws Exception {
        HttpResponse<byte[]> tomcat = send(app.plainPort(), b, path);
        HttpResponse<byte[]> ringside = send(app.ringsidePort(), b, path);
        assertEquals(tomcat.statusCode(), ringside.statusCode(), path);
        assertArrayEquals(tomcat.body(), ringside.body(), path);
        for (String h : List.of("content-type", "content-length", "transfer-encoding", "x-filtered", "connection",
                "content-encoding", "vary", "content-language")) {
            assertEquals(tomcat.headers().allValues(h), ringside.headers().allValues(h), path + " header " + h);
        }
        assertTrue(ringside.headers().firstValue("date").isPresent());
        return ringside;
    }

    private static HttpRequest.Builder get() {
        return HttpRequest.newBuilder().GET();
    }

    @Test
    void servletWithQueryAndHeadersThroughTheFilter() throws Exception {
        HttpResponse<byte[]> r = same(get().header("X-Thing", "v 1"), "/hello?name=ringside");
        assertEquals("hello ringside v 1", TomcatApp.ascii(r.body()));
        assertEquals("yes", r.headers().firstValue("x-filtered").orElseThrow());
        assertTrue(app.protocol().ringsideStats().offloaded > 0, "served through an offloaded exchange");
    }

    @Test
    void requestsRunOnVirtualThreadsUnlessTheExecutorIsAsked() throws Exception {
        assertTrue(app.protocol().isVirtualDispatch(), "the default");
        assertEquals("virtual=true", TomcatApp.ascii(send(app.ringsidePort(), get(), "/thread").body()));
        app.ringside.setProperty("virtualDispatch", "false"); // as server.xml would set it
        assertEquals("virtual=false", TomcatApp.ascii(send(app.ringsidePort(), get(), "/thread").body()));
        assertEquals("virtual=false", TomcatApp.ascii(send(app.plainPort(), get(), "/thread").body()),
                "Tomcat's own connector, for comparison");
    }

    @Test
    void aRequestTheExecutorRefusesGets503AndAClose() throws Exception {
        app.ringside.setProperty("virtualDispatch", "false");
        java.util.concurrent.Executor pool = app.protocol().getExecutor();
        app.protocol().setExecutor(task -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        });
        try {
            String answer = dev.ringside.uring.testing.RawHttp.untilClosed(app.ringsidePort(),
                    "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), -1);
            assertTrue(answer.matches("HTTP/1\\.1 503 \r\nContent-Length: 0\r\nDate: [^\r]+\r\nConnection: close\r\n\r\n"),
                    answer);
        } finally {
            app.protocol().setExecutor(pool);
            app.ringside.setProperty("virtualDispatch", "true");
        }
        assertEquals(200, send(app.ringsidePort(), get(), "/hello").statusCode(), "served again once the pool takes it");
    }

    @Test
    void notFoundAndErrorPage() throws Exception {
        assertEquals(404, same(get(), "/nothing-here").statusCode());
        HttpResponse<byte[]> r = same(get(), "/fail");
        assertEquals(500, r.statusCode());
        assertEquals("error page for 500", TomcatApp.ascii(r.body()));
    }

    @Test
    void tomcatsDefaultServletSendsFilesSmallAndLarge() throws Exception {
        assertEquals("a small static file\n", TomcatApp.ascii(same(get(), "/small.txt").body()));
        long before = app.protocol().sendfileResponses();
        assertEquals(300_000, same(get(), "/file.bin").body().length);
        HttpResponse<byte[]> range = same(get().header("Range", "bytes=10-19"), "/file.bin");
        assertEquals(206, range.statusCode());
        assertEquals(10, range.body().length);
        HttpResponse<byte[]> large = same(get().header("Range", "bytes=1000-200999"), "/file.bin");
        assertEquals(206, large.statusCode());
        assertEquals(200_000, large.body().length);
        // DefaultServlet hands a file above its sendfileSize (48 KiB) to the connector, ranges of
        // it included, whatever their length.
        assertEquals(3, app.protocol().sendfileResponses() - before, "the whole file and both ranges");
    }

    @Test
    void headHasTheHeadersOfGetAndNoBody() throws Exception {
        HttpResponse<byte[]> r = same(HttpRequest.newBuilder().method("HEAD", HttpRequest.BodyPublishers.noBody()),
                "/big?n=5000&length=1");
        assertEquals(0, r.body().length);
        assertEquals("5000", r.headers().firstValue("content-length").orElseThrow());
    }

    @Test
    void uploadsOfContentLengthAndChunkedBodiesEchoByteExact() throws Exception {
        byte[] upload = new byte[5 << 20];
        new Random(3).nextBytes(upload);
        HttpResponse<byte[]> r = same(HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofByteArray(upload)),
                "/echo");
        assertArrayEquals(upload, r.body());
        // A publisher of unknown length makes the client send chunked.
        byte[] small = "chunked body, a few pieces".getBytes(StandardCharsets.US_ASCII);
        r = same(HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(small))), "/echo");
        assertArrayEquals(small, r.body());
    }

    @Test
    void formParameters() throws Exception {
        HttpResponse<byte[]> r = same(HttpRequest.newBuilder().header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("a=1&b=two")), "/form");
        assertEquals("a=1 b=two", TomcatApp.ascii(r.body()));
    }

    @Test
    void streamedResponsesChunkedOrWithALength() throws Exception {
        for (String q : List.of("n=0", "n=1", "n=16384", "n=3000001", "n=3000001&length=1", "n=100000&flush=1")) {
            HttpResponse<byte[]> r = same(get(), "/big?" + q);
            assertEquals(Integer.parseInt(q.split("[=&]")[1]), r.body().length, q);
        }
    }

    @Test
    void compressionAsTheConnectorIsConfigured() throws Exception {
        HttpResponse<byte[]> r = same(get().header("Accept-Encoding", "gzip"), "/text");
        assertEquals("gzip", r.headers().firstValue("content-encoding").orElseThrow());
        String text = new String(new GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes(),
                StandardCharsets.US_ASCII);
        assertEquals("compressible ".repeat(1000), text);
    }

    @Test
    void sessionsFollowTheCookie() throws Exception {
        HttpClient withCookies = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        try (withCookies) {
            URI uri = URI.create("http://127.0.0.1:" + app.ringsidePort() + "/session");
            for (int i = 1; i <= 3; i++) {
                String body = withCookies.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertEquals("visits=" + i, body);
            }
        }
    }

    @Test
    void addressesPortsAndScheme() throws Exception {
        String tomcat = TomcatApp.ascii(send(app.plainPort(), get(), "/who?x=1").body());
        String ringside = TomcatApp.ascii(send(app.ringsidePort(), get(), "/who?x=1").body());
        assertEquals(tomcat.replace(" " + app.plainPort() + " ", " PORT "),
                ringside.replace(" " + app.ringsidePort() + " ", " PORT "));
        assertTrue(ringside.startsWith("127.0.0.1 true 127.0.0.1 " + app.ringsidePort() + " "), ringside);
        assertTrue(ringside.contains(" false http 127.0.0.1 " + app.ringsidePort() + " HTTP/1.1 GET /who x=1"),
                ringside);
    }

    @Test
    void asyncCompleteDispatchAndTimeout() throws Exception {
        assertEquals("async done", TomcatApp.ascii(same(get(), "/async").body()));
        assertEquals("hello null null", TomcatApp.ascii(same(get(), "/async-dispatch").body()));
        HttpResponse<byte[]> r = same(get(), "/async-timeout");
        assertEquals(504, r.statusCode());
        assertEquals("timed out", TomcatApp.ascii(r.body()));
    }

    @Test
    void nonBlockingReadAndWrite() throws Exception {
        byte[] upload = new byte[700_000];
        new Random(5).nextBytes(upload);
        HttpResponse<byte[]> r = same(HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofByteArray(upload)),
                "/nb-read");
        assertEquals("read 700000 bytes, sum " + TomcatApp.sum(upload), TomcatApp.ascii(r.body()));
        r = same(get(), "/nb-write?n=2000000");
        assertEquals(2_000_000, r.body().length);
    }

    @Test
    void keepAliveUpToTomcatsMaxKeepAliveRequestsThenClose() throws Exception {
        try (Raw c = new Raw(app.ringsidePort())) {
            for (int i = 1; i <= 100; i++) {
                c.send("GET /hello?name=" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                String r = c.response();
                assertTrue(r.endsWith("hello " + i + " null"), r);
                assertEquals(i == 100, r.contains("\r\nConnection: close\r\n"), "request " + i + ": " + r);
            }
            assertTrue(c.endedByServer());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Raw c = new Raw(app.ringsidePort())) {
            c.send("GET /hello?name=1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 5\r\n\r\nabcdeGET /hello?name=3 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(c.response().endsWith("hello 1 null"));
            assertTrue(c.response().endsWith("\r\n\r\nabcde"));
            assertTrue(c.response().endsWith("hello 3 null"));
        }
    }

    @Test
    void expectContinueGetsA100WhenTheServletReads() throws Exception {
        try (Raw c = new Raw(app.ringsidePort())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertTrue(c.readHead().startsWith("HTTP/1.1 100 "));
            c.send("body");
            assertTrue(c.response().endsWith("\r\n\r\nbody"));
        }
    }

    @Test
    void anH2cUpgradeOfferIsAnsweredAsHttp11WhenTheConnectorHasNoH2c() throws Exception {
        long tunnels = app.protocol().ringsideStats().tunnelsOpened;
        try (Raw c = new Raw(app.ringsidePort())) {
            c.send("GET /hello?name=h2c HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n\r\n");
            String r = c.response();
            assertTrue(r.startsWith("HTTP/1.1 200 ") && r.endsWith("hello h2c null"), r);
            c.send("GET /hello?name=next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(c.response().endsWith("hello next null"), "the connection stays HTTP/1.1");
        }
        assertEquals(tunnels, app.protocol().ringsideStats().tunnelsOpened, "served, not tunnelled");
    }

    @Test
    void http10GetsAnAnswerThenClose() throws Exception {
        try (Raw c = new Raw(app.ringsidePort())) {
            c.send("GET /big?n=10 HTTP/1.0\r\n\r\n");
            String r = TomcatApp.ascii(c.in.readAllBytes());
            assertTrue(r.startsWith("HTTP/1.1 200 \r\n"), r);
            assertTrue(r.contains("\r\nConnection: close\r\n"), r);
            assertEquals(10, r.length() - r.indexOf("\r\n\r\n") - 4);
        }
    }

    @Test
    void aClientResetMidUploadLeavesTheServerWell() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), app.ringsidePort())) {
                s.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(new byte[200_000]);
                s.setSoLinger(true, 0);
            }
        }
        assertEquals("hello ok null", TomcatApp.ascii(same(get(), "/hello?name=ok").body()));
    }

    /** A raw HTTP/1.1 client that reads one response at a time by its framing. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Raw(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        String readHead() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int state = 0;
            while (state < 4) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed after " + b);
                }
                b.write(c);
                state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                        ? state + 1 : 0;
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        /** Head and body (de-chunked), as text. */
        String response() throws IOException {
            String head = readHead();
            String lower = head.toLowerCase(java.util.Locale.ROOT);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int cl = lower.indexOf("\r\ncontent-length: ");
            if (cl >= 0) {
                int n = Integer.parseInt(head.substring(cl + 18, head.indexOf('\r', cl + 2)).trim());
                body.write(in.readNBytes(n));
            } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
                while (true) {
                    String size = line();
                    int n = Integer.parseInt(size.trim(), 16);
                    body.write(in.readNBytes(n));
                    line();
                    if (n == 0) {
                        break;
                    }
                }
            }
            return head + body.toString(StandardCharsets.ISO_8859_1);
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("closed");
                }
                if (c != '\r') {
                    s.append((char) c);
                }
            }
            return s.toString();
        }

        boolean endedByServer() throws IOException {
            try {
                return in.read() < 0;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
