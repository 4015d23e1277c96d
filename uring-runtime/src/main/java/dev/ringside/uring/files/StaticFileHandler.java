package dev.ringside.uring.files;

import dev.ringside.uring.http.HttpExchange;
import dev.ringside.uring.http.HttpMethod;
import dev.ringside.uring.http.HttpRequestParser;
import dev.ringside.uring.http.HttpServerDriver;
import dev.ringside.uring.http.KnownHeader;
import dev.ringside.uring.http.RequestHandler;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Answers requests from a directory as Tomcat 11's DefaultServlet would ({@code precompressed=true},
 * no listings), in its order:
 * <ol>
 *   <li>GET and HEAD only (405 with Allow otherwise); {@code /dir} → 302 {@code /dir/}, welcome files,
 *       404 for anything else (after If-Match, which fails with 412 even then);</li>
 *   <li>conditional fields against the file ({@link Preconditions}): 412, 304 or 400;</li>
 *   <li>a precompressed sibling chosen by Accept-Encoding ({@link AcceptEncoding}), with Vary on every
 *       answer for a file that has one;</li>
 *   <li>for GET only, If-Range then Range against the representation being sent ({@link ByteRanges}):
 *       206, 416 or the whole file. HEAD ignores Range, as RFC 9110 §14.2 requires.</li>
 * </ol>
 * A plain GET or HEAD of a cached file allocates nothing; nor does any other answer once the loop
 * has seen its shape. One instance per loop: its cache is the loop's.
 */
public final class StaticFileHandler implements RequestHandler, HttpServerDriver.FileReleaser {
    private static final byte[] ALLOW = "Allow: GET, HEAD\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] VARY = HeaderLines.ascii(FileFieldOrder.VARY_LINE);
    private static final byte[] CONTENT_RANGE = HeaderLines.ascii("Content-Range: bytes ");
    private static final byte[] UNSATISFIED_RANGE = HeaderLines.ascii("Content-Range: bytes */");
    private static final byte[] ACCEPT_RANGES = HeaderLines.ascii("Accept-Ranges: bytes\r\n");
    private static final byte[] CRLF = {'\r', '\n'};

    private final FileCache cache;
    private final ByteRanges ranges = new ByteRanges();
    private final HeaderLines lines = new HeaderLines();
    private final String mount;
    private final StaticDialect dialect;

    public StaticFileHandler(FileCache cache) {
        this(cache, "", StaticDialect.RINGSIDE);
    }

    /**
     * A handler for files mounted under {@code mount} ("/app"): the request path must start with
     * those bytes (the caller checks), and the rest is resolved in the cache's root; answered as
     * {@code dialect} says; the cache, not yet looked up, renders its fields in that dialect's order.
     */
    public StaticFileHandler(FileCache cache, String mount, StaticDialect dialect) {
        this.cache = cache.fieldOrder(dialect.order());
        this.mount = mount;
        this.dialect = dialect;
    }

    @Override
    public void handle(HttpExchange exchange) {
        serve(exchange);
    }

    /**
     * Answers a request under the mount and returns true, or returns false having written nothing,
     * for an answer the dialect leaves to the container (the standalone dialect leaves none).
     */
    public boolean serve(HttpExchange exchange) {
        HttpRequestParser req = exchange.request();
        MemorySegment seg = exchange.segment();
        HttpMethod method = req.method();
        boolean head = method == HttpMethod.HEAD;
        if (method != HttpMethod.GET && !head) {
            if (dialect.filesOnly()) return false;
            exchange.respondStatus(405, ALLOW, false);
            return true;
        }
        long start = req.pathStart() + mount.length();
        long end = req.pathEnd();
        int hash = FileCache.hash(seg, start, (int) (end - start));
        CachedFile file = cache.lookup(seg, start, end, hash, exchange.nowNanos());
        if (file == null) {
            FileLoad load = cache.load(seg, start, end, hash, exchange.nowNanos());
            FileCache.Resolution r = load.result();
            if (r == null) {
                exchange.await(load); // handled again once the file is open (or known absent)
                return true;
            }
            if (r.status != FileCache.FOUND) {
                if (dialect.filesOnly()) return false;
                answerMiss(exchange, req, r);
                return true;
            }
            file = r.file;
        }
        return answer(exchange, file, head);
    }

    /**
     * Answers a GET or HEAD with {@code file}, which the caller has just looked up in this
     * handler's cache for the request's path (so a caller that had to look first does not pay
     * for a second lookup); false, having written nothing, if the dialect leaves the answer to the container.
     */
    public boolean serve(HttpExchange exchange, CachedFile file) {
        return answer(exchange, file, exchange.request().method() == HttpMethod.HEAD);
    }

