package dev.ringside.it;

import dev.ringside.it.Faults.Got;
import dev.ringside.it.Faults.Settled;
import dev.ringside.it.Faults.Snapshot;
import dev.ringside.it.containers.ContainerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static dev.ringside.it.Faults.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The loop survives what a worker, the kernel or a client can do (issue 13), in agent mode: the sample WAR in
 * a real container distribution with the agent and two loops, and one fault at a time. After each, every loop
 * answers fresh connections ({@link Faults#FRESH} new sockets, LoopsAlive == Loops), the server JVM's
 * descriptors and the loops' gauges come back to where they were within 10 s, and no client got a byte that
 * was not its own answer's. One container per class; each case is bounded in connections and time. The
 * container's own timeout, which the adapters use as the write timeout of an offloaded answer, is set short
 * ({@link #WRITE_TIMEOUT_MS}); the sample's async timeout is the request's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FaultsInAgentMode {
    /** Tomcat's connectionTimeout, Jetty's idle timeout: the write timeout of an offloaded answer. */
    static final int WRITE_TIMEOUT_MS = 2000;
    static final List<String> AGENT = List.of("-javaagent:" + AgentRun.agentJar().toAbsolutePath(),
            "--enable-native-access=ALL-UNNAMED", "-Dringside.threads=2");

    private ContainerProcess container;
    private Faults.Server server;
    private int port;
    private final List<String> figures = new ArrayList<>();

    /** The container, launched with {@link #AGENT} and {@link #WRITE_TIMEOUT_MS}; awaited by the caller. */
    abstract ContainerProcess launch() throws Exception;

    abstract String name();

    @BeforeAll
    void start() throws Exception {
        container = launch();
        try {
            container.awaitReady(Duration.ofSeconds(60));
            port = container.port();
            // Both lay the WAR out in <base>/webapps/servlet-app (Tomcat unpacks it there, the Jetty launch explodes it).
            writeStallFile(container.base().resolve("webapps").resolve(ContainerProcess.CONTEXT.substring(1)));
            server = new Faults.Server(container);
            warmUp();
        } catch (Throwable t) {
            stop();
            throw t;
        }
    }

    /**
     * One of every kind of answer the cases ask for, and a few downloads at once, before any baseline: the
     * container compiles its error page, loads classes and fills its pools when first asked, not per request.
     */
    private void warmUp() throws Exception {
        assertOwn(fetch(port, BIG), big(), "warm-up big.bin");
        assertOwn(fetch(port, token("warm", 100_000, "")), tokenBody("warm", 100_000), "warm-up token");
        assertEquals(500, fetch(port, token("warm-fail", 1, "&fail=before")).status());
        fetch(port, token("warm-after", 100_000, "&fail=after"));
        assertEquals(500, fetch(port, token("warm-async", 1, "&async=never&timeout=200")).status());
        assertOwn(upload(port, "warm-up", 100_000).call(), tokenBody("warm-up", 100_000), "warm-up upload");
        List<Callable<Integer>> downloads = new ArrayList<>();
        for (int i = 0; i < 4; i++) downloads.add(downloader(port, "warm-" + i, 1));
        concurrently(downloads, 60);
        freshConnections(port, "warm");
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.close();
        if (container != null) {
            String header = "| " + name() + " | case | fds before → after (all) | gauges before | gauges after | fresh | back in |";
            System.out.println(header + "\n" + String.join("\n", figures));
            Files.writeString(Path.of("target", "fault-figures-" + name().toLowerCase(java.util.Locale.ROOT) + ".md"),
                    header + "\n" + String.join("\n", figures) + "\n");
            container.close();
        }
    }

    /** Waits for what earlier requests (the warm-up's, the last case's) still hold, then takes the baseline. */
    private Snapshot baseline() throws Exception {
        Snapshot s = server.snapshot();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (s.inUse().values().stream().anyMatch(v -> v != 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            s = server.snapshot();
        }
        return s;
    }

    /**
     * The checks after a case: (b) descriptors and gauges back to {@code before} within 10 s, then (a) every
     * loop alive and {@link Faults#FRESH} fresh connections answered whole and right.
     */
    private void afterCase(String name, Snapshot before) throws Exception {
        Settled settled = server.awaitBaseline(before);
        Snapshot after = settled.snapshot();
        long[] loops = server.loops();
        int fresh = freshConnections(port, name);
        figures.add("| %s | %s | %d → %d (%d → %d) | %s | %s | %d/%d, loops %d/%d | %d ms |".formatted(name(), name,
                before.fds(), after.fds(), before.rawFds(), after.rawFds(), before.gauges(), after.gauges(),
                fresh, FRESH, loops[1], loops[0], settled.millis()));
        assertEquals(2, loops[0], "Loops");
        assertEquals(loops[0], loops[1], "LoopsAlive == Loops after " + name);
        assertEquals(before.inUse(), after.inUse(), () -> name + ": gauges not back after 10 s; console:\n" + console());
        assertTrue(after.fds() <= before.fds(), () -> name + ": descriptors " + before.fds() + " → " + after.fds()
                + " after 10 s (all: " + before.rawFds() + " → " + after.rawFds() + ")");
        assertEquals(FRESH, fresh);
    }

    private String console() {
        try {
            String out = container.consoleOutput();
            return out.length() > 20_000 ? out.substring(out.length() - 20_000) : out;
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /**
     * Readers that stop reading (a 4 KiB receive window) for longer than the write timeout, each of an
     * offloaded 16 MiB answer, while four clients download {@code /big.bin} and 2 MiB answers of their own,
     * three rounds each on keep-alive connections: those complete, byte for byte; the stalled answers are cut
     * (the write timeout closed them). What the stalled readers got is checked by
     * {@link #readersStalledPastTheWriteTimeoutGetOnlyTheirOwnBytes}.
     */
    @Test
    @Order(1)
    void readersStalledPastTheWriteTimeoutWhileOthersDownload() throws Exception {
        Snapshot before = baseline();
        List<Callable<Object>> clients = new ArrayList<>();
        int stalled = 4;
        int size = 16 * 1024 * 1024;
        for (int i = 0; i < stalled; i++) {
            clients.add(asObject(Faults.stalledReader(port, token("stall-" + i, size, ""), WRITE_TIMEOUT_MS + 1500, null)));
        }
        for (int i = 0; i < 4; i++) clients.add(asObject(downloader(port, "download-" + i, 3)));
        List<Object> got = concurrently(clients, 60);
        for (int i = 0; i < stalled; i++) {
            Got g = (Got) got.get(i);
            assertEquals(200, g.status(), g.head());
            assertFalse(g.whole(tokenBody("stall-" + i, size)), "stalled reader " + i + ": the write timeout did not cut it");
        }
        for (int i = stalled; i < got.size(); i++) assertEquals(3 * 2 * BIG_SIZE, got.get(i), "downloader " + (i - stalled));
        afterCase("stalled readers + downloads", before);
    }

    /** Two readers of offloaded 16 MiB answers stalled past the write timeout: what came before the cut is their own. */
    @Test
    @Order(2)
    void readersStalledPastTheWriteTimeoutGetOnlyTheirOwnBytes() throws Exception {
        Snapshot before = baseline();
        int size = 16 * 1024 * 1024;
        List<Callable<Got>> clients = new ArrayList<>();
        for (int i = 0; i < 2; i++) clients.add(Faults.stalledReader(port, token("own-" + i, size, ""), WRITE_TIMEOUT_MS + 1500, null));
        List<Got> got = concurrently(clients, 60);
        for (int i = 0; i < got.size(); i++) assertOwn(got.get(i), tokenBody("own-" + i, size), "stalled reader " + i);
        afterCase("stalled readers' bytes", before);
    }

    /**
     * Readers that read slowly and steadily, never stalled near the write timeout, of an offloaded 4 MiB answer
     * and of {@code /big.bin}: every send to them fills the socket and comes back short, and they get all of
     * their own bytes.
     */
    @Test
    @Order(3)
    void slowReadersGetAllTheirOwnBytes() throws Exception {
        Snapshot before = baseline();
        int size = 4 * 1024 * 1024;
        List<Got> got = concurrently(List.of(slowReader(port, token("slow", size, "")), slowReader(port, BIG)), 60);
        assertOwn(got.get(0), tokenBody("slow", size), "slow reader of an offloaded answer");
        assertTrue(got.get(0).whole(tokenBody("slow", size)), "slow reader of an offloaded answer: cut short");
        assertOwn(got.get(1), big(), "slow reader of big.bin");
        assertTrue(got.get(1).whole(big()), "slow reader of big.bin: cut short");
        afterCase("slow readers", before);
    }

    /**
     * A reader that stalls on a 32 MiB plain file, which the loop sends itself (far more than the sockets'
     * buffers take): what it gets once it reads again is its own, the loop sent it (FileResponses), and all
     * comes back after. How many connections and pipes the loops still held at the end of the stall is
     * recorded; {@link #aReaderStalledOnAStaticFileIsDroppedAfterTheWriteTimeout} asks for none.
     */
    @Test
    @Order(4)
    void aReaderStalledOnAStaticFile() throws Exception {
        Snapshot before = baseline();
        long files = server.read(List.of("FileResponses")).get("FileResponses");
        long[] held = new long[2];
        Got g = stalledOnStallFile(held);
        byte[] expected = tokenBody("static", STALL_FILE_SIZE);
        assertOwn(g, expected, "stalled reader of stall.bin");
        assertEquals(files + 1, server.read(List.of("FileResponses")).get("FileResponses"), "sent by the loop");
        afterCase("stalled static reader", before);
        figures.add("| %s | (stalled static reader, at the stall's end) | connections held %d, pipes %d; %d of %d bytes came |"
                .formatted(name(), held[0], held[1], g.body().length, STALL_FILE_SIZE));
    }

    /**
     * A container alone drops a reader stalled past its timeout on a plain file (Tomcat's sendfile and Jetty's
     * writes time out), as the adapters drop one of an offloaded answer: so does the loop, after the connector's
     * timeout (its send timeout).
     */
    @Test
    @Order(5)
    void aReaderStalledOnAStaticFileIsDroppedAfterTheWriteTimeout() throws Exception {
        Snapshot before = baseline();
        long[] held = new long[2];
        stalledOnStallFile(held);
        assertEquals(before.inUse().get("ConnectionsOpen"), held[0],
                "the loop still holds the stalled reader's connection " + (WRITE_TIMEOUT_MS + 1500) + " ms on");
    }

    /** Stalls on {@link Faults#STALL_FILE} past the write timeout; {@code held}: ConnectionsOpen and PipesInUse at the stall's end. */
    private Got stalledOnStallFile(long[] held) throws Exception {
        return Faults.stalledReader(port, STALL_FILE, WRITE_TIMEOUT_MS + 1500, () -> {
            var now = server.read(List.of("ConnectionsOpen", "PipesInUse"));
            held[0] = now.get("ConnectionsOpen");
            held[1] = now.get("PipesInUse");
            return null;
        }).call();
    }

    /**
     * Uploads announced as 1 MiB to a servlet that reads the body, of which half comes before the client closes
     * (half of them with an RST); beside them whole uploads, whose echoes are their own bytes.
     */
    @Test
    @Order(6)
    void abortedUploads() throws Exception {
        Snapshot before = baseline();
        List<Callable<Object>> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) clients.add(asObject(abortedUpload(port, 1 << 20, i % 2 == 1)));
        for (int i = 0; i < 2; i++) clients.add(asObject(upload(port, "upload-" + i, 1 << 20)));
        List<Object> got = concurrently(clients, 60);
        for (int i = 0; i < 2; i++) {
            Got g = (Got) got.get(8 + i);
            assertOwn(g, tokenBody("upload-" + i, 1 << 20), "whole upload " + i);
            assertTrue(g.whole(tokenBody("upload-" + i, 1 << 20)), "whole upload " + i + " cut short");
        }
        afterCase("aborted uploads", before);
    }

    /** Resets (SO_LINGER 0) while a large answer comes: of {@code /big.bin} and of an 8 MiB offloaded one, at 0 and 256 KiB. */
    @Test
    @Order(7)
    void resetMidResponse() throws Exception {
        Snapshot before = baseline();
        List<Callable<Object>> clients = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int keep = i < 4 ? 256 * 1024 : 0;
            if (i % 2 == 0) {
                clients.add(asObject(resetAfter(port, BIG, keep)));
                expected.add(big());
            } else {
                clients.add(asObject(resetAfter(port, token("reset-" + i, 8 << 20, ""), keep)));
                expected.add(tokenBody("reset-" + i, 8 << 20));
            }
        }
        List<Object> got = concurrently(clients, 60);
        for (int i = 0; i < 4; i++) {
            Got g = (Got) got.get(i);
            assertOwn(g, expected.get(i), "reset " + i);
            assertEquals(256 * 1024, g.body().length, "reset " + i + ": read before the reset");
        }
        afterCase("RST mid-response", before);
    }

    /**
     * Fifty connections trickling a head, a byte every 100 ms for 3 s, never ending it; halfway through, fresh
     * connections are answered. What the trickling clients got: nothing, or the loop's own 408 or 400.
     */
    @Test
    @Order(8)
    void slowloris() throws Exception {
        Snapshot before = baseline();
        int[] midway = new int[1];
        List<Got> got = Faults.slowloris(port, 50, 100, 3000, () -> midway[0] = freshConnections(port, "slowloris-midway"));
        assertEquals(FRESH, midway[0], "fresh connections answered during the slowloris");
        for (Got g : got) {
            assertTrue(g.status() == 0 || g.status() == 408 || g.status() == 400, g.head());
            assertFalse(g.text().contains("fresh"), "a trickling client got another's bytes: " + g.text());
        }
        afterCase("slowloris", before);
    }

    /**
     * A servlet that throws: before writing (the error page, 500, names the request's own URI), and after
     * 256 KiB written and flushed (the answer is cut, what came is its own); each on a connection then asked
     * for one more answer, which must be its own too.
     */
    @Test
    @Order(9)
    void aServletThatThrows() throws Exception {
        Snapshot before = baseline();
        List<Callable<Object>> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String t = "throw-" + i;
            boolean early = i % 2 == 0;
            clients.add(() -> {
                try (var s = connect(port, 0)) {
                    send(s, get(token(t, 256 * 1024, early ? "&fail=before" : "&fail=after"), false));
                    Got first = read(s.getInputStream(), Integer.MAX_VALUE);
                    if (early) {
                        assertOwnErrorPage(first, t);
                    } else {
                        assertOwn(first, tokenBody(t, 256 * 1024), t);
                    }
                    if (!first.complete()) return null; // cut (or ended by a close), as a committed answer that fails is
                    send(s, get(token(t + "-next", 1000, ""), true));
                    Got next = read(s.getInputStream(), Integer.MAX_VALUE);
                    if (next.status() != 0) assertOwn(next, tokenBody(t + "-next", 1000), t + " next");
                    return null;
                }
            });
        }
        concurrently(clients, 60);
        afterCase("servlet throws", before);
    }

    /**
     * Async started and never completed (timeout 1 s): the container's async timeout answers each, 500, on its
     * error page naming the request's own URI.
     */
    @Test
    @Order(10)
    void asyncNeverCompleted() throws Exception {
        Snapshot before = baseline();
        List<Callable<Got>> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String t = "async-" + i;
            clients.add(() -> fetch(port, token(t, 1, "&async=never&timeout=1000")));
        }
        List<Got> got = concurrently(clients, 30);
        for (int i = 0; i < got.size(); i++) assertOwnErrorPage(got.get(i), "async-" + i);
        afterCase("async never completed", before);
    }

    private static Callable<Object> asObject(Callable<?> c) {
        return c::call;
    }
}
