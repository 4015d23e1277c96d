package dev.ringside.uring.files;

import dev.ringside.uring.http.HttpDate;
import dev.ringside.uring.sys.Errno;
import dev.ringside.uring.sys.Libc;
import dev.ringside.uring.sys.NativeMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.ringside.uring.sys.LinuxConstants.*;

/**
 * The open-file cache of one loop, keyed by the raw bytes of the request path. A hit compares
 * bytes in the receive buffer with the key and allocates nothing, and touches no disk. Everything
 * that may block runs off the loop in a {@link FileLoad}, which the request waits for: a miss
 * (decode and check the path, open it with {@code openat2(RESOLVE_BENEATH)} under the root, follow
 * a directory to its welcome file, render the header lines, read a small file into memory) and the
 * re-check of a cached file's identity, due once per validity period, after which a file whose
 * inode, size or mtime changed is dropped and opened again (never served torn). A load that found
 * no file is remembered for the validity period, so a missing path costs one off-loop trip per
 * period, not one per request. Bounded in entries and in bytes held in memory; least recently
 * used goes first.
 */
public final class FileCache implements AutoCloseable {
    /** Outcomes of {@link #resolve} other than a file. */
    public static final int FOUND = 200;
    public static final int REDIRECT_TO_DIRECTORY = 302;
    public static final int NOT_FOUND = 404;
    public static final int BAD_PATH = 400;

    private static final int MAX_READ_ATTEMPTS = 3;

    private final int rootFd;
    private final MimeTypes mimeTypes;
    private final String[] welcomeFiles;
    private final int maxEntries;
    private final long maxMemoryBytes;
    private final long memoryFileMax;
    private final long validityNanos;
    private boolean etags = true;
    private boolean precompressed = true;
    private FileFieldOrder order = FileFieldOrder.RINGSIDE;
    private final LinkedHashMap<Object, CachedFile> entries;
    private final ProbeKey probe = new ProbeKey();
    /** Loads under way, and finished ones that found no file (kept for the validity period), oldest first. */
    private final LinkedHashMap<Object, FileLoad> loads = new LinkedHashMap<>();
    private static final int MAX_REMEMBERED_LOADS = 4096;
    private long memoryBytes;
    private boolean closed;
    private long hits;
    private long misses;

    /** A lookup key over bytes in a segment; equal to the stored key with the same bytes. */
    private static final class ProbeKey {
        MemorySegment segment;
        long start;
        int length;
        int hash;

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof StoredKey k) || k.bytes.length != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (segment.get(ValueLayout.JAVA_BYTE, start + i) != k.bytes[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private record StoredKey(byte[] bytes, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o instanceof StoredKey k) {
                return java.util.Arrays.equals(bytes, k.bytes);
            }
            return o != null && o.equals(this);
        }
    }

    public FileCache(int rootFd, MimeTypes mimeTypes, String[] welcomeFiles, int maxEntries, long maxMemoryBytes,
                     long memoryFileMax, long validityNanos) {
        this.rootFd = rootFd;
        this.mimeTypes = mimeTypes;
        this.welcomeFiles = welcomeFiles;
        this.maxEntries = maxEntries;
        this.maxMemoryBytes = maxMemoryBytes;
        this.memoryFileMax = memoryFileMax;
        this.validityNanos = validityNanos;
        this.entries = new LinkedHashMap<>(Math.max(16, maxEntries * 2), 0.75f, true);
    }

    /**
     * Whether answers carry an ETag (Tomcat's form, {@code W/"size-mtime"}; on by default). A
     * container whose default servlet sends none (Jetty's, as configured by default) turns it off,
     * so its files are answered as it would. Set before the first lookup.
     */
    public FileCache etags(boolean on) {
        this.etags = on;
        return this;
    }

    /**
     * Whether {@code x.br} and {@code x.gz} beside {@code x} are sent to clients that accept them,
     * with {@code Vary: Accept-Encoding} (on by default, as Tomcat's DefaultServlet with
     * {@code precompressed=true}). Set before the first lookup.
     */
    public FileCache precompressed(boolean on) {
        this.precompressed = on;
        return this;
    }

