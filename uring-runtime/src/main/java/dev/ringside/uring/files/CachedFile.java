package dev.ringside.uring.files;

import dev.ringside.uring.sys.Libc;
import dev.ringside.uring.sys.LinuxConstants;
import dev.ringside.uring.sys.NativeMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An open file the static path can answer from without touching the file system: its
 * descriptor, identity (inode, size, mtime), the response header lines that depend only on the
 * file (pre-rendered once), and for a small file its bytes in memory. Owned by one loop;
 * reference-counted by the responses that send from it, so an entry replaced while a send is
 * still reading its memory or descriptor is freed only when that send completes.
 *
 * <p>A file with precompressed siblings ({@code x.br}, {@code x.gz}) holds them as variants:
 * entries of their own (descriptor, body) that are not in the cache's map, whose header lines
 * carry the original's Content-Type, Last-Modified and ETag (as Tomcat's DefaultServlet sends),
 * plus Content-Encoding and Vary. They live and die with the original.
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
    final long mtimeMillis;
    /** Rendered in the cache's {@link FileFieldOrder}: the fields before the per-response ones, and after. */
    byte[] headerLines;
    final byte[] trailingLines;
    /** The validator, e.g. {@code W/"11-1700000000123"}, for comparing with conditional fields. */
    final byte[] etag;
    /** The lines of a 304: ETag, and Vary when the answer depends on Accept-Encoding. */
    byte[] notModifiedLines;
    final MemorySegment body;
    /** Where the body and the path strings live: freed when the entry closes. */
    final NativeMemory memory;
    long validatedAt;
    /** Precompressed siblings (null when absent), and their paths, so revalidation notices one appearing. */
    CachedFile br;
    CachedFile gzip;
    MemorySegment brPath;
    MemorySegment gzipPath;
    int refs;
    /** A send found the file changed under its descriptor: the next lookup revalidates at once. */
    boolean rewritten;
    boolean evicted;
    private boolean closed;

    CachedFile(byte[] key, int keyHash, String relative, MemorySegment relativeCString, int fd, long size,
               long inode, long mtimeSec, long mtimeNsec, byte[] headerLines, byte[] trailingLines, byte[] etag,
               MemorySegment body,
               NativeMemory memory, long validatedAt) {
        this.key = key;
        this.keyHash = keyHash;
        this.relative = relative;
        this.relativeCString = relativeCString;
        this.fd = fd;
        this.size = size;
        this.inode = inode;
        this.mtimeSec = mtimeSec;
        this.mtimeNsec = mtimeNsec;
        this.mtimeMillis = mtimeSec * 1000 + mtimeNsec / 1_000_000;
        this.headerLines = headerLines;
        this.trailingLines = trailingLines;
        this.etag = etag;
        this.body = body;
        this.memory = memory;
        this.validatedAt = validatedAt;
    }

    public int fd() {
        return fd;
    }

    public long size() {
        return size;
    }

    /**
     * The file's fields that go before the per-response ones (Content-Range), each line ending
     * CRLF: Content-Type, Last-Modified, ETag and Accept-Ranges in the standalone order.
     */
    public byte[] headerLines() {
        return headerLines;
    }

    /** The file's fields that go after the per-response ones and before Content-Length (often none). */
    public byte[] trailingLines() {
        return trailingLines;
    }

    /**
     * Whether the open file still has the size and mtime it was cached with, asked of its
     * descriptor: a file rewritten in place while its body is spliced from the descriptor would
     * go out mixed under the old Content-Length and validators. If not, the entry is revalidated
     * at its next lookup. {@code scratch}: {@code STATX_SIZE_BYTES} the caller lends,
     * {@code emptyPath}: a C string "".
     */
    public boolean unchangedOnDisk(MemorySegment scratch, MemorySegment emptyPath) {
        boolean same = Libc.statx(fd, emptyPath, LinuxConstants.AT_EMPTY_PATH, LinuxConstants.STATX_BASIC_STATS, scratch) == 0
                && sameIdentity(scratch);
        if (!same) {
            rewritten = true;
        }
        return same;
    }

    /** Whether a filled statx buffer describes this file as cached: inode, size and mtime. */
    boolean sameIdentity(MemorySegment statx) {
        return statx.get(ValueLayout.JAVA_LONG, LinuxConstants.STX_INO) == inode
                && statx.get(ValueLayout.JAVA_LONG, LinuxConstants.STX_SIZE) == size
                && statx.get(ValueLayout.JAVA_LONG, LinuxConstants.STX_MTIME_SEC) == mtimeSec
                && Integer.toUnsignedLong(statx.get(ValueLayout.JAVA_INT, LinuxConstants.STX_MTIME_NSEC)) == mtimeNsec;
    }

    /** The whole file in memory, or null when it is sent from the descriptor. */
    public MemorySegment body() {
        return body;
    }

    /** Last-Modified with the file system's millisecond precision (Tomcat compares dates with it). */
    public long lastModifiedMillis() {
        return mtimeMillis;
    }

    /** The entity tag, e.g. {@code W/"11-1700000000123"}. */
    public byte[] etag() {
        return etag;
    }

    /** The header lines of a 304 for this file. */
    public byte[] notModifiedLines() {
        return notModifiedLines;
    }

    /** The {@code .br} sibling, or null. */
    public CachedFile br() {
        return br;
    }

    /** The {@code .gz} sibling, or null. */
    public CachedFile gzip() {
        return gzip;
    }

    /** Whether a precompressed sibling exists, so every answer varies by Accept-Encoding. */
    public boolean hasVariants() {
        return br != null || gzip != null;
    }

    /** Bytes this entry and its variants hold in memory. */
    long heldBytes() {
        return (body != null ? size : 0) + (br != null ? br.heldBytes() : 0) + (gzip != null ? gzip.heldBytes() : 0);
    }

    public String relativePath() {
        return relative;
    }

    public void retain() {
        refs++;
    }

    /** Marks this entry and its variants evicted; each closes once no response sends from it. */
    void evict() {
        evicted = true;
        if (br != null) {
            br.evict();
        }
        if (gzip != null) {
            gzip.evict();
        }
        closeIfUnused();
    }

    void closeIfUnused() {
        if (evicted && refs == 0 && !closed) {
            closed = true;
            Libc.close(fd);
            memory.close();
        }
    }
}
