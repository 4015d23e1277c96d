package dev.ringside.uring.events;

import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.http.OffloadedExchange;
import dev.ringside.uring.server.HttpServer;
import dev.ringside.uring.testing.RawHttp;
import dev.ringside.uring.testing.RunningServer;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Ringside's own JFR events, read back from a real recording: a request event per answer with
 * its route, status and bytes; a stalled loop turn; each loop's batches once a period.
 */
class RingsideEventsTest {
    @TempDir
    Path dir;

    private static Recording recording() {
        Recording r = new Recording();
        r.enable("dev.ringside.Request").withThreshold(Duration.ZERO);
        r.enable("dev.ringside.LoopStall");
        r.enable("dev.ringside.OffLoopWork").withThreshold(Duration.ZERO);
        // At the recording's start and end (a chunk's), so the test waits for no period to pass.
        r.enable("dev.ringside.LoopActivity").with("period", "everyChunk");
        return r;
    }

    private List<RecordedEvent> stop(Recording r) throws Exception {
        r.stop();
        Path f = dir.resolve("events.jfr");
        r.dump(f);
        r.close();
        return RecordingFile.readAllEvents(f);
    }

    private static RecordedEvent one(List<RecordedEvent> events, Predicate<RecordedEvent> which, String what) {
        List<RecordedEvent> found = events.stream().filter(which).toList();
        assertEquals(1, found.size(), () -> what + ": " + found);
        return found.getFirst();
    }

    private static boolean request(RecordedEvent e, String path) {
        return e.getEventType().getName().equals("dev.ringside.Request") && path.equals(e.getString("path"));
    }

    @Test
    void eachAnswerOfTheLoopIsARequestEventWithItsRouteStatusAndBytes() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello\n");
        Recording r = recording();
        r.start();
        try (RunningServer server = RunningServer.start(dir, RunningServer.smallConfig());
             RawHttp c = new RawHttp(server.port())) {
            assertEquals(200, c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertEquals(404, c.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            try (RawHttp bad = new RawHttp(server.port())) {
                assertEquals(400, bad.send("GET /x HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n").read().status());
            }
        }
        List<RecordedEvent> events = stop(r);
        RecordedEvent hit = one(events, e -> request(e, "/hello.txt"), "the file");
        assertEquals("static", hit.getString("route"));
        assertEquals("GET", hit.getString("method"));
        assertEquals(200, hit.getInt("status"));
        assertTrue(hit.getLong("bytes") > 6, "head and body: " + hit.getLong("bytes"));
        assertTrue(hit.getBoolean("completed"));
        assertEquals(404, one(events, e -> request(e, "/nowhere"), "the miss").getInt("status"));
        RecordedEvent rejected = one(events, e -> e.getEventType().getName().equals("dev.ringside.Request")
                && "rejected".equals(e.getString("route")), "the malformed one");
        assertEquals(400, rejected.getInt("status"));
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.ringside.OffLoopWork")
                && e.getString("work").contains("hello.txt")), "the file's load off the loop");
    }

    @Test
    void anOffloadedAnswerCarriesTheWorkersFinalStatusAndAStalledTurnIsSaid() throws Exception {
        Recording r = recording();
        r.start();
        HttpServerConfig config = RunningServer.smallConfig();
        HttpServer server = HttpServer.start(config, loop -> exchange -> {
            String path = exchange.request().path(exchange.segment());
            if (path.equals("/stall")) {
                try {
                    Thread.sleep(40); // a handler that blocks its loop: what LoopStall is for
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.respondStatus(204, null, false);
                return;
            }
            OffloadedExchange x = exchange.offload();
            Thread.ofPlatform().start(() -> {
                try {
                    if (x.continuePending()) {
                        x.sendContinue();
                    }
                    byte[] a = "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
                    x.write(a, 0, a.length);
                    x.complete(false);
                } catch (Exception e) {
                    x.abort();
                }
            });
        });
        List<RecordedEvent> events;
        try {
            try (RawHttp c = new RawHttp(server.port())) {
                assertEquals(201, c.send("GET /worker HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
                c.send("POST /expecting HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
                assertEquals(100, c.read().status());
                c.send("hi");
                assertEquals(201, c.read().status()); // and the close: the worker left the body unread
            }
            try (RawHttp c = new RawHttp(server.port())) {
                assertEquals(204, c.send("GET /stall HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
            events = stop(r); // while the server runs: the last LoopActivity comes at the recording's end
        } finally {
            server.close();
        }
        RecordedEvent worker = one(events, e -> request(e, "/worker"), "the offloaded one");
        assertEquals("offloaded", worker.getString("route"));
        assertEquals(201, worker.getInt("status"));
        assertEquals(201, one(events, e -> request(e, "/expecting"), "after a 100").getInt("status"),
                "the final status, not the interim 100");
        RecordedEvent stall = events.stream().filter(e -> e.getEventType().getName().equals("dev.ringside.LoopStall"))
                .findFirst().orElseThrow(() -> new AssertionError("no LoopStall in " + events.size() + " events"));
        assertTrue(stall.getLong("turn") >= 40_000_000L, "the turn's length: " + stall.getLong("turn"));
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.ringside.LoopActivity")
                && e.getLong("turns") > 0 && e.getLong("completions") > 0), "each loop's batches");
    }
}
