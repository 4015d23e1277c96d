package dev.ringside.uring.files;

import dev.ringside.uring.http.HttpExchange;
import dev.ringside.uring.http.HttpMethod;
import dev.ringside.uring.http.HttpRequestParser;
import dev.ringside.uring.http.HttpServerDriver;
import dev.ringside.uring.http.RequestHandler;

import java.nio.charset.StandardCharsets;

/**
 * Answers requests from a directory, the way a container's default servlet would: GET and
 * HEAD of regular files under the root (200 with Content-Type, Content-Length, Last-Modified
 * and ETag), {@code /dir} redirected to {@code /dir/} and answered by its welcome file, 404 for
 * anything else, 405 for other methods. One instance per loop: its cache is the loop's.
 */
public final class StaticFileHandler implements RequestHandler, HttpServerDriver.FileReleaser {
    private static final byte[] ALLOW = "Allow: GET, HEAD\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final FileCache cache;

    public StaticFileHandler(FileCache cache) {
        this.cache = cache;
    }

    @Override
    public void handle(HttpExchange exchange) {
        HttpRequestParser req = exchange.request();
        HttpMethod method = req.method();
        boolean head = method == HttpMethod.HEAD;
        if (method != HttpMethod.GET && !head) {
            exchange.respondStatus(405, ALLOW, false);
            return;
        }
        long start = req.pathStart();
        long end = req.pathEnd();
        CachedFile file = cache.lookup(exchange.segment(), start, end, exchange.nowNanos());
        if (file == null) {
            FileCache.Resolution r = cache.resolve(exchange.segment(), start, end, exchange.nowNanos());
            switch (r.status) {
                case FileCache.FOUND -> file = r.file;
                case FileCache.REDIRECT_TO_DIRECTORY -> {
                    String query = req.queryStart() < 0 ? null : req.query(exchange.segment());
                    String location = r.location + (query == null ? "" : "?" + query);
                    exchange.respondStatus(302, ("Location: " + location + "\r\n").getBytes(StandardCharsets.ISO_8859_1), false);
                    return;
                }
                case FileCache.BAD_PATH -> {
                    exchange.respondStatus(400, null, true);
                    return;
                }
                default -> {
                    exchange.respondStatus(404, null, false);
                    return;
                }
            }
        }
        exchange.respondFile(file, head);
    }

    @Override
    public void release(CachedFile file) {
        cache.release(file);
    }

    @Override
    public int openFiles() {
        return cache.size();
    }

    public FileCache cache() {
        return cache;
    }

    @Override
    public void close() {
        cache.close();
    }
}
