package dev.ringside.samples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The app on a random port, spoken to over real sockets with java.net.http. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.address=127.0.0.1")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SampleBootApplicationTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static HttpClient http;

    @LocalServerPort
    int port;

    @BeforeAll
    static void client() {
        http = HttpClient.newBuilder().connectTimeout(T).build();
    }

    @AfterAll
    static void close() {
        http.close();
    }

    private HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(T);
    }

    @Test
    void greeting() throws Exception {
        HttpResponse<String> r = http.send(req("/api/greeting?name=ringside").build(), BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals("{\"greeting\":\"hello, ringside\"}", r.body());
    }

    @Test
    void items() throws Exception {
        HttpResponse<String> r = http.send(req("/api/items/42").build(), BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("{\"id\":42,\"name\":\"item-42\"}", r.body());
        HttpResponse<String> missing = http.send(req("/api/items/-1").build(), BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        assertEquals("{\"error\":\"no item -1\"}", missing.body());
    }

    @Test
    void upload() throws Exception {
        String boundary = "----boot" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"data.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(new byte[70_000]);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = http.send(req("/api/upload")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(), BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"name\":\"file\",\"filename\":\"data.bin\",\"size\":70000}", r.body());
    }

    @Test
    void staticResources() throws Exception {
        HttpResponse<String> index = http.send(req("/").build(), BodyHandlers.ofString());
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("Sample Spring Boot app"));
        HttpResponse<String> css = http.send(req("/app.css").build(), BodyHandlers.ofString());
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElseThrow().startsWith("text/css"));
    }
}
