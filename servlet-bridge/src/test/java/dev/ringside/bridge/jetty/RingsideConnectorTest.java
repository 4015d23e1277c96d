package dev.ringside.bridge.jetty;

import dev.ringside.uring.testing.RawHttp;
import dev.ringside.uring.testing.RunningServer;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

import static dev.ringside.bridge.jetty.TestApp.lines;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An embedded Jetty 12.1 server with an ee10 servlet context, its ServerConnector replaced by a
 * {@link RingsideConnector} on 127.0.0.1:0, driven by real clients (java.net.http and raw
 * sockets). After each test the Ringside server holds no connection, buffer or exchange, and
 * once stopped the process has the descriptors it had before.
 */
class RingsideConnectorTest {
    private JettyOnRingside jetty;
    private Server server;
    private RingsideConnector connector;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        jetty = new JettyOnRingside(c -> {}).start();
        server = jetty.server;
        connector = jetty.connector;
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager()).build();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        jetty.close();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + pathAndQuery);
    }

    private HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertPattern(byte[] body, int size) {
        assertEquals(size, body.length);
        for (int i = 0; i < size; i++) {
            if (body[i] != (byte) ('a' + i % 26)) {
                throw new AssertionError("byte " + i + " is " + body[i]);
            }
        }
    }

    @Test
    void servesAGetWithItsQueryHeadersAndFilter() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/info?p=a%20b&x=1")).header("X-Test", "t v").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        Map<String, String> seen = lines(r.body());
        assertEquals("GET", seen.get("method"));
        assertEquals("/info", seen.get("uri"));
        assertEquals("p=a%20b&x=1", seen.get("query"));
        assertEquals("a b", seen.get("param"));
        assertEquals("t v", seen.get("header"));
        assertEquals("HTTP/1.1", seen.get("protocol"));
        assertEquals("yes", seen.get("filtered"));
        assertEquals("yes", r.headers().firstValue("X-Filtered").orElse(null));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(r.headers().firstValue("Date").isPresent(), "Date, as HttpConfiguration.sendDateHeader says");
        assertTrue(r.headers().firstValue("Server").orElse("").startsWith("Jetty"), "Server, as sendServerVersion says");
        assertEquals(String.valueOf(r.body().getBytes(StandardCharsets.UTF_8).length),
                r.headers().firstValue("Content-Length").orElse(null));
        assertEquals(1, connector.stats().offloaded);
    }

    @Test
    void showsTheConnectionAsTheServletApiDescribesIt() throws Exception {
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("GET /info HTTP/1.1\r\nHost: 127.0.0.1:" + connector.getLocalPort() + "\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            Map<String, String> seen = lines(r.text());
            assertEquals("127.0.0.1", seen.get("remoteAddr"));
            assertEquals(String.valueOf(c.socket().getLocalPort()), seen.get("remotePort"));
            assertEquals(String.valueOf(connector.getLocalPort()), seen.get("localPort"));
            assertEquals("false", seen.get("secure"));
            assertEquals("http", seen.get("scheme"));
            assertEquals("127.0.0.1", seen.get("serverName"));
            assertEquals(String.valueOf(connector.getLocalPort()), seen.get("serverPort"));
        }
        assertTrue(connector.getLocalPort() > 0);
        assertTrue(server.getURI().toString().contains(":" + connector.getLocalPort()));
    }

    @Test
    void echoesAFiveMebibyteUploadWithContentLength() throws Exception {
        byte[] upload = new byte[5 << 20];
        new Random(1).nextBytes(upload);
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertArrayEquals(upload, r.body());
    }

    @Test
    void echoesAChunkedUpload() throws Exception {
        byte[] upload = new byte[1 << 20];
        new Random(2).nextBytes(upload);
        // An InputStream publisher of unknown length makes the client send chunks.
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(upload))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertArrayEquals(upload, r.body());
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            c.send("7\r\n, world\r\n0\r\n\r\n");
            assertEquals("hello, world", c.read().text());
        }
    }

    @Test
    void sendsContinueWhenTheServletReads() throws Exception {
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            assertEquals(100, c.read().status());
            c.send("data");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("data", r.text());
            c.send("GET /info HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.read().status(), "the connection is still usable");
        }
    }

    @Test
    void answersWithoutContinueWhenTheServletDoesNotRead() throws Exception {
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("POST /info HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status(), "the final answer, no 100");
            assertEquals("close", r.header("Connection"));
            assertTrue(c.endedByServer());
        }
    }

    @Test
    void keepsTheConnectionWhenTheClientSentItsBodyWithoutWaitingForContinue() throws Exception {
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\ndata");
            RawHttp.Response r = c.read();
            if (r.status() == 100) { // the servlet asked before the body had arrived: allowed
                r = c.read();
            }
            assertEquals(200, r.status());
            assertEquals("data", r.text());
            assertNull(r.header("Connection"));
            c.send("GET /info HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.read().status());
        }
    }

    @Test
    void jettyRefusesATargetItsUriComplianceForbids() throws Exception {
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("GET /a/%2e%2e/info HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(400, c.read().status());
        }
    }

    @Test
    void streamsThreeMegabytesInChunks() throws Exception {
        HttpResponse<byte[]> r = get("/stream?size=3000000");
        assertEquals(200, r.statusCode());
        assertPattern(r.body(), 3_000_000);
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("GET /stream?size=3000000 HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response head = c.read();
            assertEquals("chunked", head.header("Transfer-Encoding"));
            assertNull(head.header("Content-Length"));
        }
    }

    @Test
    void streamsThreeMegabytesWithContentLength() throws Exception {
        HttpResponse<byte[]> r = get("/stream?size=3000000&cl=true");
        assertEquals(200, r.statusCode());
        assertEquals("3000000", r.headers().firstValue("Content-Length").orElse(null));
        assertFalse(r.headers().firstValue("Transfer-Encoding").isPresent());
        assertPattern(r.body(), 3_000_000);
    }

    @Test
    void answersHeadWithTheLengthAndNoBody() throws Exception {
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("HEAD /stream?size=1000&cl=true HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read(true);
            assertEquals(200, r.status());
            assertEquals("1000", r.header("Content-Length"));
            c.send("HEAD /stream?size=100000 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.read(true).status());
            // Had any body byte been sent, this would read it as the status line.
            c.send("GET /stream?size=10&cl=true HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response after = c.read();
            assertEquals(200, after.status());
            assertEquals("abcdefghij", after.text());
        }
    }

    @Test
    void notFoundGoesToTheErrorPage() throws Exception {
        HttpResponse<byte[]> r = get("/nothing-here");
        assertEquals(404, r.statusCode());
        assertEquals("error page: 404 /nothing-here", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void anExceptionGoesToTheErrorPage() throws Exception {
        HttpResponse<byte[]> r = get("/boom");
        assertEquals(500, r.statusCode());
        assertEquals("error page: 500 /boom", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void keepsASessionAcrossRequestsByItsCookie() throws Exception {
        for (int i = 1; i <= 3; i++) {
            HttpResponse<byte[]> r = get("/counter");
            assertEquals(String.valueOf(i), new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void completesAnAsyncRequestFromAnotherThread() throws Exception {
        HttpResponse<byte[]> r = get("/async");
        assertEquals(200, r.statusCode());
        assertEquals("async done on another thread", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void timesAnAsyncRequestOut() throws Exception {
        HttpResponse<byte[]> r = get("/async?timeout=50");
        assertEquals(200, r.statusCode());
        assertEquals("timed out", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void readsAnUploadWithAReadListener() throws Exception {
        byte[] upload = new byte[3 << 20];
        new Random(3).nextBytes(upload);
        CRC32 crc = new CRC32();
        crc.update(upload);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/read-listener"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(upload.length + " " + crc.getValue(), r.body());
    }

    @Test
    void writesADownloadWithAWriteListener() throws Exception {
        HttpResponse<byte[]> r = get("/write-listener?size=2000000");
        assertEquals(200, r.statusCode());
        assertPattern(r.body(), 2_000_000);
    }

    @Test
    void keepsOneConnectionForAHundredRequests() throws Exception {
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            for (int i = 0; i < 100; i++) {
                c.send("GET /info?p=" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response r = c.read();
                assertEquals(200, r.status());
                assertEquals(String.valueOf(i), lines(r.text()).get("param"));
                assertNull(r.header("Connection"));
            }
            c.send("GET /info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("close", c.read().header("Connection"));
            assertTrue(c.endedByServer());
        }
        assertEquals(1, connector.stats().accepted);
        assertEquals(101, connector.stats().offloaded);
    }

    @Test
    void servesAnUpgradeRequestAsAPlainOneWhenNothingUpgrades() throws Exception {
        // No WebSocket container in this context: Jetty ignores the Upgrade, as with ServerConnector.
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("GET /info?p=up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("up", lines(r.text()).get("param"));
        }
    }

    @Test
    void servesManyClientsAtOnce() throws Exception {
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.List<java.util.concurrent.Future<?>> all = new java.util.ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int id = t;
                all.add(clients.submit(() -> {
                    byte[] body = new byte[7000 * id + 1];
                    Arrays.fill(body, (byte) id);
                    for (int i = 0; i < 30; i++) {
                        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri(i % 2 == 0 ? "/echo" : "/read-listener"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                        assertEquals(200, r.statusCode());
                        if (i % 2 == 0) {
                            assertArrayEquals(body, r.body());
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : all) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("GET /info?p=one HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo"
                    + "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /info?p=four HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("one", lines(c.read().text()).get("param"));
            assertEquals("two", c.read().text());
            assertEquals(404, c.read().status());
            assertEquals("four", lines(c.read().text()).get("param"));
        }
    }

    @Test
    void speaksHttp10() throws Exception {
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("GET /info HTTP/1.0\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("HTTP/1.0", lines(r.text()).get("protocol"));
            assertTrue(c.endedByServer());
        }
        try (RawHttp c = new RawHttp(connector.getLocalPort())) {
            c.send("GET /info HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals("keep-alive", r.header("Connection"));
            c.send("GET /stream?size=5 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals(200, c.read().status());
        }
    }

    @Test
    void endsABodyOfUnknownLengthByClosingForHttp10() throws Exception {
        try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
            s.getOutputStream().write("GET /stream?size=100000 HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes(); // to the server's close
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = text.substring(0, end);
            assertFalse(head.contains("Transfer-Encoding"), head);
            assertFalse(head.contains("Content-Length"), head);
            assertFalse(head.contains("Connection"), "HTTP/1.0 closes without saying so, as Jetty's own: " + head);
            assertPattern(Arrays.copyOfRange(all, end + 4, all.length), 100_000);
        }
    }

    @Test
    void aClientResetMidUploadLeavesTheServerWell() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
                OutputStream out = s.getOutputStream();
                out.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[300_000]);
                out.flush();
                s.setSoLinger(true, 0); // close with a reset, mid-body
            }
        }
        RunningServer.awaitNothingHeld(connector::stats);
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("after")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("after", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aClientThatLeavesMidDownloadLeavesTheServerWell() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
                s.getOutputStream().write("GET /stream?size=20000000 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertNotNull(in.readNBytes(100_000));
                s.setSoLinger(true, 0);
            }
        }
        RunningServer.awaitNothingHeld(connector::stats);
        assertEquals(200, get("/info").statusCode());
    }
}
