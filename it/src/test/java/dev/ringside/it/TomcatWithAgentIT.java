package dev.ringside.it;

import dev.ringside.it.containers.TomcatDistribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The sample WAR in a real Tomcat 11 distribution (server and web-app class loaders, catalina.sh),
 * without the agent, with it, and with it disabled: the same answers to the same requests, and the
 * agent's own log lines only where it runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TomcatWithAgentIT {
    private static final Duration START = Duration.ofSeconds(60);
    /** Headers whose values must be the same with and without the agent (Date, Set-Cookie ids, ... differ by nature). */
    private static final List<String> HEADERS = List.of("content-type", "content-length", "content-range", "etag",
            "last-modified", "www-authenticate", "x-sample-filter");
    // X-Sample-Count (the filter's request counter) is left out: it counts the readiness polls too.

    private TomcatDistribution.Instance plain;
    private TomcatDistribution.Instance agent;
    private TomcatDistribution.Instance disabled;
    private Map<String, Answer> reference;

    @BeforeAll
    void startAll() throws Exception {
        String javaagent = "-javaagent:" + AgentRun.agentJar().toAbsolutePath() + " --enable-native-access=ALL-UNNAMED";
        try {
            // Launched together, awaited one by one: the three start in the time of about two.
            plain = TomcatDistribution.launch("plain", "");
            agent = TomcatDistribution.launch("agent", javaagent);
            disabled = TomcatDistribution.launch("disabled", javaagent + " -Dringside.enabled=false");
            plain.awaitReady(START);
            agent.awaitReady(START);
            disabled.awaitReady(START);
            reference = exchange(plain);
        } catch (Throwable t) {
            stopAll();
            throw t;
        }
    }

    @AfterAll
    void stopAll() throws Exception {
        for (TomcatDistribution.Instance i : new TomcatDistribution.Instance[] {plain, agent, disabled}) {
            if (i != null) i.close();
        }
    }

    @Test
    void withoutTheAgentNothingOfRingsideIsSaid() throws Exception {
        String out = plain.consoleOutput();
        assertTrue(out.contains("Server startup"), out);
        assertFalse(out.contains("ringside:"), out);
    }

    @Test
    void theAgentIsActiveAndFindsTomcatsConnectorInTheServerLoader() throws Exception {
        String out = agent.consoleOutput();
        assertEquals(1, lines(out, "ringside: active"), out);
        // catalina.sh puts only bootstrap.jar and tomcat-juli.jar on the class path; Bootstrap defines
        // Connector in its "common" loader (catalina.properties' common.loader), an unnamed URLClassLoader,
        // which the agent names by its class. Not the application class loader, not the web-app loader.
        assertEquals(1, lines(out, "ringside: found Tomcat (org.apache.catalina.connector.Connector in java.net.URLClassLoader)"), out);
        assertEquals(1, lines(out, "ringside: found Tomcat"), out);
    }

    @Test
    void theAgentAnswersExactlyAsTomcatAlone() throws Exception {
        assertSameAnswers(reference, exchange(agent));
    }

    @Test
    void disabledItSaysSoAndAnswersExactlyAsTomcatAlone() throws Exception {
        String out = disabled.consoleOutput();
        assertEquals(1, lines(out, "ringside: disabled by -Dringside.enabled"), out);
        assertFalse(out.contains("found Tomcat"), out);
        assertFalse(out.contains("ringside: active"), out);
        assertSameAnswers(reference, exchange(disabled));
    }

    private static long lines(String out, String needle) {
        return out.lines().filter(l -> l.contains(needle)).count();
    }

    /** One answer, reduced to what must not change. */
    record Answer(int status, Map<String, List<String>> headers, String body) {}

    /** The same requests, in the same order, on a fresh client (so each instance sees the same session history). */
    private static Map<String, Answer> exchange(TomcatDistribution.Instance t) throws Exception {
        Map<String, Answer> answers = new LinkedHashMap<>();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
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
            String basic = Base64.getEncoder().encodeToString((TomcatDistribution.USER + ":" + TomcatDistribution.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            answers.put("GET /secure/ (user)", send(client, get(t, "/secure/").header("Authorization", "Basic " + basic)));

            // The JSP prints Instant.now(): its time line is normalised, and its Content-Length (the
            // length of that instant, 3, 6 or 9 fraction digits) dropped.
            HttpResponse<String> jsp = client.send(get(t, "/time.jsp?who=ringside").build(), HttpResponse.BodyHandlers.ofString());
            Answer jspAnswer = reduce(jsp, jsp.body().replaceAll("time=[0-9T:.Z-]+", "time=<now>"));
            jspAnswer.headers().remove("content-length");
            answers.put("GET /time.jsp", jspAnswer);

            answers.put("GET /js/app.js (range)", send(client, get(t, "/js/app.js").header("Range", "bytes=5-24")));
            answers.put("GET /css/site.css (if-none-match)", send(client, get(t, "/css/site.css")
                    .header("If-None-Match", answers.get("GET /css/site.css").headers().get("etag").getFirst())));
            answers.put("GET /no-such-page", send(client, get(t, "/no-such-page")));
        }
        return answers;
    }

    private static HttpRequest.Builder get(TomcatDistribution.Instance t, String path) {
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
        return new Answer(r.statusCode(), headers, body);
    }

    private static void assertSameAnswers(Map<String, Answer> expected, Map<String, Answer> actual) {
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
        assertEquals(List.of("Basic realm=\"sample\", charset=UTF-8"), expected.get("GET /secure/ (anonymous)").headers().get("www-authenticate"));
        assertEquals(200, expected.get("GET /secure/ (user)").status());
        assertEquals(200, expected.get("GET /time.jsp").status());
        assertTrue(expected.get("GET /time.jsp").body().contains("time=<now>"), expected.get("GET /time.jsp").body());
        assertEquals(206, expected.get("GET /js/app.js (range)").status());
        assertEquals(20, expected.get("GET /js/app.js (range)").body().length());
        assertEquals(304, expected.get("GET /css/site.css (if-none-match)").status());
        assertEquals(404, expected.get("GET /no-such-page").status());

        assertEquals(expected.keySet(), actual.keySet());
        for (String request : expected.keySet()) {
            assertEquals(expected.get(request), actual.get(request), request);
        }
    }

    private static void assertAnswer(Map<String, Answer> answers, String request, int status, String body) {
        Answer a = answers.get(request);
        assertEquals(status, a.status(), request);
        assertEquals(body, a.body().strip(), request);
    }
}
