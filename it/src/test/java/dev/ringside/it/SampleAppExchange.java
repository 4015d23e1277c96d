package dev.ringside.it;

import dev.ringside.it.containers.ContainerProcess;
import dev.ringside.uring.testing.RawTranscript;
import dev.ringside.uring.testing.RequestShapes;
import org.junit.jupiter.api.DynamicTest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The requests every container IT sends to the sample WAR, and the comparison of two runs' answers: a
 * container with the agent must answer exactly as the same container without it.
 */
final class SampleAppExchange {
    /** Headers whose values must be the same with and without the agent (Date, Set-Cookie ids, ... differ by nature). */
    private static final List<String> HEADERS = List.of("content-type", "content-length", "content-range", "etag",
            "last-modified", "www-authenticate", "x-sample-filter");
    // X-Sample-Count (the filter's request counter) is left out: it counts the readiness polls too.

    private SampleAppExchange() {}

    /** How many lines of {@code out} contain {@code needle}. */
    static long lines(String out, String needle) {
        return out.lines().filter(l -> l.contains(needle)).count();
    }

    /** The agent's output with {@code -Dringside.enabled=false}: one line says so; nothing found, nothing served. */
    static void assertDisabled(String out) {
        assertEquals(1, lines(out, "ringside: disabled by -Dringside.enabled"), out);
        assertFalse(out.contains("ringside: found"), out);
        assertFalse(out.contains("ringside: active"), out);
        assertFalse(out.contains("Ringside serves /"), out);
    }

    /**
     * That a recording of the agent's container holds {@code dev.ringside.Request} events for the
     * sample's requests as routed: its stylesheet sent by the loop, its servlet by the container.
     */
    static void assertRouted(List<jdk.jfr.consumer.RecordedEvent> events, String context) {
        List<jdk.jfr.consumer.RecordedEvent> requests = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.ringside.Request")).toList();
        assertTrue(requests.stream().anyMatch(e -> (context + "/css/site.css").equals(e.getString("path"))
                        && "static".equals(e.getString("route")) && e.getInt("status") == 200 && e.getLong("bytes") > 0),
                () -> "the stylesheet, static: " + requests);
        assertTrue(requests.stream().anyMatch(e -> (context + "/hello").equals(e.getString("path"))
                        && "offloaded".equals(e.getString("route")) && e.getInt("status") == 200 && e.getBoolean("completed")),
                () -> "the servlet, offloaded: " + requests);
    }

    /** One answer, reduced to what must not change. */
    record Answer(int status, Map<String, List<String>> headers, String body) {}

    /** The same requests, in the same order, on a fresh client (so each instance sees the same session history). */
    /**
     * The edges of HTTP/1.1 ({@link RequestShapes}: HTTP/1.0, keep-alive, Expect, ranges, {@code *}
     * preconditions, odd methods and paths, pipelined mixes), each written raw to the container alone
     * and to it with the agent: the same bytes back, status lines and field order included, up to
     * the sample filter's X-Sample-Count (how many requests that JVM's filter has seen).
     */
    static Stream<DynamicTest> sameBytes(String name, ContainerProcess alone, ContainerProcess withAgent) {
        return RequestShapes.all(ContainerProcess.CONTEXT, "css/site.css", "hello").stream()
                .map(shape -> dynamicTest(name + ": " + shape.name(), () -> RawTranscript.assertSame(
                        alone.port(), withAgent.port(), SampleAppExchange::uncounted, shape.requests())));
    }

    private static String uncounted(String transcript) {
        return transcript.replaceAll("X-Sample-Count: [0-9]+", "X-Sample-Count: <n>");
    }

