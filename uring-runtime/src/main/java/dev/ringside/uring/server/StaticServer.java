package dev.ringside.uring.server;

import dev.ringside.uring.files.FileCache;
import dev.ringside.uring.files.MimeTypes;
import dev.ringside.uring.files.StaticFileHandler;
import dev.ringside.uring.http.HttpServerConfig;
import dev.ringside.uring.http.HttpServerStats;
import dev.ringside.uring.sys.Errno;
import dev.ringside.uring.sys.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import static dev.ringside.uring.sys.LinuxConstants.O_CLOEXEC;
import static dev.ringside.uring.sys.LinuxConstants.O_RDONLY;

/** The runtime on its own: an {@link HttpServer} whose every loop answers from one directory. */
public final class StaticServer implements AutoCloseable {
    private static final int O_DIRECTORY = 0200000;

    /** Open-file cache sizing, per loop. */
    public record CacheConfig(int maxEntries, long maxMemoryBytes, long memoryFileMax, long validityMillis) {
        public static CacheConfig defaults() {
            return new CacheConfig(4096, 64L << 20, 64L << 10, 1000);
        }
    }

    private final HttpServer server;
    private final int rootFd;
    private final Path root;

    private StaticServer(HttpServer server, int rootFd, Path root) {
        this.server = server;
        this.rootFd = rootFd;
        this.root = root;
    }

    public static StaticServer start(Path root, HttpServerConfig config, CacheConfig cache) throws Exception {
        Path abs = root.toAbsolutePath().normalize();
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = Libc.openat(dev.ringside.uring.sys.LinuxConstants.AT_FDCWD, a.allocateFrom(abs.toString()),
                    O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        }
        if (fd < 0) {
            throw new IOException("cannot open root directory " + abs + ": " + Errno.name(fd));
        }
        try {
            MimeTypes mime = MimeTypes.defaults();
            String[] welcome = {"index.html", "index.htm"};
            int rootFd = fd;
            HttpServer server = HttpServer.start(config, i -> new StaticFileHandler(new FileCache(rootFd, mime, welcome,
                    cache.maxEntries(), cache.maxMemoryBytes(), cache.memoryFileMax(),
                    cache.validityMillis() * 1_000_000L)));
            return new StaticServer(server, fd, abs);
        } catch (Exception e) {
            Libc.close(fd);
            throw e;
        }
    }

    public static StaticServer start(Path root, InetSocketAddress address, int threads) throws Exception {
        return start(root, HttpServerConfig.defaults(address).withThreads(threads), CacheConfig.defaults());
    }

    public HttpServer http() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public Path root() {
        return root;
    }

    public HttpServerStats stats() {
        return server.stats();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        Libc.close(rootFd);
    }
}