    private boolean answer(HttpExchange exchange, CachedFile file, boolean head) {
        HttpRequestParser req = exchange.request();
        MemorySegment seg = exchange.segment();
        if (!loopMayAnswer(req, seg)) {
            return false;
        }
        int condition = Preconditions.evaluate(req, seg, file.etag, file.mtimeMillis, exchange.nowMillis());
        if (condition == Preconditions.NOT_MODIFIED) {
            exchange.respondStatus(304, file.notModifiedLines, false);
            return true;
        }
        if (condition != Preconditions.PROCEED) {
            if (dialect.filesOnly()) return false;
            exchange.respondStatus(condition, null, false);
            return true;
        }

        CachedFile send = file;
        byte[] vary = null;
        if (file.hasVariants()) {
            switch (AcceptEncoding.choose(req, seg, file.br != null, file.gzip != null)) {
                case AcceptEncoding.BR -> send = file.br;
                case AcceptEncoding.GZIP -> send = file.gzip;
                // A variant's own lines already say Vary, and so do the file's in Tomcat's order.
                default -> vary = dialect.order().varyInLead() ? null : VARY;
            }
        }

        if (head || req.headerIndex(KnownHeader.RANGE) < 0) {
            sendWhole(exchange, send, vary, head);
            return true;
        }
        int ifRange = Preconditions.ifRange(req, seg, send.etag, send.mtimeMillis, exchange.nowMillis());
        if (ifRange == Preconditions.BAD_REQUEST) {
            if (dialect.filesOnly()) return false;
            exchange.respondStatus(400, null, false);
            return true;
        }
        if (ifRange == Preconditions.FULL) {
            sendWhole(exchange, send, vary, false);
            return true;
        }
        int range = req.headerIndex(KnownHeader.RANGE);
        switch (ranges.evaluate(seg, req.headerValueStart(range), req.headerValueEnd(range), send.size)) {
            case ByteRanges.ONE -> {
                lines.clear().append(CONTENT_RANGE).append(ranges.first()).append(DASH);
                lines.append(ranges.last()).append(SLASH).append(send.size).append(CRLF);
                if (vary != null) lines.append(vary);
                exchange.respondFile(send, 206, lines.bytes(), ranges.first(), ranges.last() - ranges.first() + 1, false);
            }
            case ByteRanges.UNSATISFIABLE -> {
                if (dialect.filesOnly()) return false;
                lines.clear().append(UNSATISFIED_RANGE).append(send.size).append(CRLF).append(ACCEPT_RANGES);
                if (file.hasVariants()) lines.append(VARY);
                exchange.respondStatus(416, lines.bytes(), false);
            }
            // SEVERAL disjoint ranges: Tomcat answers multipart/byteranges; one body is all we send.
            default -> sendWhole(exchange, send, vary, false);
        }
        return true;
    }

    /** False if the request has a field whose answer the dialect leaves to the container. */
    private boolean loopMayAnswer(HttpRequestParser req, MemorySegment seg) {
        if (!dialect.expectContinue() && req.expectContinue()) {
            return false;
        }
        if (!dialect.ifNoneMatchStar() && contains(req, seg, KnownHeader.IF_NONE_MATCH, (byte) '*')) {
            return false;
        }
        if (!dialect.headWithRange() && req.method() == HttpMethod.HEAD && req.headerIndex(KnownHeader.RANGE) >= 0) {
            return false;
        }
        return dialect.severalRanges() || !contains(req, seg, KnownHeader.RANGE, (byte) ',');
    }

    private static boolean contains(HttpRequestParser req, MemorySegment seg, KnownHeader h, byte b) {
        int i = req.headerIndex(h);
        if (i < 0) {
            return false;
        }
        for (long p = req.headerValueStart(i), end = req.headerValueEnd(i); p < end; p++) {
            if (seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p) == b) {
                return true;
            }
        }
        return false;
    }

    private static final byte[] DASH = {'-'};
    private static final byte[] SLASH = {'/'};

    private static void sendWhole(HttpExchange exchange, CachedFile send, byte[] vary, boolean head) {
        if (vary == null) {
            exchange.respondFile(send, head);
        } else {
            exchange.respondFile(send, 200, vary, 0, send.size, head);
        }
    }

    /** A path without a file: a redirect to the directory, a 400 for a path we refuse, or a 404. */
    private void answerMiss(HttpExchange exchange, HttpRequestParser req, FileCache.Resolution r) {
        MemorySegment seg = exchange.segment();
        switch (r.status) {
            case FileCache.REDIRECT_TO_DIRECTORY -> {
                String query = req.queryStart() < 0 ? null : req.query(seg);
                String location = mount + r.location + (query == null ? "" : "?" + query);
                exchange.respondStatus(302, ("Location: " + location + "\r\n").getBytes(StandardCharsets.ISO_8859_1), false);
            }
            case FileCache.BAD_PATH -> exchange.respondStatus(400, null, true);
            default -> {
                // Tomcat checks the conditional fields before its 404: If-Match fails without a representation.
                int condition = r.nothingThere ? Preconditions.evaluate(req, seg, null, 0, exchange.nowMillis()) : Preconditions.PROCEED;
                exchange.respondStatus(condition == Preconditions.PROCEED ? 404 : condition, null, false);
            }
        }
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
