package dev.ringside.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a test: prints what 10 000 idle keep-alive connections cost the standalone server in
 * memory, then drives a million requests of valid, malformed and aborted traffic at it and
 * prints what it still holds afterwards (everything must be back: 0 leaks).
 *
 * <pre>java -cp 'bench/target/ringside-bench.jar:bench/target/lib/*' dev.ringside.bench.ConnectionScale
 *      [--connections 10000] [--requests 1000000] [--jar uring-runtime/target/ringside-uring-runtime.jar]</pre>
 */
public final class ConnectionScale {
    private static final String GET = "GET /1k.bin HTTP/1.1\r\nHost: bench\r\n\r\n";

    public static void main(String[] args) throws Exception {
        int connections = 10_000;
        long requests = 1_000_000;
        String jar = "uring-runtime/target/ringside-uring-runtime.jar";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--requests" -> requests = Long.parseLong(args[++i]);
                case "--jar" -> jar = args[++i];
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        Path root = Files.createTempDirectory("ringside-scale");
        Files.write(root.resolve("1k.bin"), new byte[1024]);
        Files.write(root.resolve("large.bin"), new byte[4 << 20]);
        int port = 28500 + (int) (ProcessHandle.current().pid() % 400); // below the ephemeral range
        Path log = root.resolve("server.log");
        Process server = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-jar", jar, "--root", root.toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--threads", "1", "--max-connections", "16384")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitUntilServing(port);
            long pid = server.pid();
            // Warm the server up so the baseline already holds its pools, caches and compiled code.
            for (int i = 0; i < 2000; i++) {
                try (Socket s = connect(port)) {
                    exchange(s, GET);
                }
            }
            System.gc();
            Thread.sleep(500);
            long rssBefore = rssBytes(pid);
            int fdsBefore = fdCount(pid);
            List<Socket> idle = new ArrayList<>(connections);
            for (int i = 0; i < connections; i++) {
                Socket s = connect(port);
                exchange(s, GET);
                idle.add(s);
            }
            Thread.sleep(1000);
            long rssIdle = rssBytes(pid);
            System.out.printf("%d idle keep-alive connections: server RSS %d KiB -> %d KiB, %.0f bytes per connection"
                    + " (user space; the kernel's socket buffers are not in RSS)%n",
                    connections, rssBefore / 1024, rssIdle / 1024, (rssIdle - rssBefore) / (double) connections);
            for (Socket s : idle) {
                s.close();
            }
            idle.clear();
            Thread.sleep(1000);

            long t0 = System.nanoTime();
            Traffic t = mixed(port, requests);
            double secs = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(3000); // lingering closes end within their 2 s deadline
            int fdsAfter = fdCount(pid);
            System.out.printf("%d requests in %.1f s: %d valid, %d malformed (400), %d aborted mid-head, %d aborted mid-file,"
                    + " %d unexpected answers%n", t.total(), secs, t.valid.get(), t.malformed.get(), t.abortedHead.get(),
                    t.abortedFile.get(), t.unexpected.get());
            server.destroy(); // SIGTERM: the server prints its counters, then stops
            server.waitFor(30, TimeUnit.SECONDS);
            String stats = Files.readString(log);
            Matcher m = Pattern.compile("open=(\\d+) inputChunks=(\\d+) headChunks=(\\d+) recvBuffers=(\\d+) pipes=(\\d+)"
                    + " pipesPooled=(\\d+) parsers=(\\d+) openFiles=(\\d+)").matcher(stats);
            if (!m.find()) {
                System.out.println("server did not print its counters:\n" + stats);
                return;
            }
            long held = 0;
            for (int g = 1; g <= 5; g++) {
                held += Long.parseLong(m.group(g));
            }
            int pooledPipes = Integer.parseInt(m.group(6));
            int openFiles = Integer.parseInt(m.group(8));
            held += Long.parseLong(m.group(7)); // parsers still lent out
            // Before the traffic the cache held 1k.bin and no pipe existed; pooled pipes (2 fds)
            // and cached files (1 fd) are kept on purpose. Anything beyond them is a leak.
            int fdLeak = fdsAfter - fdsBefore - 2 * pooledPipes - (openFiles - 1);
            System.out.printf("after the traffic: connections %s, input chunks %s, head chunks %s, receive buffers %s,"
                    + " pipes %s, parsers %s held; descriptors %d before, %d after (%d pooled pipes, %d cached files)%n",
                    m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(7), fdsBefore, fdsAfter, pooledPipes, openFiles);
            System.out.println("leaks: " + (held + Math.max(0, fdLeak)) + (fdLeak < 0 ? " (" + fdLeak + " fds)" : ""));
        } finally {
            server.destroyForcibly();
        }
    }

    record Traffic(AtomicLong valid, AtomicLong malformed, AtomicLong abortedHead, AtomicLong abortedFile,
                   AtomicLong unexpected) {
        long total() {
            return valid.get() + malformed.get() + abortedHead.get() + abortedFile.get() + unexpected.get();
        }
    }

    /** 8 clients; each connection: 50 keep-alive requests, then one of: bad head, half a head + RST, half a file + RST. */
    private static Traffic mixed(int port, long requests) throws Exception {
        Traffic t = new Traffic(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            done.add(pool.submit(() -> {
                long n = 0;
                while (t.total() < requests) {
                    try (Socket s = connect(port)) {
                        for (int i = 0; i < 50; i++) {
                            if (exchange(s, GET) == 200) t.valid.incrementAndGet();
                            else t.unexpected.incrementAndGet();
                        }
                        switch ((int) (n++ % 3)) {
                            case 0 -> {
                                if (exchange(s, "GET /1k.bin HTTP/1.1\r\nHost: bench\r\nBad Header: x\r\n\r\n") == 400)
                                    t.malformed.incrementAndGet();
                                else t.unexpected.incrementAndGet();
                            }
                            case 1 -> {
                                s.getOutputStream().write("GET /1k.bin HTTP/1.1\r\nHo".getBytes(StandardCharsets.ISO_8859_1));
                                s.setSoLinger(true, 0);
                                t.abortedHead.incrementAndGet();
                            }
                            default -> {
                                s.getOutputStream().write("GET /large.bin HTTP/1.1\r\nHost: b\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                                s.getInputStream().readNBytes(32 * 1024);
                                s.setSoLinger(true, 0);
                                t.abortedFile.incrementAndGet();
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return t;
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    /** Sends one request and reads its response (status line, head, Content-Length body); returns the status. */
    private static int exchange(Socket s, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        // A fresh buffer per exchange is safe: the server sends nothing beyond the one response
        // we wait for (requests here are never pipelined).
        InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 2048);
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) break;
        }
        String h = head.toString();
        if (h.length() < 12) return -1;
        int status = Integer.parseInt(h.substring(9, 12));
        int cl = h.indexOf("Content-Length: ");
        if (cl >= 0) {
            int len = Integer.parseInt(h.substring(cl + 16, h.indexOf("\r\n", cl)));
            in.readNBytes(len);
        }
        return status;
    }

    private static void waitUntilServing(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket s = connect(port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("server did not start on port " + port);
    }

    private static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    private static int fdCount(long pid) {
        String[] fds = new java.io.File("/proc/" + pid + "/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
