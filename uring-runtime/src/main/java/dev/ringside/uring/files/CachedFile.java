package dev.ringside.uring.files;

import dev.ringside.uring.sys.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An open file the static path can answer from without touching the file system: its
 * descriptor, identity (inode, size, mtime), the response header lines that depend only on the
 * file (pre-rendered once), and for a small file its bytes in memory. Owned by one loop;
 * reference-counted by the responses that send from it, so an entry replaced while a send is
 * still reading its memory or descriptor is freed only when that send completes.
 */
public final class CachedFile {
    final byte[] key;
    final int keyHash;
    final String relative;
    final MemorySegment relativeCString;
    final int fd;
    final long size;
    final long inode;
    final long mtimeSec;
    final long mtimeNsec;
    final byte[] headerLines;
    final MemorySegment body;
    final Arena arena;
    long validatedAt;
    int refs;
    boolean evicted;
    private boolean closed;

    CachedFile(byte[] key, int keyHash, String relative, MemorySegment relativeCString, int fd, long size,
               long inode, long mtimeSec, long mtimeNsec, byte[] headerLines, MemorySegment body, Arena arena,
               long validatedAt) {
        this.key = key;
        this.keyHash = keyHash;
        this.relative = relative;
        this.relativeCString = relativeCString;
        this.fd = fd;
        this.size = size;
        this.inode = inode;
        this.mtimeSec = mtimeSec;
        this.mtimeNsec = mtimeNsec;
        this.headerLines = headerLines;
        this.body = body;
        this.arena = arena;
        this.validatedAt = validatedAt;
    }

    public int fd() {
        return fd;
    }

    public long size() {
        return size;
    }

    /** Content-Type, Last-Modified, ETag and Accept-Ranges lines, each ending CRLF (Content-Length is per response). */
    public byte[] headerLines() {
        return headerLines;
    }

    /** The whole file in memory, or null when it is sent from the descriptor. */
    public MemorySegment body() {
        return body;
    }

    public String relativePath() {
        return relative;
    }

    public void retain() {
        refs++;
    }

    void closeIfUnused() {
        if (evicted && refs == 0 && !closed) {
            closed = true;
            Libc.close(fd);
            arena.close();
        }
    }
}