    static Map<String, Answer> exchange(ContainerProcess t) throws Exception {
        Map<String, Answer> answers = new LinkedHashMap<>();
        // HTTP/1.1 only: by default java.net.http asks for h2c, which a Jetty with the http2c module
        // then speaks, and its HTTP/2 streams were the one flaky part of these comparisons.
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            answers.put("GET /hello", send(client, get(t, "/hello")));
            answers.put("GET /css/site.css", send(client, get(t, "/css/site.css")));
            answers.put("GET /", send(client, get(t, "/")));

            HttpResponse<String> first = client.send(get(t, "/session").build(), HttpResponse.BodyHandlers.ofString());
            answers.put("GET /session (new)", reduce(first, first.body()));
            String cookie = first.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
            assertTrue(cookie.startsWith("JSESSIONID="), cookie);
            answers.put("GET /session (cookie)", send(client, get(t, "/session").header("Cookie", cookie)));

            answers.put("POST /form", send(client, HttpRequest.newBuilder(t.uri("/form"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("b=x+y&a=1"))));
            answers.put("GET /fail", send(client, get(t, "/fail")));
            answers.put("GET /secure/ (anonymous)", send(client, get(t, "/secure/")));
            String basic = Base64.getEncoder().encodeToString((ContainerProcess.USER + ":" + ContainerProcess.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            answers.put("GET /secure/ (user)", send(client, get(t, "/secure/").header("Authorization", "Basic " + basic)));

            // The JSP prints Instant.now(): its time line is normalised, and its Content-Length (the
            // length of that instant, 3, 6 or 9 fraction digits) dropped.
            HttpResponse<String> jsp = client.send(get(t, "/time.jsp?who=ringside").build(), HttpResponse.BodyHandlers.ofString());
            Answer jspAnswer = reduce(jsp, jsp.body().replaceAll("time=[0-9T:.Z-]+", "time=<now>"));
            jspAnswer.headers().remove("content-length");
            answers.put("GET /time.jsp", jspAnswer);

            answers.put("GET /js/app.js (range)", send(client, get(t, "/js/app.js").header("Range", "bytes=5-24")));
            // Revalidation with the validator the container gave: Tomcat sends an ETag, Jetty's default
            // servlet only Last-Modified (its "etags" init-param is off by default).
            Map<String, List<String>> css = answers.get("GET /css/site.css").headers();
            answers.put("GET /css/site.css (revalidate)", send(client, css.containsKey("etag")
                    ? get(t, "/css/site.css").header("If-None-Match", css.get("etag").getFirst())
                    : get(t, "/css/site.css").header("If-Modified-Since", css.get("last-modified").getFirst())));
            answers.put("GET /no-such-page", send(client, get(t, "/no-such-page")));
        }
        return answers;
    }

    private static HttpRequest.Builder get(ContainerProcess t, String path) {
        return HttpRequest.newBuilder(t.uri(path)).timeout(Duration.ofSeconds(10));
    }

    private static Answer send(HttpClient client, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return reduce(r, r.body());
    }

    private static Answer reduce(HttpResponse<?> r, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h : HEADERS) {
            List<String> values = r.headers().allValues(h);
            if (!values.isEmpty()) headers.put(h, new ArrayList<>(values));
        }
        // A 304 has no content to count. Jetty alone says Content-Length: 0 (which RFC 9110 §8.6 forbids
        // unless a 200 would be empty); Ringside's static path, like Tomcat, leaves the field out.
        if (r.statusCode() == 304) headers.remove("content-length");
        // Jetty's own error pages print the request URI, port included: the port is normalised, and the
        // Content-Length (which counts its digits) dropped.
        String authority = r.request().uri().getRawAuthority();
        if (body.contains(authority)) {
            body = body.replace(authority, "127.0.0.1:<port>");
            headers.remove("content-length");
        }
        return new Answer(r.statusCode(), headers, body);
    }

    /**
     * That {@code actual} is {@code expected}, request by request, after checking that {@code expected} is what
     * the sample app answers at all; {@code wwwAuthenticate} is the container's own BASIC challenge for realm
     * {@code sample} (Tomcat adds {@code charset=UTF-8}, Jetty does not).
     */
    static void assertSameAnswers(Map<String, Answer> expected, Map<String, Answer> actual, String wwwAuthenticate) {
        // First, that the reference is what the sample app answers at all: a comparison of two broken runs proves nothing.
        assertAnswer(expected, "GET /hello", 200, "hello");
        assertEquals(List.of("on"), expected.get("GET /hello").headers().get("x-sample-filter"));
        assertEquals(200, expected.get("GET /css/site.css").status());
        assertEquals(List.of("text/css"), expected.get("GET /css/site.css").headers().get("content-type"));
        assertAnswer(expected, "GET /session (new)", 200, "1");
        assertAnswer(expected, "GET /session (cookie)", 200, "2");
        assertAnswer(expected, "POST /form", 200, "{\"a\":[\"1\"],\"b\":[\"x y\"]}");
        assertEquals(500, expected.get("GET /fail").status());
        assertTrue(expected.get("GET /fail").body().contains("Sample error page"), expected.get("GET /fail").body());
        assertEquals(401, expected.get("GET /secure/ (anonymous)").status());
        assertEquals(List.of(wwwAuthenticate), expected.get("GET /secure/ (anonymous)").headers().get("www-authenticate"));
        assertEquals(200, expected.get("GET /secure/ (user)").status());
        assertEquals(200, expected.get("GET /time.jsp").status());
        assertTrue(expected.get("GET /time.jsp").body().contains("time=<now>"), expected.get("GET /time.jsp").body());
        assertEquals(206, expected.get("GET /js/app.js (range)").status());
        assertEquals(20, expected.get("GET /js/app.js (range)").body().length());
        assertEquals(304, expected.get("GET /css/site.css (revalidate)").status());
        assertEquals(404, expected.get("GET /no-such-page").status());

        assertEquals(expected.keySet(), actual.keySet());
        for (String request : expected.keySet()) {
            assertEquals(expected.get(request), actual.get(request), request);
        }
    }

    /**
     * The sample's WebSocket endpoint ({@code /ws/echo}) echoes, in order, a short message, one of 5000
     * characters, then 200 of 4000 (enough to cross a tunnel's buffers many times over, both ways), and the
     * session closes normally.
     */
    static void assertWebSocketEchoes(ContainerProcess t) throws Exception {
        assertEquals(List.of("hello", "x".repeat(5000) + 1, "bye"), webSocketEcho(t, "hello", "x".repeat(5000) + 1, "bye"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(i + ":" + "y".repeat(4000));
        }
        List<String> echoed = webSocketEcho(t, many.toArray(String[]::new));
        assertEquals(many.size(), echoed.size());
        assertTrue(many.equals(echoed), "200 messages echoed in order by " + t.port());
    }

    /** The messages echoed (whole, in order; fewer if one does not come back), then a normal close. */
    private static List<String> webSocketEcho(ContainerProcess t, String... messages) throws Exception {
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        List<String> out = new ArrayList<>();
        try (HttpClient client = HttpClient.newHttpClient()) {
            WebSocket ws = client.newWebSocketBuilder().buildAsync(
                    URI.create(t.uri("/ws/echo").toString().replaceFirst("^http", "ws")),
                    new WebSocket.Listener() {
                        private final StringBuilder message = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            message.append(data);
                            if (last) {
                                got.add(message.toString());
                                message.setLength(0);
                            }
                            w.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            for (String m : messages) {
                ws.sendText(m, true).get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < messages.length; i++) {
                String m = got.poll(10, TimeUnit.SECONDS);
                if (m == null) {
                    break;
                }
                out.add(m);
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
        return out;
    }

    private static void assertAnswer(Map<String, Answer> answers, String request, int status, String body) {
        Answer a = answers.get(request);
        assertEquals(status, a.status(), request);
        assertEquals(body, a.body().strip(), request);
    }
}
