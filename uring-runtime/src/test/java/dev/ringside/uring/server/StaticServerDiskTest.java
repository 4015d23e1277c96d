package dev.ringside.uring.server;

import dev.ringside.uring.http.HttpServerStats;
import dev.ringside.uring.testing.RawHttp;
import dev.ringside.uring.testing.RunningServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The loop never waits for the disk: what may block (opening, stating, reading a file not yet
 * cached) runs on the file threads while the loop answers everything else. A FIFO in the document
 * root is a file whose open blocks for as long as the test likes (until a writer opens it), with
 * no test seam in the server.
 */
class StaticServerDiskTest {
    @TempDir
    static Path root;

    @BeforeAll
    static void files() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        Files.writeString(root.resolve("other.txt"), "other\n");
    }

    @Test
    void cachedAndOtherFilesAreAnsweredWhileAnOpenIsStuckInTheKernel() throws Exception {
        Path fifo = fifo("stuck.fifo");
        try (RunningServer server = RunningServer.start(root, RunningServer.smallConfig());
             RawHttp stuck = new RawHttp(server.port());
             RawHttp other = new RawHttp(server.port())) {
            assertEquals("hello\n", other.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            stuck.send("GET /stuck.fifo HTTP/1.1\r\nHost: x\r\n\r\n");
            awaitStats(server, s -> s.offLoopWork == 2, "the FIFO's open handed to a file thread");

            // The loop's one thread serves on: a cached file, and a miss of its own on another file thread.
            for (int i = 0; i < 20; i++) {
                assertEquals("hello\n", other.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            }
            assertEquals("other\n", other.send("GET /other.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());

            release(fifo);
            RawHttp.Response answer = stuck.read();
            assertEquals(404, answer.status(), "a FIFO is not a file to send");
            assertEquals(404, stuck.send("GET /stuck.fifo HTTP/1.1\r\nHost: x\r\n\r\n").read().status(),
                    "the same keep-alive connection goes on");
        } finally {
            Files.delete(fifo);
        }
    }

    @Test
    void withOneFileThreadAStuckOpenHoldsTheOtherMissesButNoCachedFile() throws Exception {
        Path fifo = fifo("one-thread.fifo");
        try (RunningServer server = RunningServer.start(root, RunningServer.smallConfig().withFileThreads(1));
             RawHttp stuck = new RawHttp(server.port());
             RawHttp miss = new RawHttp(server.port());
             RawHttp hit = new RawHttp(server.port())) {
            assertEquals("hello\n", hit.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            stuck.send("GET /one-thread.fifo HTTP/1.1\r\nHost: x\r\n\r\n");
            awaitStats(server, s -> s.offLoopWork == 2, "the FIFO's open on the one file thread");
            miss.send("GET /other.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            awaitStats(server, s -> s.offLoopWork == 3, "the other miss queued behind it");
            for (int i = 0; i < 5; i++) {
                assertEquals("hello\n", hit.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            }
            release(fifo);
            assertEquals(404, stuck.read().status());
            assertEquals("other\n", miss.read().text());
        } finally {
            Files.delete(fifo);
        }
    }

    @Test
    void requestsForOneUncachedPathWaitForOneLoad() throws Exception {
        Path fifo = fifo("shared.fifo");
        List<RawHttp> clients = new ArrayList<>();
        try (RunningServer server = RunningServer.start(root, RunningServer.smallConfig())) {
            try {
                for (int i = 0; i < 8; i++) {
                    RawHttp c = new RawHttp(server.port());
                    clients.add(c);
                    c.send("GET /shared.fifo HTTP/1.1\r\nHost: x\r\n\r\n");
                }
                awaitStats(server, s -> s.offLoopWaits == 8, "eight requests waiting");
                assertEquals(1, server.stats().offLoopWork, "one open for all of them");
                release(fifo);
                for (RawHttp c : clients) {
                    assertEquals(404, c.read().status());
                }
            } finally {
                for (RawHttp c : clients) {
                    c.close();
                }
            }
        } finally {
            Files.delete(fifo);
        }
    }

    @Test
    void aMissingPathIsLookedForOncePerValidityPeriodNotPerRequest() throws Exception {
        StaticServer.CacheConfig longValidity = new StaticServer.CacheConfig(4096, 64L << 20, 64L << 10, 600_000);
        int before = dev.ringside.uring.testing.FdCount.now();
        try (StaticServer server = StaticServer.start(root, RunningServer.smallConfig(), longValidity);
             RawHttp c = new RawHttp(server.port())) {
            for (int i = 0; i < 10; i++) {
                assertEquals(404, c.send("GET /nowhere.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
            assertEquals(1, server.stats().offLoopWork, "one trip to the disk");
            assertEquals(1, server.stats().offLoopWaits, "the first request waited; the others were answered from memory");
        }
        assertEquals(before, dev.ringside.uring.testing.FdCount.now());
    }

    @Test
    void aCachedFileIsReCheckedOffTheLoopAndAChangeIsSeen() throws Exception {
        Path file = root.resolve("changing.txt");
        Files.writeString(file, "one\n");
        // A validity of zero: every request re-checks the file, off the loop.
        StaticServer.CacheConfig always = new StaticServer.CacheConfig(4096, 64L << 20, 64L << 10, 0);
        try (StaticServer server = StaticServer.start(root, RunningServer.smallConfig(), always);
             RawHttp c = new RawHttp(server.port())) {
            assertEquals("one\n", c.send("GET /changing.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            long work = server.stats().offLoopWork;
            assertEquals("one\n", c.send("GET /changing.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            assertTrue(server.stats().offLoopWork > work, "the re-check ran as off-loop work");
            Files.writeString(file, "two, longer\n");
            assertEquals("two, longer\n", c.send("GET /changing.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
        } finally {
            Files.delete(file);
        }
    }

    private static Path fifo(String name) throws Exception {
        Path p = root.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, mk.waitFor());
        return p;
    }

    /** Opens the FIFO for writing, which lets the server's open return, and closes it again. */
    private static void release(Path fifo) throws Exception {
        try (FileOutputStream unused = new FileOutputStream(fifo.toFile())) {
            // the reader's open returns now; it finds no regular file
        }
    }

    private static void awaitStats(RunningServer server, Predicate<HttpServerStats> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.test(server.stats())) {
            assertTrue(System.nanoTime() < deadline, () -> what + ", not within 10 s: " + server.stats());
            Thread.sleep(5);
        }
    }
}