    /**
     * The order of each file's fields: the standalone server's by default, or its container's, as
     * the handler's dialect says (it sets it). Set before the first lookup.
     */
    FileCache fieldOrder(FileFieldOrder o) {
        this.order = o;
        return this;
    }

    /** The hash a lookup computes for these path bytes; a caller that needs it too computes it once. */
    public static int hash(MemorySegment segment, long start, int length) {
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + segment.get(ValueLayout.JAVA_BYTE, start + i);
        }
        return h;
    }

    static int hash(byte[] bytes) {
        int h = 1;
        for (byte b : bytes) {
            h = 31 * h + b;
        }
        return h;
    }

    /** A valid cached file for these path bytes, or null (then see {@link #load}). Allocates nothing; no syscall. */
    public CachedFile lookup(MemorySegment segment, long start, long end, long nowNanos) {
        return lookup(segment, start, end, hash(segment, start, (int) (end - start)), nowNanos);
    }

    /** {@link #lookup(MemorySegment, long, long, long)} with the path's {@link #hash} already known. */
    public CachedFile lookup(MemorySegment segment, long start, long end, int hash, long nowNanos) {
        CachedFile f = entry(segment, start, end, hash);
        if (f == null || due(f, nowNanos)) {
            return null;
        }
        hits++;
        return f;
    }

    /** Whether an entry, valid or due for its re-check, is cached for these path bytes. Allocates nothing. */
    public boolean holds(MemorySegment segment, long start, long end, int hash) {
        return entry(segment, start, end, hash) != null;
    }

    private CachedFile entry(MemorySegment segment, long start, long end, int hash) {
        probe.segment = segment;
        probe.start = start;
        probe.length = (int) (end - start);
        probe.hash = hash;
        CachedFile f = entries.get(probe);
        probe.segment = null;
        return f;
    }

    private boolean due(CachedFile f, long nowNanos) {
        return nowNanos - f.validatedAt > validityNanos || f.rewritten || (f.br != null && f.br.rewritten)
                || (f.gzip != null && f.gzip.rewritten);
    }

    /**
     * After a {@link #lookup} that found nothing valid: the load of these path bytes, under way or
     * finished ({@link FileLoad#result()} non-null), or a new one the request must wait for
     * ({@link dev.ringside.uring.http.HttpExchange#await}). On the loop.
     */
    public FileLoad load(MemorySegment segment, long start, long end, int hash, long nowNanos) {
        probe.segment = segment;
        probe.start = start;
        probe.length = (int) (end - start);
        probe.hash = hash;
        FileLoad l = loads.get(probe);
        CachedFile stale = entries.get(probe);
        probe.segment = null;
        if (l != null) {
            if (l.result() == null || nowNanos - l.finishedAt() <= validityNanos) {
                return l;
            }
            loads.remove(new StoredKey(l.key(), l.keyHash()));
        }
        forgetOldLoads(nowNanos);
        misses++;
        byte[] key = segment.asSlice(start, end - start).toArray(ValueLayout.JAVA_BYTE);
        if (stale != null) {
            stale.refs++; // read off the loop, then sent to the requests that waited: not closed before (see retired)
        }
        l = new FileLoad(this, key, hash, stale, nowNanos, memoryBytes);
        loads.put(new StoredKey(key, hash), l);
        return l;
    }

    /** Drops finished loads past their validity (and the oldest finished ones beyond the bound). */
    private void forgetOldLoads(long nowNanos) {
        Iterator<FileLoad> it = loads.values().iterator();
        while (it.hasNext()) {
            FileLoad l = it.next();
            if (l.result() == null || (nowNanos - l.finishedAt() <= validityNanos && loads.size() < MAX_REMEMBERED_LOADS)) {
                break;
            }
            it.remove();
        }
    }

    /** On the loop, as {@code l} publishes: what it found replaces what was cached for its path. */
    void published(FileLoad l, CachedFile stale, boolean unchanged, Resolution r) {
        if (closed) {
            if (r.file != null) {
                r.file.evict(); // the app went while the load ran: nobody will send it
            }
            return;
        }
        if (unchanged) {
            stale.validatedAt = l.startedAt();
        } else {
            if (stale != null && entries.get(new StoredKey(l.key(), l.keyHash())) == stale) {
                evict(stale);
            }
            if (r.file != null) {
                insert(r.file);
            }
        }
    }

    /** On the loop, once the requests that waited for {@code l} have been answered: a file found is in the cache now. */
    void retired(FileLoad l, CachedFile stale) {
        if (stale != null) {
            release(stale); // the re-check's reference, held while the waiting requests took their own
        }
        if (l.result().status == FOUND) {
            loads.remove(new StoredKey(l.key(), l.keyHash()));
        }
    }

    /**
     * Off the loop: the file, and each sibling (still there and unchanged, or still absent), as when
     * cached. {@code statx}: a scratch buffer of the caller's.
     */
    boolean stillSame(CachedFile f, MemorySegment statx) {
        return same(f.relativeCString, f, statx)
                && (f.brPath == null || same(f.brPath, f.br, statx))
                && (f.gzipPath == null || same(f.gzipPath, f.gzip, statx));
    }

    /** Whether {@code path} is still the file {@code f}, or (f null) still no regular file. */
    private boolean same(MemorySegment path, CachedFile f, MemorySegment statx) {
        int r = Libc.statx(rootFd, path, 0, STATX_BASIC_STATS, statx);
        if (f == null) {
            return r != 0 || (statx.get(ValueLayout.JAVA_SHORT, STX_MODE) & S_IFMT) != S_IFREG;
        }
        return r == 0 && f.sameIdentity(statx);
    }

    /** What a {@link FileLoad} found. */
    public static final class Resolution {
        public int status;
        public CachedFile file;
        public String location;
        /** NOT_FOUND because nothing exists at the path (not a protected path, nor a directory). */
        public boolean nothingThere;
    }

    /**
     * Off the loop, the slow path: decode, check, open, load; the file found is not yet in the cache
     * ({@link #published} puts it there, on the loop). {@code memoryHeld}: the cache's memory when
     * the load began, for the budget of a body read into memory. Allocates; blocks.
     */
    Resolution resolve(byte[] raw, long nowNanos, long memoryHeld) {
        Resolution out = new Resolution();
        String relative = RequestPaths.toRelative(raw, 0, raw.length);
        if (relative == null) {
            out.status = BAD_PATH;
            return out;
        }
        if (RequestPaths.isProtected(relative)) {
            out.status = NOT_FOUND;
            return out;
        }
        boolean wantsDirectory = relative.isEmpty() || relative.endsWith("/");
        String name = wantsDirectory ? relative : relative;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment stx = tmp.allocate(STATX_SIZE_BYTES, 8);
            int fd = open(tmp, name.isEmpty() ? "." : name);
            if (fd < 0) {
                out.status = NOT_FOUND;
                out.nothingThere = fd == -Errno.ENOENT || fd == -Errno.ENOTDIR;
                return out;
            }
            if (Libc.statx(fd, tmp.allocateFrom(""), AT_EMPTY_PATH, STATX_BASIC_STATS, stx) != 0) {
                Libc.close(fd);
                out.status = NOT_FOUND;
                return out;
            }
            int type = stx.get(ValueLayout.JAVA_SHORT, STX_MODE) & S_IFMT;
            if (type == S_IFDIR) {
                Libc.close(fd);
                if (!wantsDirectory) {
                    out.status = REDIRECT_TO_DIRECTORY;
                    out.location = new String(raw, StandardCharsets.ISO_8859_1) + "/";
                    return out;
                }
                for (String welcome : welcomeFiles) {
                    String candidate = relative + welcome;
                    int wfd = open(tmp, candidate);
                    if (wfd >= 0) {
                        CachedFile f = build(raw, candidate, wfd, nowNanos, memoryHeld);
                        if (f != null) {
                            out.status = FOUND;
                            out.file = f;
                            return out;
                        }
                    }
                }
                out.status = NOT_FOUND;
                return out;
            }
            if (wantsDirectory || type != S_IFREG) {
                Libc.close(fd);
                out.status = NOT_FOUND;
                return out;
            }
            CachedFile f = build(raw, relative, fd, nowNanos, memoryHeld);
            out.status = f == null ? NOT_FOUND : FOUND;
            out.file = f;
            return out;
        }
    }

    private int open(Arena tmp, String relative) {
        return Libc.openat2(rootFd, tmp.allocateFrom(relative), O_RDONLY | O_CLOEXEC,
                RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
    }

    /**
     * Loads a file and its precompressed siblings (unless it is itself a {@code .br}/{@code .gz},
     * as Tomcat never looks for {@code x.gz.gz}); closes {@code fd} on failure.
     */
    private CachedFile build(byte[] rawKey, String relative, int fd, long nowNanos, long memoryHeld) {
        byte[] key = rawKey.clone();
        CachedFile f = load(key, relative, fd, nowNanos, memoryHeld, null, null);
        if (f == null) {
            return null;
        }
        if (precompressed && !relative.endsWith(".br") && !relative.endsWith(".gz")) {
            f.brPath = f.memory.allocateFrom(relative + ".br");
            f.gzipPath = f.memory.allocateFrom(relative + ".gz");
            f.br = loadVariant(f, relative + ".br", "br", nowNanos, memoryHeld);
            f.gzip = loadVariant(f, relative + ".gz", "gzip", nowNanos, memoryHeld);
        }
        if (f.hasVariants() && order.varyInLead()) {
            f.headerLines = lead(mimeTypes.forName(f.relative), f.mtimeSec, f.etag, null, true);
        }
        String tag = etags ? new String(f.etag, StandardCharsets.ISO_8859_1) : null;
        f.notModifiedLines = order.notModified(tag, f.hasVariants()).getBytes(StandardCharsets.ISO_8859_1);
        return f;
    }

    /** A sibling of {@code original}, answered with the original's type and validators, or null if absent. */
    private CachedFile loadVariant(CachedFile original, String relative, String coding, long nowNanos, long memoryHeld) {
        int fd;
        try (Arena tmp = Arena.ofConfined()) {
            fd = open(tmp, relative);
        }
        if (fd < 0) {
            return null;
        }
        // Not inserted yet: what the original and an earlier sibling hold is not counted in memoryHeld.
        return load(null, relative, fd, nowNanos, memoryHeld + original.heldBytes(), original, coding);
    }

    /**
     * Reads identity (and a small body) from an open fd; closes it and returns null when it is not
     * a regular file or cannot be read. {@code variantOf}: the file this one is a precompressed
     * {@code coding} of, whose type and validators it is answered with; null for a file itself.
     */
    private CachedFile load(byte[] key, String relative, int fd, long nowNanos, long memoryHeld,
                            CachedFile variantOf, String coding) {
        NativeMemory memory = new NativeMemory();
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment stx = scratch.allocate(STATX_SIZE_BYTES, 8);
            MemorySegment empty = scratch.allocateFrom("");
            MemorySegment buffer = null; // a retry after a torn read reads into the same block if the size held
            for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
                if (Libc.statx(fd, empty, AT_EMPTY_PATH, STATX_BASIC_STATS, stx) != 0
                        || (stx.get(ValueLayout.JAVA_SHORT, STX_MODE) & S_IFMT) != S_IFREG) {
                    break;
                }
                long size = stx.get(ValueLayout.JAVA_LONG, STX_SIZE);
                long ino = stx.get(ValueLayout.JAVA_LONG, STX_INO);
                long mSec = stx.get(ValueLayout.JAVA_LONG, STX_MTIME_SEC);
                long mNsec = Integer.toUnsignedLong(stx.get(ValueLayout.JAVA_INT, STX_MTIME_NSEC));
                MemorySegment body = null;
                if (size <= memoryFileMax && memoryHeld + size <= maxMemoryBytes) {
                    if (buffer == null || buffer.byteSize() != size) {
                        buffer = memory.allocate(size, 64);
                    }
                    body = buffer;
                    if (!readFully(fd, body)) {
                        continue;
                    }
                    // A writer between the stat and the read would give us a torn copy: check again.
                    if (Libc.statx(fd, empty, AT_EMPTY_PATH, STATX_BASIC_STATS, stx) != 0
                            || stx.get(ValueLayout.JAVA_LONG, STX_SIZE) != size
                            || stx.get(ValueLayout.JAVA_LONG, STX_MTIME_SEC) != mSec
                            || Integer.toUnsignedLong(stx.get(ValueLayout.JAVA_INT, STX_MTIME_NSEC)) != mNsec) {
                        continue;
                    }
                }
                long mtimeMillis = mSec * 1000 + mNsec / 1_000_000;
                // Tomcat's DefaultServlet form, so a client sees the same validator either way.
                byte[] etag = ("W/\"" + size + "-" + mtimeMillis + "\"").getBytes(StandardCharsets.ISO_8859_1);
                // A variant is answered with its original's type, Last-Modified and ETag.
                String type = mimeTypes.forName(variantOf == null ? relative : variantOf.relative);
                byte[] lines = variantOf == null ? lead(type, mSec, etag, null, false)
                        : lead(type, variantOf.mtimeSec, variantOf.etag, coding, true);
                byte[] trailing = order.trail(type).getBytes(StandardCharsets.ISO_8859_1);
                return new CachedFile(key, key == null ? 0 : hash(key), relative, memory.allocateFrom(relative), fd,
                        size, ino, mSec, mNsec, lines, trailing, etag, body, memory, nowNanos);
            }
        } catch (RuntimeException e) {
            // fall through to clean-up: an unreadable file is a 404, never a crash
        }
        Libc.close(fd);
        memory.close();
        return null;
    }

    private static boolean readFully(int fd, MemorySegment body) {
        long done = 0;
        while (done < body.byteSize()) {
            long n = Libc.read(fd, body.asSlice(done), body.byteSize() - done);
            if (n <= 0) {
                return false;
            }
            done += n;
        }
        // The descriptor's position is not used later: sends and splices give explicit offsets.
        return true;
    }

    private byte[] lead(String type, long mSec, byte[] etag, String coding, boolean varied) {
        String tag = etags ? new String(etag, StandardCharsets.ISO_8859_1) : null;
        return order.lead(type, HttpDate.text(mSec), tag, coding, varied).getBytes(StandardCharsets.ISO_8859_1);
    }

    private void insert(CachedFile f) {
        StoredKey key = new StoredKey(f.key, f.keyHash);
        CachedFile old = entries.remove(key);
        if (old != null) {
            retire(old);
        }
        entries.put(key, f);
        memoryBytes += f.heldBytes();
        Iterator<Map.Entry<Object, CachedFile>> it = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || memoryBytes > maxMemoryBytes) && it.hasNext()) {
            CachedFile eldest = it.next().getValue();
            if (eldest == f) {
                continue;
            }
            it.remove();
            retire(eldest);
        }
    }

    private void evict(CachedFile f) {
        entries.remove(new StoredKey(f.key, f.keyHash));
        retire(f);
    }

    private void retire(CachedFile f) {
        if (!f.evicted) {
            memoryBytes -= f.heldBytes();
        }
        f.evict();
    }

    /** A response that sent from {@code f} is done with it. */
    public void release(CachedFile f) {
        f.refs--;
        f.closeIfUnused();
    }

    public int size() {
        return entries.size();
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    /**
     * Closes every entry; entries still referenced close when released. A load still running off
     * the loop closes what it opened when it publishes ({@link #published} after close inserts nothing).
     */
    @Override
    public void close() {
        closed = true;
        for (CachedFile f : entries.values()) {
            retire(f);
        }
        entries.clear();
        loads.clear();
    }
}
