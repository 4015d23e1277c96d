package dev.ringside.uring.server;

import dev.ringside.uring.http.HttpLimits;
import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.ring.RingOptions;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar ringside-uring-runtime.jar --root DIR [--port 8080] [--threads N]}: serves a
 * directory until interrupted, and says in one line what it is using.
 */
public final class StaticServerMain {
    private StaticServerMain() {}

    private static final String USAGE = """
            Usage: java --enable-native-access=ALL-UNNAMED -jar ringside-uring-runtime.jar --root DIR [options]
              --root DIR            directory to serve (required)
              --host ADDR           address to bind (default 0.0.0.0)
              --port N              port (default 8080; 0 picks a free one)
              --threads N           event loops (default: available processors)
              --max-connections N   connections per loop (default 16384)
              --memory-file-max N   files up to N bytes are served from memory (default 65536)
              --cache-entries N     open-file cache entries per loop (default 4096)
              --file-threads N      threads for opening and reading files not yet cached (default 4)
              --max-request-line N  request-line bytes before 414 (default 8192)
              --max-header-bytes N  header-block bytes before 431 (default 16384)
              --max-headers N       header fields before 431 (default 100)
              --max-body N          request-body bytes before 413 (default 10485760; the body is read and dropped)
              --max-keep-alive-requests N  requests per connection (default 0: unlimited)
              --keep-alive-timeout T  idle keep-alive time before close, e.g. 60s or 500ms (default 60s)
              --header-timeout T    time to receive a whole head before 408 (default 20s)
              --send-timeout T      time a client may take no byte of an answer before it is dropped (default 60s)
              --no-splice           send file bodies with read + send instead of splice
              --no-buffer-ring      one buffer per receive instead of a provided-buffer ring
              --no-multishot        single-shot accept and receive
              --help                this text
            """;

    public static void main(String[] args) throws Exception {
        Path root = null;
        String host = "0.0.0.0";
        int port = 8080;
        int threads = Runtime.getRuntime().availableProcessors();
        int maxConnections = 16384;
        StaticServer.CacheConfig cache = StaticServer.CacheConfig.defaults();
        RingOptions ring = RingOptions.defaults();
        HttpLimits limits = HttpLimits.DEFAULT;
        Duration keepAlive = Duration.ofSeconds(60);
        Duration headerTimeout = Duration.ofSeconds(20);
        int maxKeepAliveRequests = 0;
        Integer fileThreads = null;
        Duration sendTimeout = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    case "--root" -> root = Path.of(value(args, ++i, a));
                    case "--host" -> host = value(args, ++i, a);
                    case "--port" -> port = Integer.parseInt(value(args, ++i, a));
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                    case "--max-connections" -> maxConnections = Integer.parseInt(value(args, ++i, a));
                    case "--memory-file-max" -> cache = new StaticServer.CacheConfig(cache.maxEntries(),
                            cache.maxMemoryBytes(), Long.parseLong(value(args, ++i, a)), cache.validityMillis());
                    case "--cache-entries" -> cache = new StaticServer.CacheConfig(Integer.parseInt(value(args, ++i, a)),
                            cache.maxMemoryBytes(), cache.memoryFileMax(), cache.validityMillis());
                    case "--file-threads" -> fileThreads = intValue(args, ++i, a);
                    case "--no-splice" -> ring = ring.withSplice(false);
                    case "--no-buffer-ring" -> ring = ring.withBufferRing(false);
                    case "--no-multishot" -> ring = ring.withMultishot(false);
                    case "--max-request-line" -> limits = new HttpLimits(intValue(args, ++i, a), limits.maxHeaderBytes(),
                            limits.maxHeaderCount(), limits.maxChunkExtensionBytes(), limits.maxTrailerBytes(),
                            limits.maxBodyBytes());
                    case "--max-header-bytes" -> limits = new HttpLimits(limits.maxRequestLine(), intValue(args, ++i, a),
                            limits.maxHeaderCount(), limits.maxChunkExtensionBytes(), limits.maxTrailerBytes(),
                            limits.maxBodyBytes());
                    case "--max-headers" -> limits = new HttpLimits(limits.maxRequestLine(), limits.maxHeaderBytes(),
                            intValue(args, ++i, a), limits.maxChunkExtensionBytes(), limits.maxTrailerBytes(),
                            limits.maxBodyBytes());
                    case "--max-body" -> limits = limits.withBodyLimits(limits.maxChunkExtensionBytes(),
                            limits.maxTrailerBytes(), Long.parseLong(value(args, ++i, a)));
                    case "--max-keep-alive-requests" -> maxKeepAliveRequests = intValue(args, ++i, a);
                    case "--keep-alive-timeout" -> keepAlive = duration(value(args, ++i, a));
                    case "--header-timeout" -> headerTimeout = duration(value(args, ++i, a));
                    case "--send-timeout" -> sendTimeout = duration(value(args, ++i, a));
                    default -> fail("unknown option " + a);
                }
            }
        } catch (IllegalArgumentException e) {
            fail("bad value: " + e.getMessage());
        }
        if (root == null) {
            fail("--root DIR is required");
        }
        if (!Files.isDirectory(root)) {
            fail("not a directory: " + root);
        }
        HttpServerConfig config = HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getByName(host), port))
                .withThreads(threads).withMaxConnections(maxConnections).withRing(ring).withLimits(limits)
                .withTimeouts(keepAlive, headerTimeout).withMaxKeepAliveRequests(maxKeepAliveRequests);
        try {
            if (fileThreads != null) {
                config = config.withFileThreads(fileThreads);
            }
            if (sendTimeout != null) {
                config = config.withSendTimeout(sendTimeout);
            }
        } catch (IllegalArgumentException e) {
            fail("bad value: " + e.getMessage());
        }
        StaticServer server;
        try {
            server = StaticServer.start(root, config, cache);
        } catch (Exception e) {
            System.err.println("ringside: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("ringside: serving " + server.root() + " on http://" + host + ":" + server.port()
                + " with " + server.http().loops() + " loop(s); " + server.http().features().describe()
                + (server.http().usesBufferRing() ? "" : " (buffer ring refused)"));
        System.out.flush();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            try {
                System.out.println("ringside: stopping; " + server.stats());
                server.close();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        }));
        done.await();
    }

    private static int intValue(String[] args, int i, String option) {
        return Integer.parseInt(value(args, i, option));
    }

    /** "60s", "500ms", or a plain number of seconds. */
    static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(text));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            fail(option + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("ringside: " + message);
        System.err.print(USAGE);
        System.exit(2);
    }
}
