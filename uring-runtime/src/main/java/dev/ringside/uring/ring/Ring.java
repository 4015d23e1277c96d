package dev.ringside.uring.ring;

import dev.ringside.uring.sys.Errno;
import dev.ringside.uring.sys.IoUringSyscalls;
import dev.ringside.uring.sys.Libc;
import dev.ringside.uring.sys.Native;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.ringside.uring.sys.IoUringConstants.*;
import static dev.ringside.uring.sys.IoUringLayouts.*;
import static dev.ringside.uring.sys.LinuxConstants.*;

/**
 * One io_uring instance: its mapped SQ and CQ, and the calls that move SQEs in and CQEs out.
 * A ring belongs to the thread that creates it (SINGLE_ISSUER and DEFER_TASKRUN hold the
 * kernel to that), so every method but {@link #features()} must be called on that thread.
 *
 * <p>Set-up follows liburing's {@code setup.c}: ask for the best flags, step down to the next
 * set when the kernel says {@code EINVAL}, map SQ and CQ once when the kernel offers
 * SINGLE_MMAP, and map the SQE array separately.
 */
public final class Ring implements AutoCloseable {
    /** Flag sets tried in order; the first the kernel accepts wins. */
    private static final int[] TASKRUN_SETUPS = {
            IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
            IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
            0,
    };

    private final int fd;
    private final RingFeatures features;
    private final MemorySegment sqRingMem;
    private final MemorySegment cqRingMem;
    private final MemorySegment sqesMem;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final Arena arena;
    private final MemorySegment capture;
    private final MemorySegment waitArg;
    private final MemorySegment waitTimespec;
    private boolean closed;

