package dev.ringside.uring.files;

import dev.ringside.uring.sys.Libc;

import static dev.ringside.uring.sys.LinuxConstants.F_SETPIPE_SZ;
import static dev.ringside.uring.sys.LinuxConstants.O_CLOEXEC;

/**
 * Pipes for splice, per loop. A body in flight owns its pipe until the pipe is drained into
 * the socket (a pipe shared by two connections would interleave their bytes), so there is one
 * pipe per response in flight, created on first need, kept for reuse, bounded. When none is
 * left the caller sends the body by read + send instead.
 */
public final class PipePool implements AutoCloseable {
    private final int[] readEnds;
    private final int[] writeEnds;
    private final int[] free;
    private final int pipeSize;
    private int created;
    private int freeCount;
    private int inUse;

    public PipePool(int maxPipes, int pipeSize) {
        this.readEnds = new int[maxPipes];
        this.writeEnds = new int[maxPipes];
        this.free = new int[maxPipes];
        this.pipeSize = pipeSize;
    }

    /** A pipe index, or -1 if the bound is reached or the kernel refuses (EMFILE). */
    public int acquire() {
        if (freeCount > 0) {
            inUse++;
            return free[--freeCount];
        }
        if (created == readEnds.length) {
            return -1;
        }
        int[] fds = new int[2];
        if (Libc.pipe2(fds, O_CLOEXEC) < 0) {
            return -1;
        }
        // A bigger pipe moves a large file in fewer splices; the kernel caps it at pipe-max-size.
        Libc.fcntl(fds[1], F_SETPIPE_SZ, pipeSize);
        readEnds[created] = fds[0];
        writeEnds[created] = fds[1];
        inUse++;
        return created++;
    }

    /** Returns a drained pipe. A pipe that may still hold bytes must be {@link #discard}ed instead. */
    public void release(int pipe) {
        inUse--;
        free[freeCount++] = pipe;
    }

    /** Closes a pipe whose content is unknown (the connection died mid-body) and frees its place. */
    public void discard(int pipe) {
        inUse--;
        Libc.close(readEnds[pipe]);
        Libc.close(writeEnds[pipe]);
        int[] fds = new int[2];
        if (Libc.pipe2(fds, O_CLOEXEC) == 0) {
            Libc.fcntl(fds[1], F_SETPIPE_SZ, pipeSize);
            readEnds[pipe] = fds[0];
            writeEnds[pipe] = fds[1];
            free[freeCount++] = pipe;
        } else {
            // Out of descriptors: this place stays empty rather than hold a broken pipe.
            readEnds[pipe] = -1;
            writeEnds[pipe] = -1;
        }
    }

    public int readEnd(int pipe) {
        return readEnds[pipe];
    }

    public int writeEnd(int pipe) {
        return writeEnds[pipe];
    }

    /** Pipes created so far (each holds two descriptors until {@link #close()}). */
    public int created() {
        return created;
    }

    public int inUse() {
        return inUse;
    }

    @Override
    public void close() {
        for (int i = 0; i < created; i++) {
            if (readEnds[i] >= 0) {
                Libc.close(readEnds[i]);
                Libc.close(writeEnds[i]);
            }
        }
        created = 0;
        freeCount = 0;
    }
}
