package dev.ringside.uring.files;

import dev.ringside.uring.http.OffLoopWork;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.ringside.uring.sys.LinuxConstants.STATX_SIZE_BYTES;

/**
 * One path of a {@link FileCache} being resolved off the loop: the re-check of a cached file that
 * is due for it (one {@code statx} per file and sibling) and, if that fails or nothing was cached,
 * the whole miss (open, stat, read). Every request for the path waits for the same load.
 */
public final class FileLoad extends OffLoopWork {
    private final FileCache cache;
    private final byte[] key;
    private final int keyHash;
    /** The cached entry due for its re-check, or null for a miss. */
    private final CachedFile stale;
    private final long startedAt;
    private final long memoryHeld;
    private boolean unchanged;
    private FileCache.Resolution found;
    /** Set on the loop at publish: what the waiting requests are answered with. */
    private FileCache.Resolution result;
    private long finishedAt;

    FileLoad(FileCache cache, byte[] key, int keyHash, CachedFile stale, long startedAt, long memoryHeld) {
        this.cache = cache;
        this.key = key;
        this.keyHash = keyHash;
        this.stale = stale;
        this.startedAt = startedAt;
        this.memoryHeld = memoryHeld;
    }

    @Override
    protected void run() {
        if (stale != null) {
            try (Arena scratch = Arena.ofConfined()) {
                MemorySegment statx = scratch.allocate(STATX_SIZE_BYTES, 8);
                unchanged = cache.stillSame(stale, statx);
            }
            if (unchanged) {
                return;
            }
        }
        found = cache.resolve(key, startedAt, memoryHeld);
    }

    @Override
    protected void publish() {
        FileCache.Resolution r;
        if (unchanged) {
            r = new FileCache.Resolution();
            r.status = FileCache.FOUND;
            r.file = stale;
        } else if (found != null) {
            r = found;
        } else {
            r = new FileCache.Resolution(); // run() threw: nothing is there as far as we can tell
            r.status = FileCache.NOT_FOUND;
        }
        cache.published(this, stale, unchanged, r);
        finishedAt = startedAt;
        result = r;
    }

    @Override
    protected void retired() {
        cache.retired(this, stale);
    }

    /** What the load found, once published (on the loop); null while it runs. */
    public FileCache.Resolution result() {
        return result;
    }

    byte[] key() {
        return key;
    }

    int keyHash() {
        return keyHash;
    }

    long startedAt() {
        return startedAt;
    }

    /** When what it found was true (its start: the file may have changed since), for how long a miss is remembered. */
    long finishedAt() {
        return finishedAt;
    }

    @Override
    public String toString() {
        return "FileLoad[" + new String(key, java.nio.charset.StandardCharsets.ISO_8859_1) + "]";
    }
}
