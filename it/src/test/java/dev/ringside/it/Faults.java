package dev.ringside.it;

import dev.ringside.it.containers.ContainerProcess;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the fault tests ({@link FaultsInAgentMode}) do to a container with the agent, over plain blocking
 * sockets on loopback (platform threads): clients that stall, abort, reset or trickle, and the checks
 * after each: every loop answers fresh connections, the server's descriptors and the loops' gauges come
 * back, and every byte a client got is its own answer's. Answers say whose they are: {@code /big.bin} is
 * the sample's 2 MiB of known bytes, {@code /token/T} repeats {@code T\n}.
 */
final class Faults {
    static final String BIG = ContainerProcess.CONTEXT + "/big.bin";
    static final int BIG_SIZE = 2 * 1024 * 1024;
    private static final byte[] BIG_BYTES = bigBin();
    /** The loops' gauges that count what a connection or request holds: all back to where they were. */
    static final List<String> IN_USE = List.of("ConnectionsOpen", "InputChunksInUse", "HeadChunksInUse",
            "RecvBuffersOutstanding", "PipesInUse", "ParsersInUse", "OffloadsInUse", "TunnelsActive");
    /** Gauges of what is kept for reuse (descriptors, not leaks): reported, and left out of the descriptor count. */
    static final List<String> KEPT = List.of("PipesPooled", "OpenFiles");
    static final int FRESH = 16;
    /** A plain file the loop sends itself, too large for the sockets' buffers: {@link #tokenBody} of "static". */
    static final String STALL_FILE = ContainerProcess.CONTEXT + "/stall.bin";
    static final int STALL_FILE_SIZE = 32 * 1024 * 1024;

    private Faults() {}

    /** The sample's {@code big.bin}: byte i is the high byte of a 32-bit LCG (seed 0x52494E47) after i+1 steps. */
    private static byte[] bigBin() {
        byte[] b = new byte[BIG_SIZE];
        int state = 0x52494E47;
        for (int i = 0; i < b.length; i++) {
            state = state * 1103515245 + 12345;
            b[i] = (byte) (state >>> 24);
        }
        return b;
    }

    /** What {@code GET /token/T?size=n} answers: lines {@code T@<the offset the line starts at, ten digits>\n}, cut at n bytes. */
    static byte[] tokenBody(String token, int n) {
        int line = token.length() + 12;
        StringBuilder b = new StringBuilder(n + line);
        for (int offset = 0; offset < n; offset += line) b.append(token).append('@').append("%010d".formatted(offset)).append('\n');
        return Arrays.copyOf(b.toString().getBytes(StandardCharsets.US_ASCII), n);
    }

    /** Writes {@link #STALL_FILE} into the deployed application's directory {@code webapp}. */
    static void writeStallFile(Path webapp) throws IOException {
        Files.write(webapp.resolve(STALL_FILE.substring(STALL_FILE.lastIndexOf('/') + 1)), tokenBody("static", STALL_FILE_SIZE));
    }

