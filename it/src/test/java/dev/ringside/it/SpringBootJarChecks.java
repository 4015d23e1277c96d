package dev.ringside.it;

import dev.ringside.uring.testing.RawTranscript;
import dev.ringside.uring.testing.RequestShapes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * A Spring Boot fat jar as its users run it, {@code java -javaagent:… -jar app.jar}, beside the
 * same jar without the agent: the same answers to the same requests (an upload included). The
 * subclasses add what each embedded container shows of the agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SpringBootJarChecks {
    private static final List<String> PATHS = List.of("/api/greeting?name=ring", "/api/items/7", "/api/items/-1",
            "/", "/app.css", "/missing");
    private static final List<String> HEADERS = List.of("content-type", "content-length");

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Path plainLog;
    Path agentLog;
    int plainPort;
    int agentPort;

    /** The system property (set by the it pom) naming the packaged jar. */
    abstract String jarProperty();

    /** The port of the jar run with the agent. */
    public int agentPort() {
        return agentPort;
    }

    Process plainProcess() {
        return processes.get(0);
    }

    Process agentProcess() {
        return processes.get(1);
    }

    @BeforeAll
    void start() throws Exception {
        plainPort = freePort();
        agentPort = freePort();
        plainLog = Files.createTempFile("boot-plain", ".log");
        agentLog = Files.createTempFile("boot-agent", ".log");
        launch(List.of(), plainPort, plainLog);
        // The standalone server's body limit, so the runtime's rejection table holds as written
        // (behind the agent the default is none: the container decides).
        launch(List.of("-javaagent:" + AgentRun.agentJar().toAbsolutePath(), "--enable-native-access=ALL-UNNAMED",
                "-Dringside.maxBodyBytes=" + RejectsMalformedChunkedBodies.BODY_LIMIT), agentPort, agentLog);
        awaitReady(plainPort, plainLog);
        awaitReady(agentPort, agentLog);
    }

    @AfterAll
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        client.close();
        for (Path log : new Path[] {plainLog, agentLog}) {
            if (log != null) Files.deleteIfExists(log);
        }
    }

    private void launch(List<String> jvmArgs, int port, Path log) throws Exception {
        Path jar = Path.of(System.getProperty(jarProperty()));
        assertTrue(Files.isRegularFile(jar), "the packaged sample (run with ./mvnw verify): " + jar);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("RINGSIDE_"));
        processes.add(pb.start());
    }

    private void awaitReady(int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                if (get(port, "/api/items/1").statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        fail("Spring Boot did not start:\n" + Files.readString(log));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> answer(int port, String path) throws Exception {
        HttpResponse<String> r = get(port, path);
        Map<String, String> a = new LinkedHashMap<>();
        a.put("status", String.valueOf(r.statusCode()));
        // Spring's error bodies carry a timestamp; their status and type are what must agree.
        a.put("body", r.statusCode() >= 400 ? "(error body)" : r.body());
        for (String h : HEADERS) {
            if (r.statusCode() < 400 || !h.equals("content-length")) {
                a.put(h, r.headers().firstValue(h).orElse(null));
            }
        }
        return a;
    }

    @Test
    void theSameAnswersWithAndWithoutTheAgent() throws Exception {
        Map<String, String> greeting = answer(plainPort, "/api/greeting?name=ring");
        assertEquals("200", greeting.get("status"));
        assertTrue(greeting.get("body").contains("hello, ring"), greeting.toString());
        for (String path : PATHS) {
            assertEquals(answer(plainPort, path), answer(agentPort, path), path);
        }
    }

    /**
     * The edges of HTTP/1.1 ({@link RequestShapes}), each written raw with and without the agent:
     * the same bytes back, up to the instant in Spring's error bodies.
     */
    @TestFactory
    Stream<DynamicTest> everyAnswerIsTheContainersByteForByte() {
        return RequestShapes.all("", "app.css", "api/greeting").stream()
                .map(shape -> dynamicTest(shape.name(), () -> RawTranscript.assertSame(
                        plainPort, agentPort, SpringBootJarChecks::untimed, shape.requests())));
    }

    private static String untimed(String transcript) {
        String untimed = transcript.replaceAll("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"<now>\"");
        // The instant's length (its fraction digits) changes a chunked error body's size.
        return untimed.equals(transcript) ? transcript : RawTranscript.withoutChunkSizes(untimed);
    }

    @Test
    void aMultipartUploadIsAnsweredTheSame() throws Exception {
        byte[] file = new byte[3 << 20];
        new java.util.Random(9).nextBytes(file);
        String boundary = "ringside-boundary-7";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        List<String> answers = new ArrayList<>();
        for (int port : new int[] {plainPort, agentPort}) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/upload"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            answers.add(r.statusCode() + " " + r.body());
        }
        assertEquals("200 {\"name\":\"file\",\"filename\":\"data.bin\",\"size\":" + file.length + "}", answers.get(0));
        assertEquals(answers.get(0), answers.get(1));
    }

    /**
     * The agent's output: active once, and {@code container}'s connector class found once, in the
     * loader Spring Boot's launcher defines the application in (where the adapter is defined); and
     * nothing of Ringside in the plain run's output.
     */
    String assertAgentFound(String container, String connectorClass) throws Exception {
        String out = Files.readString(agentLog);
        assertEquals(1, out.lines().filter(l -> l.contains("ringside: active")).count(), out);
        List<String> found = out.lines().filter(l -> l.contains("ringside: found ")).toList();
        assertEquals(1, found.size(), out);
        assertTrue(found.getFirst().contains("ringside: found " + container + " (" + connectorClass
                + " in org.springframework.boot.loader"), found.getFirst());
        assertFalse(Files.readString(plainLog).contains("ringside:"));
        return out;
    }

    static long ioUringDescriptors(Process p) throws Exception {
        try (var fds = Files.list(Path.of("/proc", Long.toString(p.pid()), "fd"))) {
            return fds.filter(f -> {
                try {
                    return Files.readSymbolicLink(f).toString().equals("anon_inode:[io_uring]");
                } catch (java.io.IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
