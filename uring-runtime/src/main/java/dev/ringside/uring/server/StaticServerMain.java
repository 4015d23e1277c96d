package dev.ringside.uring.server;

import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.ring.RingOptions;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
                case "--no-splice" -> ring = ring.withSplice(false);
                case "--no-buffer-ring" -> ring = ring.withBufferRing(false);
                case "--no-multishot" -> ring = ring.withMultishot(false);
                default -> fail("unknown option " + a);
            }
        }
        if (root == null) {
            fail("--root DIR is required");
        }
        if (!Files.isDirectory(root)) {
            fail("not a directory: " + root);
        }
        HttpServerConfig config = HttpServerConfig.defaults(new InetSocketAddress(InetAddress.getByName(host), port))
                .withThreads(threads).withMaxConnections(maxConnections).withRing(ring);
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