    static String get(String path, boolean close) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
    }

    static String token(String token, int size, String more) {
        return ContainerProcess.CONTEXT + "/token/" + token + "?size=" + size + more;
    }

    /** A blocking socket to the container, reads bounded by 10 s; {@code receiveBuffer} > 0 shrinks its window. */
    static Socket connect(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    static void send(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /**
     * One answer as it came: status (0 if none), head, the body (de-chunked) as far as it came, and whether it
     * ended as framed (never for a body that ends where the connection does: only its length tells).
     */
    record Got(int status, String head, byte[] body, boolean complete) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        /** Whether all of {@code expected}'s bytes came (framed, or up to a close). */
        boolean whole(byte[] expected) {
            return complete || body.length == expected.length;
        }
    }

    /**
     * Reads one answer; a connection closed or reset within it ends it short ({@code complete} false),
     * as does {@code limit} body bytes (then the rest is left unread).
     */
    static Got read(InputStream in, int limit) {
        StringBuilder head = new StringBuilder();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int status = 0;
        try {
            String statusLine = line(in, head);
            if (statusLine == null) return new Got(0, "", new byte[0], false);
            status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            for (String l; !(l = line(in, head)).isEmpty(); ) {
                String name = l.substring(0, l.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                String value = l.substring(l.indexOf(':') + 1).trim();
                if (name.equals("content-length")) length = Long.parseLong(value);
                if (name.equals("transfer-encoding")) chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            }
            if (chunked) {
                while (true) {
                    int n = Integer.parseInt(line(in, null).split(";", 2)[0].trim(), 16);
                    if (n == 0) {
                        while (!line(in, null).isEmpty()) {
                            // trailer fields
                        }
                        return new Got(status, head.toString(), body.toByteArray(), true);
                    }
                    if (!copy(in, body, n, limit)) return new Got(status, head.toString(), body.toByteArray(), false);
                    line(in, null);
                }
            }
            if (length >= 0) {
                boolean all = copy(in, body, length, limit);
                return new Got(status, head.toString(), body.toByteArray(), all);
            }
            copy(in, body, Long.MAX_VALUE, limit); // until the server closes: no framing says it is all
            return new Got(status, head.toString(), body.toByteArray(), false);
        } catch (IOException | RuntimeException cut) {
            return new Got(status, head.toString(), body.toByteArray(), false);
        }
    }

    /** Copies {@code n} bytes (fewer at EOF or at {@code limit} in all); whether all {@code n} came. */
    private static boolean copy(InputStream in, ByteArrayOutputStream to, long n, int limit) throws IOException {
        byte[] buf = new byte[65536];
        while (n > 0 && to.size() < limit) {
            int r = in.read(buf, 0, (int) Math.min(Math.min(buf.length, n), limit - to.size()));
            if (r < 0) return false;
            to.write(buf, 0, r);
            n -= r;
        }
        return n == 0;
    }

    /** One CRLF line without it, also appended to {@code raw}; null at EOF before any byte. */
    private static String line(InputStream in, StringBuilder raw) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                if (b.isEmpty()) return null;
                throw new EOFException("within a line: " + b);
            }
            b.append((char) c);
        }
        String l = b.toString();
        if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
        if (raw != null) raw.append(l).append('\n');
        return l;
    }

    /** That {@code got} is a 200 whose body is {@code expected} or, if cut short, the start of it. */
    static void assertOwn(Got got, byte[] expected, String what) {
        assertEquals(200, got.status(), () -> what + ": " + got.head());
        byte[] b = got.body();
        assertTrue(b.length <= expected.length, () -> what + ": " + b.length + " bytes, more than its " + expected.length);
        int mismatch = Arrays.mismatch(b, 0, b.length, expected, 0, b.length);
        assertEquals(-1, mismatch, () -> what + ": a byte not its own at " + mismatch + " of " + b.length
                + "; came " + escaped(b, mismatch) + ", expected " + escaped(expected, mismatch) + resumed(b, mismatch)
                + "; head:\n" + got.head());
        if (got.complete()) assertEquals(expected.length, b.length, () -> what + ": complete, yet short");
    }

    /** That {@code got} is the sample's error page, 500, for {@code /token/<token>} (its {@code uri=} line). */
    static void assertOwnErrorPage(Got got, String token) {
        assertEquals(500, got.status(), got.head());
        assertTrue(got.text().contains("uri=" + ContainerProcess.CONTEXT + "/token/" + token + "</p>"), got.text());
    }

    /** Where the bytes after a mismatch belong, if they are a token line of the same answer: the size of the gap. */
    private static String resumed(byte[] b, int at) {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        int lineStart = text.lastIndexOf('\n', at - 1) + 1;
        int atSign = text.indexOf('@', lineStart);
        if (atSign < 0) return "";
        String token = text.substring(lineStart, atSign);
        int next = text.indexOf(token + "@", at);
        if (next < 0 || next + token.length() + 11 > text.length()) return "";
        long offset = Long.parseLong(text.substring(next + token.length() + 1, next + token.length() + 11));
        return "; from body byte " + next + " on came the bytes of offset " + offset + " (" + (offset - next)
                + " bytes skipped), and " + (b.length - next) + " bytes more";
    }

    /** Up to 48 bytes before and 80 from {@code at}, as text with escapes. */
    private static String escaped(byte[] b, int at) {
        StringBuilder out = new StringBuilder("[");
        for (int i = Math.max(0, at - 48); i < Math.min(b.length, at + 80); i++) {
            if (i == at) out.append("|>");
            int c = b[i] & 0xff;
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return out.append(']').toString();
    }

    static byte[] big() {
        return BIG_BYTES;
    }

    /** GET {@code path} on a fresh connection (Connection: close), read whole. */
    static Got fetch(int port, String path) throws IOException {
        try (Socket s = connect(port, 0)) {
            send(s, get(path, true));
            return read(s.getInputStream(), Integer.MAX_VALUE);
        }
    }

    /**
     * {@link #FRESH} GETs, one after the other, each on a new connection (SO_REUSEPORT spreads them over the
     * loops), alternately {@code /big.bin} (the loop's static path) and a {@code /token} answer (the
     * container's): how many came back whole and right.
     */
    static int freshConnections(int port, String tag) throws IOException {
        int ok = 0;
        for (int i = 0; i < FRESH; i++) {
            String token = tag.replaceAll("[^A-Za-z0-9]+", "-") + "-fresh-" + i;
            boolean file = i % 2 == 0;
            Got got = fetch(port, file ? BIG : token(token, 100_000, ""));
            byte[] expected = file ? BIG_BYTES : tokenBody(token, 100_000);
            assertOwn(got, expected, "fresh connection " + i);
            if (got.whole(expected)) ok++;
        }
        return ok;
    }

    /** Runs {@code tasks} each on a platform thread of its own; their results, each bounded by {@code seconds}. */
    static <T> List<T> concurrently(List<Callable<T>> tasks, int seconds) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(tasks.size())) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) futures.add(pool.submit(t));
            List<T> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (Future<T> f : futures) out.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            return out;
        }
    }

    /**
     * A client that asks for {@code path} on a connection whose receive window is a few KiB, reads nothing for
     * {@code stallMillis}, runs {@code atStallEnd} (if any), then reads what it can: the answer as far as the
     * server sent it before giving up.
     */
    static Callable<Got> stalledReader(int port, String path, long stallMillis, Callable<?> atStallEnd) {
        return () -> {
            try (Socket s = connect(port, 4096)) {
                send(s, get(path, true));
                Thread.sleep(stallMillis);
                if (atStallEnd != null) atStallEnd.call();
                return read(s.getInputStream(), Integer.MAX_VALUE);
            }
        };
    }

    /**
     * A client that reads {@code path} slowly but steadily (a 4 KiB receive window, a pause of about a
     * millisecond after every read, never near the write timeout): the server's sends keep filling the
     * socket and coming back short.
     */
    static Callable<Got> slowReader(int port, String path) {
        return () -> {
            try (Socket s = connect(port, 4096)) {
                send(s, get(path, true));
                InputStream slow = new java.io.FilterInputStream(s.getInputStream()) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        LockSupport.parkNanos(1_000_000);
                        return super.read(b, off, Math.min(len, 16384));
                    }
                };
                return read(new java.io.BufferedInputStream(slow, 16384), Integer.MAX_VALUE);
            }
        };
    }

    /** Downloads {@code /big.bin} and a 2 MiB {@code /token} answer {@code rounds} times on one keep-alive connection; checks every byte. */
    static Callable<Integer> downloader(int port, String tag, int rounds) {
        return () -> {
            int bytes = 0;
            try (Socket s = connect(port, 0)) {
                for (int r = 0; r < rounds; r++) {
                    send(s, get(BIG, false));
                    Got file = read(s.getInputStream(), Integer.MAX_VALUE);
                    assertOwn(file, BIG_BYTES, tag + " big.bin round " + r);
                    assertTrue(file.complete(), tag + " big.bin round " + r + " cut short");
                    String token = tag + "-" + r;
                    send(s, get(token(token, BIG_SIZE, ""), false));
                    Got answer = read(s.getInputStream(), Integer.MAX_VALUE);
                    assertOwn(answer, tokenBody(token, BIG_SIZE), tag + " token round " + r);
                    assertTrue(answer.complete(), tag + " token round " + r + " cut short");
                    bytes += file.body().length + answer.body().length;
                }
            }
            return bytes;
        };
    }

    /**
     * Announces a body of {@code length} bytes to {@code /echo} (which reads it all), sends half of it, and
     * closes ({@code reset}: with SO_LINGER 0, an RST); nothing is read.
     */
    static Callable<Void> abortedUpload(int port, int length, boolean reset) {
        return () -> {
            try (Socket s = connect(port, 0)) {
                send(s, "POST " + ContainerProcess.CONTEXT + "/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n");
                OutputStream out = s.getOutputStream();
                out.write(new byte[length / 2]);
                out.flush();
                if (reset) s.setSoLinger(true, 0);
            }
            return null;
        };
    }

    /** A whole upload of {@code token}'s bytes to {@code /echo}: the echo must be exactly them. */
    static Callable<Got> upload(int port, String token, int length) {
        return () -> {
            try (Socket s = connect(port, 0)) {
                byte[] body = tokenBody(token, length);
                send(s, "POST " + ContainerProcess.CONTEXT + "/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n");
                s.getOutputStream().write(body);
                s.getOutputStream().flush();
                return read(s.getInputStream(), Integer.MAX_VALUE);
            }
        };
    }

    /** Asks for {@code path}, reads {@code keep} body bytes of the answer, then resets the connection (SO_LINGER 0). */
    static Callable<Got> resetAfter(int port, String path, int keep) {
        return () -> {
            Socket s = connect(port, 0);
            try {
                send(s, get(path, true));
                return keep == 0 ? new Got(0, "", new byte[0], false) : read(s.getInputStream(), keep);
            } finally {
                s.setSoLinger(true, 0);
                s.close();
            }
        };
    }

    /**
     * {@code connections} clients that each send the start of a request head, one byte every
     * {@code everyMillis}, for {@code millis} (never the end of it), then close; what each got meanwhile
     * (nothing, or the loop's 408 once the head timeout passed). {@code midway} runs halfway through.
     */
    static List<Got> slowloris(int port, int connections, long everyMillis, long millis, Callable<?> midway) throws Exception {
        byte[] head = ("GET " + ContainerProcess.CONTEXT + "/hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                + "x".repeat(200)).getBytes(StandardCharsets.ISO_8859_1);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) sockets.add(connect(port, 0));
            boolean[] gone = new boolean[connections];
            long start = System.nanoTime();
            boolean ran = false;
            for (int step = 0; TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < millis; step++) {
                for (int i = 0; i < connections; i++) {
                    if (gone[i]) continue;
                    try {
                        sockets.get(i).getOutputStream().write(head[step % head.length]);
                    } catch (IOException closedByServer) {
                        gone[i] = true;
                    }
                }
                if (!ran && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= millis / 2) {
                    midway.call();
                    ran = true;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(everyMillis));
            }
            List<Callable<Got>> reads = new ArrayList<>();
            for (Socket s : sockets) {
                reads.add(() -> {
                    s.setSoTimeout(5_000);
                    try {
                        s.shutdownOutput();
                    } catch (IOException closedByServer) {
                        // what it sent, if anything, is still to be read
                    }
                    return read(s.getInputStream(), Integer.MAX_VALUE);
                });
            }
            return concurrently(reads, 15);
        } finally {
            for (Socket s : sockets) s.close();
        }
    }

    /**
     * The server JVM as the checks see it: its descriptors in /proc and Ringside's gauges through one JMX
     * connection held for the whole class (a connection per reading would itself come and go in the count).
     */
    static final class Server implements AutoCloseable {
        private final ContainerProcess container;
        private final JMXConnector jmx;
        private final MBeanServerConnection mbs;

        Server(ContainerProcess container) throws Exception {
            this.container = container;
            this.jmx = container.connectJmx();
            this.mbs = jmx.getMBeanServerConnection();
        }

        Map<String, Long> read(List<String> gauges) throws Exception {
            return ContainerProcess.ringsideCounters(mbs, gauges.toArray(String[]::new));
        }

        /**
         * Descriptors of the server JVM, but jars (class loading opens them when it needs them) and what
         * the loops keep for reuse: two per pooled pipe, one per cached file.
         */
        Snapshot snapshot() throws Exception {
            Map<String, Long> inUse = read(IN_USE);
            Map<String, Long> kept = read(KEPT);
            long raw = 0;
            long jars = 0;
            String[] fds = Path.of("/proc", Long.toString(container.jvmPid()), "fd").toFile().list();
            for (String fd : fds == null ? new String[0] : fds) {
                raw++;
                try {
                    if (Files.readSymbolicLink(Path.of("/proc", Long.toString(container.jvmPid()), "fd", fd))
                            .toString().endsWith(".jar")) jars++;
                } catch (IOException gone) {
                    raw--;
                }
            }
            return new Snapshot(raw, raw - jars - 2 * kept.get("PipesPooled") - kept.get("OpenFiles"), inUse, kept);
        }

        /** Loops and loops alive (LoopsAlive == Loops: none died). */
        long[] loops() throws Exception {
            Map<String, Long> l = read(List.of("Loops", "LoopsAlive"));
            return new long[] {l.get("Loops"), l.get("LoopsAlive")};
        }

        /**
         * Polls (up to 10 s) until the descriptors are no more than {@code before}'s and every in-use gauge is
         * back to {@code before}'s; the last snapshot and how long it took.
         */
        Settled awaitBaseline(Snapshot before) throws Exception {
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(10);
            Snapshot now = snapshot();
            while (!now.backTo(before) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                now = snapshot();
            }
            return new Settled(now, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }

        @Override
        public void close() throws IOException {
            jmx.close();
        }
    }

    /** Descriptors (all, and those that count: no jars, no pooled pipes or cached files) and the gauges. */
    record Snapshot(long rawFds, long fds, Map<String, Long> inUse, Map<String, Long> kept) {
        boolean backTo(Snapshot before) {
            return fds <= before.fds && inUse.equals(before.inUse);
        }

        String gauges() {
            Map<String, Long> all = new LinkedHashMap<>(inUse);
            all.putAll(kept);
            StringBuilder b = new StringBuilder();
            all.forEach((k, v) -> {
                if (v != 0 || IN_USE.contains(k)) b.append(b.isEmpty() ? "" : " ").append(abbreviate(k)).append('=').append(v);
            });
            return b.toString();
        }

        private static String abbreviate(String gauge) {
            return gauge.replace("InUse", "").replace("Outstanding", "").replace("ConnectionsOpen", "Conns");
        }
    }

    record Settled(Snapshot snapshot, long millis) {}
}
