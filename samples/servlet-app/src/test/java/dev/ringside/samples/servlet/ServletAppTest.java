package dev.ringside.samples.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.WebResourceRoot;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.webresources.DirResourceSet;
import org.apache.catalina.webresources.StandardRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploys the web application (src/main/webapp + compiled classes + the generated big.bin) in an
 * embedded Tomcat 11 on 127.0.0.1:0 and talks to it over real sockets with java.net.http.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServletAppTest {
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    static Path baseDir;

    static Tomcat tomcat;
    static URI base;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setProperty("address", "127.0.0.1");
        connector.setPort(0);
        tomcat.setConnector(connector);
        tomcat.addUser("sample-user", "sample-password");
        tomcat.addRole("sample-user", "sample");

        File webapp = new File(property("sample.webapp", "src/main/webapp")).getAbsoluteFile();
        File classes = new File(property("sample.classes", "target/classes")).getAbsoluteFile();
        File generated = new File(property("sample.generated.webapp", "target/generated-webapp")).getAbsoluteFile();
        Context ctx = tomcat.addWebapp("", webapp.getPath());
        WebResourceRoot resources = new StandardRoot(ctx);
        resources.addPreResources(new DirResourceSet(resources, "/WEB-INF/classes", classes.getPath(), "/"));
        resources.addPreResources(new DirResourceSet(resources, "/", generated.getPath(), "/"));
        ctx.setResources(resources);
        tomcat.start();

        int port = connector.getLocalPort();
        base = URI.create("http://127.0.0.1:" + port + "/");
        http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(T)
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) {
            http.close();
        }
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static String property(String name, String dflt) {
        return System.getProperty(name, dflt);
    }

    private static HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(T);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(req(path).build(), BodyHandlers.ofString());
    }

    @Test
    void helloServletAndFilterHeader() throws Exception {
        HttpResponse<String> r = get("hello");
        assertEquals(200, r.statusCode());
        assertEquals("hello", r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        assertEquals("on", r.headers().firstValue("X-Sample-Filter").orElseThrow());
        long before = Long.parseLong(r.headers().firstValue("X-Sample-Count").orElseThrow());
        HttpResponse<String> again = get("hello");
        assertTrue(Long.parseLong(again.headers().firstValue("X-Sample-Count").orElseThrow()) > before);
    }

    @Test
    void sessionCountsWithTheCookie() throws Exception {
        HttpClient own = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(T).build();
        try (own) {
            for (int i = 1; i <= 3; i++) {
                HttpResponse<String> r = own.send(req("session").build(), BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals(Integer.toString(i), r.body());
                if (i == 1) {
                    assertTrue(r.headers().firstValue("Set-Cookie").orElseThrow().startsWith("JSESSIONID="));
                }
            }
        }
        // Another client, another session.
        HttpResponse<String> fresh = HttpClient.newHttpClient().send(req("session").build(), BodyHandlers.ofString());
        assertEquals("1", fresh.body());
    }

    @Test
    void formParametersComeBackAsJson() throws Exception {
        HttpResponse<String> r = http.send(req("form")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("b=x+y&a=1&a=%C3%A9%22"))
                .build(), BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("{\"a\":[\"1\",\"é\\\"\"],\"b\":[\"x y\"]}", r.body());
    }

    @Test
    void multipartUploadReportsPartsAndSizes() throws Exception {
        String boundary = "----sample" + System.nanoTime();
        byte[] file = new byte[100_000];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) i;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
                + "hello\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"data.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = http.send(req("upload")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(BodyPublishers.ofByteArray(body.toByteArray()))
                .build(), BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("[{\"name\":\"title\",\"filename\":null,\"size\":5},"
                + "{\"name\":\"file\",\"filename\":\"data.bin\",\"size\":100000}]", r.body());
    }

    @Test
    void asyncCompletesFromAnotherThreadAndTimesOut() throws Exception {
        HttpResponse<String> r = get("async");
        assertEquals(200, r.statusCode());
        assertEquals("async done", r.body());
        assertEquals("sample-async-timer", r.headers().firstValue("X-Async-Completed-On").orElseThrow());
        assertEquals("on", r.headers().firstValue("X-Sample-Filter").orElseThrow());

        HttpResponse<String> late = get("async?delay=2000&timeout=100");
        assertEquals(503, late.statusCode());
        assertEquals("async timeout", late.body());
    }

    @Test
    void echoFixedLengthAndChunkedBodies() throws Exception {
        byte[] payload = new byte[300_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        HttpResponse<byte[]> fixed = http.send(req("echo")
                .header("Content-Type", "application/x-sample")
                .POST(BodyPublishers.ofByteArray(payload))
                .build(), BodyHandlers.ofByteArray());
        assertEquals(200, fixed.statusCode());
        assertEquals("application/x-sample", fixed.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(payload, fixed.body());

        // Unknown length: HttpClient sends Transfer-Encoding: chunked.
        HttpResponse<byte[]> chunked = http.send(req("echo")
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(payload)))
                .build(), BodyHandlers.ofByteArray());
        assertEquals(200, chunked.statusCode());
        assertEquals(Integer.toString(payload.length), chunked.headers().firstValue("X-Echo-Length").orElseThrow());
        assertArrayEquals(payload, chunked.body());
    }

    @Test
    void failureLandsOnTheErrorPage() throws Exception {
        HttpResponse<String> r = get("fail");
        assertEquals(500, r.statusCode());
        assertTrue(r.body().contains("Sample error page"), r.body());
        assertTrue(r.body().contains("status=500"), r.body());
        assertTrue(r.body().contains("exception=SampleFailure"), r.body());
    }

    @Test
    void tokenAnswersSayWhoseTheyAreAndFailOrHangOnRequest() throws Exception {
        HttpResponse<String> r = get("token/abc?size=10");
        assertEquals(200, r.statusCode());
        assertEquals("abc@000000", r.body());
        StringBuilder lines = new StringBuilder();
        for (int offset = 0; offset < 20000; offset += 15) lines.append("abc@%010d\n".formatted(offset));
        assertEquals(lines.substring(0, 20000), get("token/abc?size=20000").body());

        HttpResponse<String> before = get("token/t1?fail=before");
        assertEquals(500, before.statusCode());
        assertTrue(before.body().contains("/token/t1</p>"), before.body());

        // Committed, then thrown: the answer is cut short, and what came is the token's.
        try {
            String cut = get("token/t2?size=100000&fail=after").body();
            assertTrue(cut.startsWith("t2@0000000000\nt2@0000000014\n"), cut.substring(0, Math.min(100, cut.length())));
        } catch (java.io.IOException cutShort) {
            // the container ended the connection without the chunked body's end
        }

        HttpResponse<String> never = get("token/t3?async=never&timeout=200");
        assertEquals(500, never.statusCode());
        assertTrue(never.body().contains("/token/t3</p>"), never.body());
    }

    @Test
    void secureNeedsBasicAuth() throws Exception {
        HttpResponse<String> anonymous = get("secure/");
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Basic"));

        String credentials = Base64.getEncoder().encodeToString("sample-user:sample-password".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(req("secure/whoami").header("Authorization", "Basic " + credentials).build(),
                BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("user=sample-user sample=true", r.body());
        HttpResponse<String> page = http.send(req("secure/").header("Authorization", "Basic " + credentials).build(),
                BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("role <code>sample</code>"));
    }

    @Test
    void jspRenders() throws Exception {
        HttpResponse<String> r = get("time.jsp?who=test");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("jsp says hello to test"), r.body());
        assertTrue(r.body().contains("el=3"), r.body());
        assertTrue(r.body().contains("time=20"), r.body());
    }

    @Test
    void webSocketEchoes() throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder()
                .connectTimeout(T)
                .buildAsync(URI.create("ws://127.0.0.1:" + base.getPort() + "/ws/echo"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.complete(text.toString());
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        received.completeExceptionally(error);
                    }
                })
                .get(10, TimeUnit.SECONDS);
        ws.sendText("ping über", true).get(10, TimeUnit.SECONDS);
        assertEquals("ping über", received.get(10, TimeUnit.SECONDS));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    @Test
    void staticAssetsAreServed() throws Exception {
        HttpResponse<String> index = get("");
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("Sample servlet app"));
        assertTrue(index.headers().firstValue("X-Sample-Filter").isEmpty(), "static assets are not filtered");

        HttpResponse<byte[]> css = http.send(req("css/site.css").build(), BodyHandlers.ofByteArray());
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElseThrow().startsWith("text/css"));
        assertArrayEquals(Files.readAllBytes(Path.of(property("sample.webapp", "src/main/webapp"), "css/site.css")), css.body());

        HttpResponse<byte[]> js = http.send(req("js/app.js").build(), BodyHandlers.ofByteArray());
        assertEquals(200, js.statusCode());
        HttpResponse<byte[]> png = http.send(req("img/logo.png").build(), BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        assertEquals((byte) 0x89, png.body()[0]);

        HttpResponse<byte[]> big = http.send(req("big.bin").build(), BodyHandlers.ofByteArray());
        assertEquals(200, big.statusCode());
        assertEquals(2 * 1024 * 1024, big.body().length);
        int state = 0x52494E47;
        for (int i = 0; i < big.body().length; i++) {
            state = state * 1103515245 + 12345;
            if (big.body()[i] != (byte) (state >>> 24)) {
                throw new AssertionError("big.bin differs at byte " + i);
            }
        }

        // The committed precompressed sibling matches (containers serve it only when configured to).
        Path webapp = Path.of(property("sample.webapp", "src/main/webapp"));
        try (var gz = new java.util.zip.GZIPInputStream(Files.newInputStream(webapp.resolve("css/site.css.gz")))) {
            assertArrayEquals(Files.readAllBytes(webapp.resolve("css/site.css")), gz.readAllBytes());
        }
        assertTrue(Files.size(webapp.resolve("css/site.css.br")) > 0);

        HttpResponse<String> forbidden = get("WEB-INF/web.xml");
        assertEquals(404, forbidden.statusCode());
    }
}
