package dev.ringside.bridge.loop;

import dev.ringside.uring.files.CachedFile;
import dev.ringside.uring.files.FileCache;
import dev.ringside.uring.files.StaticDialect;
import dev.ringside.uring.files.StaticFileHandler;
import dev.ringside.uring.http.HttpExchange;
import dev.ringside.uring.http.HttpMethod;
import dev.ringside.uring.http.HttpRequestParser;
import dev.ringside.uring.sys.Libc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One loop's side of the static fast path: decides whether a request is a plain file that the
 * container's default servlet would have sent untouched, and if so sends it with the runtime's
 * file handler (headers, validators, ranges and precompressed variants as the standalone
 * server does; the body by splice). Everything doubtful goes to the container: encoded or
 * dot-segment paths (containers normalise them; a raw match could miss a constraint), path
 * parameters, methods other than GET and HEAD; and every answer the container would word in its
 * own way (error pages, redirects, multipart ranges: see {@link StaticDialect}).
 */
public final class StaticPath implements AutoCloseable {
    private final StaticApps apps;
    private final Map<StaticApp, StaticFileHandler> handlers = new IdentityHashMap<>();
    private final Map<StaticApp, Integer> rootFds = new IdentityHashMap<>();
    private StaticFileHandler anyHandler; // releases a sent file: the count lives in the file, any handler will do
    /** Paths the router gave to the app (servlet paths, typically), per loop, direct-mapped (a collision just evicts). */
    private final StaticApp[] containerPathApp = new StaticApp[CONTAINER_PATHS];
    private final byte[][] containerPath = new byte[CONTAINER_PATHS][];
    private final long[] containerPathSeenAt = new long[CONTAINER_PATHS];
    private static final int CONTAINER_PATHS = 1024;
    private static final long REVALIDATE_NANOS = 1_000_000_000L;
    /** The router's verdicts on paths not (yet) in a cache, asked off the loop, kept for REVALIDATE_NANOS, oldest first. */
    private final LinkedHashMap<CheckKey, RouterCheck> checks = new LinkedHashMap<>();
    private static final int MAX_CHECKS = 4096;

    private record CheckKey(StaticApp app, String relative) {}

    /** The publication this loop last pruned against. */
    private int seenVersion;

    public StaticPath(StaticApps apps) {
        this.apps = apps;
    }

    /**
     * On the loop, each tick (not on each request: the hot path reads no publication counter):
     * what this loop holds for apps gone is let go of within a tick.
     */
    public void tick() {
        if (apps.version() != seenVersion) {
            forgetAppsGone();
        }
    }