    public Ring(RingOptions options) throws IOException {
        this.arena = Arena.ofShared();
        int fd = -1;
        MemorySegment sqMem = MemorySegment.NULL, cqMem = MemorySegment.NULL, sqes = MemorySegment.NULL;
        try {
            MemorySegment params = arena.allocate(PARAMS_SIZE, 8);
            int setupFlags = 0;
            int result = -Errno.EINVAL;
            int[] candidates = options.taskrunFlags() ? TASKRUN_SETUPS : new int[]{0};
            for (int taskrun : candidates) {
                setupFlags = taskrun | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
                params.fill((byte) 0);
                params.set(ValueLayout.JAVA_INT, PARAMS_FLAGS, setupFlags);
                params.set(ValueLayout.JAVA_INT, PARAMS_CQ_ENTRIES, options.entries() * options.cqMultiplier());
                result = IoUringSyscalls.setup(options.entries(), params);
                if (result >= 0 || result != -Errno.EINVAL) {
                    break;
                }
            }
            if (result < 0) {
                throw new IOException("io_uring_setup failed: " + Errno.name(result)
                        + (result == -Errno.EPERM ? " (io_uring disabled by sysctl or seccomp)" : ""));
            }
            fd = result;
            int kernelFeatures = params.get(ValueLayout.JAVA_INT, PARAMS_FEATURES);
            int sqEntries = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_ENTRIES);
            int cqEntries = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_ENTRIES);
            long sqSize = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + SQ_OFF_ARRAY) + 4L * sqEntries;
            long cqSize = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + CQ_OFF_CQES) + CQE_SIZE * cqEntries;
            boolean singleMmap = (kernelFeatures & IORING_FEAT_SINGLE_MMAP) != 0;
            if (singleMmap) {
                sqSize = cqSize = Math.max(sqSize, cqSize);
            }
            int[] err = new int[1];
            sqMem = Libc.mmap(sqSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING, err);
            if (sqMem.equals(MemorySegment.NULL)) {
                throw new IOException("mmap of the SQ ring failed: " + Errno.name(err[0]));
            }
            if (singleMmap) {
                cqMem = sqMem;
            } else {
                cqMem = Libc.mmap(cqSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING, err);
                if (cqMem.equals(MemorySegment.NULL)) {
                    throw new IOException("mmap of the CQ ring failed: " + Errno.name(err[0]));
                }
            }
            sqes = Libc.mmap(SQE_SIZE * sqEntries, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                    IORING_OFF_SQES, err);
            if (sqes.equals(MemorySegment.NULL)) {
                throw new IOException("mmap of the SQE array failed: " + Errno.name(err[0]));
            }
            this.fd = fd;
            this.sqRingMem = sqMem;
            this.cqRingMem = cqMem;
            this.sqesMem = sqes;
            this.sq = new SubmissionQueue(this::submit, sqMem, sqes, params, PARAMS_SQ_OFF);
            this.cq = new CompletionQueue(cqMem, params, PARAMS_CQ_OFF);
            this.features = RingFeatures.probe(fd, setupFlags, kernelFeatures, sqEntries, cqEntries, options);
            this.capture = Native.newCaptureState(arena);
            this.waitArg = arena.allocate(GETEVENTS_ARG_SIZE, 8);
            this.waitTimespec = arena.allocate(TIMESPEC_SIZE, 8);
        } catch (IOException | RuntimeException | Error e) {
            // Free what was built before the failure, in reverse.
            if (!sqes.equals(MemorySegment.NULL)) Libc.munmap(sqes);
            if (!cqMem.equals(MemorySegment.NULL) && !cqMem.equals(sqMem)) Libc.munmap(cqMem);
            if (!sqMem.equals(MemorySegment.NULL)) Libc.munmap(sqMem);
            if (fd >= 0) Libc.close(fd);
            arena.close();
            throw e;
        }
    }

    public int fd() {
        return fd;
    }

    public RingFeatures features() {
        return features;
    }

    public SubmissionQueue sq() {
        return sq;
    }

    public CompletionQueue cq() {
        return cq;
    }

    /** Hands prepared SQEs to the kernel without waiting; returns how many it took, or -errno. */
    public int submit() {
        int n = sq.publish();
        int flags = 0;
        if (features.deferTaskrun() || (sq.kernelFlags() & (IORING_SQ_TASKRUN | IORING_SQ_CQ_OVERFLOW)) != 0) {
            // Deferred task work (completions) only runs inside io_uring_enter with GETEVENTS.
            flags = IORING_ENTER_GETEVENTS;
        }
        if (n == 0 && flags == 0) {
            return 0;
        }
        return enter(n, 0, flags);
    }

    /**
     * Submits what is prepared and waits until at least {@code minComplete} completions are
     * ready, or until {@code timeoutNanos} passed ({@code <= 0}: no limit). Returns the number
     * submitted, or -errno; {@code -ETIME} and {@code -EINTR} are normal wake-ups.
     */
    public int submitAndWait(int minComplete, long timeoutNanos) {
        int n = sq.publish();
        if (cq.ready() >= minComplete) {
            return n > 0 || features.deferTaskrun() ? enter(n, 0, IORING_ENTER_GETEVENTS) : 0;
        }
        if (timeoutNanos > 0 && features.extArg()) {
            waitTimespec.set(ValueLayout.JAVA_LONG, TIMESPEC_SEC, timeoutNanos / 1_000_000_000L);
            waitTimespec.set(ValueLayout.JAVA_LONG, TIMESPEC_NSEC, timeoutNanos % 1_000_000_000L);
            waitArg.set(ValueLayout.JAVA_LONG, 0, 0L);
            waitArg.set(ValueLayout.JAVA_INT, 8, 0);
            waitArg.set(ValueLayout.JAVA_INT, 12, 0);
            waitArg.set(ValueLayout.JAVA_LONG, GETEVENTS_ARG_TS, waitTimespec.address());
            return IoUringSyscalls.enter(capture, fd, n, minComplete,
                    IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, waitArg, GETEVENTS_ARG_SIZE);
        }
        return enter(n, minComplete, IORING_ENTER_GETEVENTS);
    }

    private int enter(int toSubmit, int minComplete, int flags) {
        return IoUringSyscalls.enter(capture, fd, toSubmit, minComplete, flags, MemorySegment.NULL, 0);
    }

    /** Draws every ready completion through {@code handler}. */
    public int drain(CompletionHandler handler) {
        return cq.drain(handler);
    }

    /** Unmaps and closes. In-flight operations are cancelled by the kernel with the ring's fd. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc.munmap(sqesMem);
        if (!cqRingMem.equals(sqRingMem)) {
            Libc.munmap(cqRingMem);
        }
        Libc.munmap(sqRingMem);
        Libc.close(fd);
        arena.close();
    }
}
