package dev.ringside.uring.server;

import dev.ringside.uring.testing.RawHttp;
import dev.ringside.uring.testing.RunningServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Clients that vanish at every phase of an exchange, half-close, read slowly, or arrive when
 * the process has no descriptor left. After each: the server still answers, and it holds
 * nothing of the clients that left (checked by {@link RunningServer#close()}).
 */
class StaticServerFaultTest {
    @TempDir
    static Path root;
    static final long HUGE = 100L * 1024 * 1024;

    @BeforeAll
    static void files() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        Files.write(root.resolve("large.bin"), new byte[8 * 1024 * 1024]);
        // 100 MiB whose every 8-byte word is its own offset: a torn or shifted body shows.
        try (FileChannel ch = FileChannel.open(root.resolve("huge.bin"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            for (long off = 0; off < HUGE; off += b.capacity()) {
                b.clear();
                for (int i = 0; i < b.capacity(); i += 8) {
                    b.putLong(off + i);
                }
                b.flip();
                ch.write(b, off);
            }
        }
    }

    enum Phase {
        MID_HEAD("GET /hello.txt HTTP/1.1\r\nHo", false),
        MID_BODY("POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc", false),
        MID_FILE("GET /large.bin HTTP/1.1\r\nHost: x\r\n\r\n", true),
        BETWEEN_PIPELINED("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /large.bin HTTP/1.1\r\nHost: x\r\n\r\n", true);

        final String bytes;
        final boolean readSome;

        Phase(String bytes, boolean readSome) {
            this.bytes = bytes;
            this.readSome = readSome;
        }
    }

    @ParameterizedTest(name = "{0}, reset")
    @EnumSource(Phase.class)
    void aClientResettingAtEveryPhaseLeavesNothingBehind(Phase phase) throws Exception {
        vanishAt(phase, true);
    }

    @ParameterizedTest(name = "{0}, FIN")
    @EnumSource(Phase.class)
    void aClientClosingAtEveryPhaseLeavesNothingBehind(Phase phase) throws Exception {
        vanishAt(phase, false);
    }

    private void vanishAt(Phase phase, boolean reset) throws Exception {
        try (RunningServer server = RunningServer.start(root, RunningServer.smallConfig())) {
            for (int i = 0; i < 3; i++) {
                RawHttp http = new RawHttp(server.port());
                http.send(phase.bytes);
                if (phase.readSome) {
                    http.socket().getInputStream().readNBytes(1000);
                } else {
                    Thread.sleep(20);
                }
                if (reset) {
                    http.socket().setSoLinger(true, 0);
                }
                http.close();
            }
            try (RawHttp http = new RawHttp(server.port())) {
                assertEquals("hello\n", http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            }
        }
    }

    @Test
    void aReaderThatTakesNothingForTheSendTimeoutIsDroppedAndHoldsNothing() throws Exception {
        try (RunningServer server = RunningServer.start(root, RunningServer.smallConfig()
                .withSendTimeout(java.time.Duration.ofMillis(300)));
             java.net.Socket s = new java.net.Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), server.port()));
            s.getOutputStream().write("GET /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int i = 0; i < 200 && server.stats().sendTimeouts == 0; i++) {
                Thread.sleep(50);
            }
            assertEquals(1, server.stats().sendTimeouts, "dropped: " + server.stats());
            server.awaitNothingHeld(); // its slot, pipe and file reference are back
            long got = 0;
            try (InputStream in = s.getInputStream()) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    got += n;
                }
            } catch (java.io.IOException reset) {
                // the close may reach the client as a reset
            }
            assertTrue(got < HUGE, "the answer was broken off: " + got);
        }
    }

    @Test
    void aSlowButSteadyReaderIsNeverDropped() throws Exception {
        try (RunningServer server = RunningServer.start(root, RunningServer.smallConfig()
                .withSendTimeout(java.time.Duration.ofMillis(300)));
             java.net.Socket s = new java.net.Socket()) {
            s.setReceiveBufferSize(65536);
            s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), server.port()));
            s.getOutputStream().write("GET /large.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            long got = 0;
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                got += n;
                Thread.sleep(20); // well inside the send timeout between reads
            }
            assertTrue(got > 8 * 1024 * 1024, "all of it: " + got);
            assertEquals(0, server.stats().sendTimeouts);
        }
    }

    @Test
    void aFileRewrittenInPlaceWhileItIsSentNeverGoesOutTorn() throws Exception {
        Path file = root.resolve("rewritten.bin");
        int size = 32 << 20;
        Files.write(file, filled(size, (byte) 'a'));
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
        try (RunningServer server = RunningServer.start(root, RunningServer.smallConfig().withPipes(4, 65536))) {
            long body;
            try (java.net.Socket s = new java.net.Socket()) {
                s.setReceiveBufferSize(4096); // the server gets far ahead of the client only by its own buffers
                s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
                s.getOutputStream().write("GET /rewritten.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                String head = headOf(in);
                assertTrue(head.contains("Content-Length: " + size), head);
                in.readNBytes(65536);
                // Rewritten in place while most of the body is still to be read from the file.
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(filled(size, (byte) 'b')), 0);
                }
                Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1_700_000_100_000L));
                body = 65536;
                byte[] buf = new byte[1 << 16];
                try {
                    for (int n; body < size && (n = in.read(buf, 0, (int) Math.min(buf.length, size - body))) > 0; ) {
                        body += n;
                    }
                } catch (java.net.SocketException reset) {
                    // dropped with bytes unread: as good as an EOF here
                }
            }
            assertTrue(body < size, "the connection ends short of Content-Length, so the client knows: " + body);
            try (RawHttp http = new RawHttp(server.port())) {
                byte[] again = http.send("GET /rewritten.bin HTTP/1.1\r\nHost: x\r\n\r\n").read().body();
                assertArrayEquals(filled(size, (byte) 'b'), again, "the next request gets the new file, whole");
            }
        } finally {
            Files.delete(file);
        }
    }

    private static byte[] filled(int size, byte b) {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, b);
        return bytes;
    }

    private static String headOf(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new java.io.EOFException(head.toString());
            head.append((char) c);
        }
        return head.toString();
    }

    @Test
    void aHalfClosedClientStillGetsItsAnswer() throws Exception {
        try (RunningServer server = RunningServer.start(root, RunningServer.smallConfig());
             RawHttp http = new RawHttp(server.port())) {
            http.send("GET /large.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            http.socket().shutdownOutput();
            RawHttp.Response r = http.read();
            assertEquals(200, r.status());
            assertEquals(8 * 1024 * 1024, r.body().length);
            assertTrue(http.closedByServer(), "then the server closes");
        }
    }

    @Test
    void aSlowReaderOfAHugeFileStallsOnlyItself() throws Exception {
        try (RunningServer server = RunningServer.start(root, RunningServer.smallConfig());
             RawHttp slow = new RawHttp(server.port())) {
            slow.socket().setSoTimeout(30_000);
            slow.send("GET /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            InputStream in = slow.socket().getInputStream();
            String head = new String(in.readNBytes(300), java.nio.charset.StandardCharsets.ISO_8859_1);
            int headLen = head.indexOf("\r\n\r\n") + 4;
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            // The slow reader stalls; the server must neither buffer the file nor stop serving others.
            for (int i = 0; i < 50; i++) {
                try (RawHttp other = new RawHttp(server.port())) {
                    assertEquals("hello\n", other.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
                }
            }
            var during = server.stats();
            assertTrue(during.pipesInUse <= 1 && during.headChunksInUse <= 1 && during.inputChunksInUse == 0,
                    () -> "a stalled reader holds more than its one response: " + during);
            // Then it reads everything, in order, nothing torn.
            byte[] buf = new byte[1 << 16];
            long offset = 0;
            int already = 300 - headLen;
            byte[] first = head.substring(headLen).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            ByteBuffer carry = ByteBuffer.allocate(8 + buf.length + first.length);
            carry.put(first);
            while (offset + carry.position() < HUGE) {
                int n = in.read(buf);
                assertTrue(n > 0, "EOF at " + (offset + carry.position()));
                carry.put(buf, 0, n);
                carry.flip();
                while (carry.remaining() >= 8) {
                    assertEquals(offset, carry.getLong(), "word at offset " + offset);
                    offset += 8;
                }
                carry.compact();
            }
            assertEquals(HUGE, offset + carry.position());
            assertTrue(already >= 0);
        }
    }

    private static long lowestFreeDescriptor() {
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (String n : java.util.Objects.requireNonNull(new java.io.File("/proc/self/fd").list())) {
            used.add(Integer.parseInt(n));
        }
        int fd = 0;
        while (used.contains(fd)) {
            fd++;
        }
        return fd;
    }

    /** setrlimit(RLIMIT_NOFILE) through FFM: the only way to make accept fail with EMFILE here. */
    private static final MethodHandle SETRLIMIT = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("setrlimit").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle GETRLIMIT = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getrlimit").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final int RLIMIT_NOFILE = 7;

    /**
     * Single-shot accept: the kernel reads RLIMIT_NOFILE when an accept SQE is prepared, so a
     * multishot accept armed before the limit dropped would never see it. Re-armed accepts do.
     */
    @Test
    void outOfDescriptorsTheServerBacksOffAndRecovers() throws Throwable {
        try (RunningServer server = RunningServer.start(root, RunningServer.smallConfig()
                .withRing(dev.ringside.uring.ring.RingOptions.defaults().withEntries(128).withMultishot(false)));
             Arena arena = Arena.ofConfined()) {
            MemorySegment saved = arena.allocate(16, 8);
            assertEquals(0, (int) GETRLIMIT.invokeExact(RLIMIT_NOFILE, saved));
            try (RawHttp warm = new RawHttp(server.port())) {
                // Every class this test needs is loaded before descriptors run out.
                assertEquals(200, warm.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
            // Clients in other processes (ours has no descriptor to spare): they connect once
            // the limit is down, and their answers go to files.
            Path out = Files.createTempDirectory("emfile");
            List<Process> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(new ProcessBuilder("sh", "-c", "sleep 0.5; exec curl -sS --max-time 20 http://127.0.0.1:"
                        + server.port() + "/hello.txt")
                        .redirectOutput(out.resolve(i + ".out").toFile())
                        .redirectError(out.resolve(i + ".err").toFile()).start());
            }
            try {
                // The limit bounds descriptor numbers: below the lowest free one, nothing can open.
                MemorySegment low = arena.allocate(16, 8);
                low.set(ValueLayout.JAVA_LONG, 0, lowestFreeDescriptor());
                low.set(ValueLayout.JAVA_LONG, 8, saved.get(ValueLayout.JAVA_LONG, 8));
                int r = (int) SETRLIMIT.invokeExact(RLIMIT_NOFILE, low);
                assertEquals(0, r);
                Thread.sleep(1500);
            } finally {
                int r = (int) SETRLIMIT.invokeExact(RLIMIT_NOFILE, saved);
                assertEquals(0, r);
            }
            assertTrue(server.stats().acceptErrors > 0, "accept ran out of descriptors");
            for (int i = 0; i < clients.size(); i++) {
                assertTrue(clients.get(i).waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
                assertEquals("hello\n", Files.readString(out.resolve(i + ".out")),
                        "answered once descriptors are back: " + Files.readString(out.resolve(i + ".err")));
            }
        }
    }
}