    /**
     * Closes what this loop holds for apps no longer published (undeployed, redeployed as a new
     * app): the root descriptor, the file cache (a file still being sent closes when its send
     * completes) and the memory of the app's paths, which would keep its router and context alive.
     */
    private void forgetAppsGone() {
        seenVersion = apps.version();
        for (var it = handlers.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!apps.contains(e.getKey())) {
                e.getValue().close();
                Libc.close(rootFds.remove(e.getKey()));
                it.remove();
            }
        }
        for (int i = 0; i < CONTAINER_PATHS; i++) {
            if (containerPathApp[i] != null && !apps.contains(containerPathApp[i])) {
                containerPathApp[i] = null;
                containerPath[i] = null;
            }
        }
        // A check still running publishes into nothing: its root descriptor is closed then.
        checks.values().removeIf(c -> !apps.contains(c.app()));
    }

    /** On the loop: answers the request and returns true, or returns false for the container to answer. */
    public boolean tryServe(HttpExchange exchange) {
        if (apps.isEmpty()) {
            return false;
        }
        HttpRequestParser req = exchange.request();
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            return false;
        }
        MemorySegment seg = exchange.segment();
        long start = req.pathStart();
        long end = req.pathEnd();
        if (!plain(seg, start, end)) {
            return false;
        }
        StaticApp app = apps.match(seg, start, end);
        if (app == null) {
            return false;
        }
        int n = app.prefix().length;
        // One hash of the path serves the cache lookup and the memory of the app's paths.
        int pathHash = FileCache.hash(seg, start + n, (int) (end - start - n));
        long now = exchange.nowNanos();
        StaticFileHandler h = handlers.get(app);
        CachedFile cached = h == null ? null : h.cache().lookup(seg, start + n, end, pathHash, now);
        if (cached != null) {
            // Sent from this cache before, so the router said static, and the app's mappings
            // have not changed since (a redeployed app is a new App with a new cache).
            return h.serve(exchange, cached);
        }
        if (h != null && h.cache().holds(seg, start + n, end, pathHash)) {
            return h.serve(exchange); // cached but due for its re-check, which the handler has done off the loop
        }
        int slot = (pathHash ^ (pathHash >>> 16)) & (CONTAINER_PATHS - 1);
        if (containerPathApp[slot] == app && now - containerPathSeenAt[slot] < REVALIDATE_NANOS
                && sameBytes(containerPath[slot], seg, start + n, end)) {
            return false; // the router said "the app's" a moment ago: a servlet path, typically
        }
        String relative = new String(seg.asSlice(start + n, end - start - n).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.ISO_8859_1);
        CheckKey key = new CheckKey(app, relative);
        RouterCheck check = checks.get(key);
        if (check == null || (check.published() && now - check.startedAt() > REVALIDATE_NANOS)) {
            forgetOldChecks(now);
            check = new RouterCheck(this, app, relative, pathHash, h == null, now);
            checks.put(key, check);
        }
        if (!check.published()) {
            exchange.await(check); // handled again once the router has answered, off the loop
            return true;
        }
        if (!check.isStatic()) {
            return false;
        }
        h = handlers.get(app);
        return h != null && h.serve(exchange); // null: the app's root could not be opened
    }

    /** On the loop: what a router check found is where the next pass through {@link #tryServe} looks. */
    void published(RouterCheck check) {
        StaticApp app = check.app();
        int fd = check.takeRootFd();
        boolean live = apps.contains(app);
        if (fd >= 0) {
            if (live && handlers.get(app) == null) {
                open(app, fd);
            } else {
                Libc.close(fd);
            }
        }
        if (live && !check.isStatic()) {
            // Remembered for a second (as the file cache revalidates), so the next requests
            // for it cost a hash and a compare; a file that appears meanwhile is the container's.
            int h = check.pathHash();
            int slot = (h ^ (h >>> 16)) & (CONTAINER_PATHS - 1);
            containerPathApp[slot] = app;
            containerPath[slot] = check.relative().getBytes(StandardCharsets.ISO_8859_1);
            containerPathSeenAt[slot] = check.startedAt();
        }
    }

    /** Drops verdicts past their time (and the oldest beyond the bound); one still being asked stops the sweep. */
    private void forgetOldChecks(long now) {
        for (var it = checks.values().iterator(); it.hasNext(); ) {
            RouterCheck c = it.next();
            if (!c.published() || (now - c.startedAt() <= REVALIDATE_NANOS && checks.size() < MAX_CHECKS)) {
                break;
            }
            it.remove();
        }
    }

    private static boolean sameBytes(byte[] known, MemorySegment seg, long from, long to) {
        if (known == null || known.length != to - from) {
            return false;
        }
        for (int i = 0; i < known.length; i++) {
            if (known[i] != seg.get(ValueLayout.JAVA_BYTE, from + i)) {
                return false;
            }
        }
        return true;
    }

    /** Bytes that mean what they say: no %-escapes, no dot segments, no path parameters. */
    private static boolean plain(MemorySegment seg, long start, long end) {
        byte prev = 0;
        for (long i = start; i < end; i++) {
            byte b = seg.get(ValueLayout.JAVA_BYTE, i);
            if (b == '%' || b == ';' || b == '\\' || b < 0x21 || b >= 0x7f || (b == '.' && prev == '/')
                    || (b == '/' && prev == '/')) {
                return false;
            }
            prev = b;
        }
        return true;
    }

    /** The app's handler on this loop, over its root {@code fd} (opened off the loop by a {@link RouterCheck}). */
    private void open(StaticApp app, int fd) {
        // A changed file is seen within a second: Tomcat's own resource cache takes 5 s (cacheTtl).
        StaticFileHandler h = new StaticFileHandler(new FileCache(fd, app.mimeTypes(), app.welcomeFiles(), 4096,
                64L << 20, 64L << 10, REVALIDATE_NANOS).etags(app.etags()).precompressed(app.precompressed()),
                app.contextPath(), apps.dialect());
        handlers.put(app, h);
        rootFds.put(app, fd);
        anyHandler = h;
    }

    /** Files the caches hold open (the server's {@code openFiles} counter). */
    public int openFiles() {
        int n = 0;
        for (StaticFileHandler h : handlers.values()) {
            n += h.openFiles();
        }
        return n;
    }

    /** A file sent by any of this loop's handlers is done with (the count lives in the file). */
    public void release(CachedFile file) {
        anyHandler.release(file);
    }

    @Override
    public void close() {
        for (StaticFileHandler h : handlers.values()) {
            h.close();
        }
        for (int fd : rootFds.values()) {
            Libc.close(fd);
        }
        handlers.clear();
        rootFds.clear();
        checks.clear();
    }
}
