package dev.ringside.uring.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static dev.ringside.uring.sys.IoUringConstants.*;
import static dev.ringside.uring.sys.IoUringLayouts.*;

/**
 * The submission side of a {@link Ring}: a local tail that runs ahead of the kernel's view until
 * {@link #publish()} stores it with release semantics. Each {@code prep*} method writes all 64
 * bytes of one SQE at named offsets, so nothing is ever zeroed and no SQE inherits a field from
 * its previous use. Method names follow liburing's {@code io_uring_prep_*} so they can be read
 * side by side with {@code queue.c}.
 *
 * <p>A full ring is submitted at once; if the kernel still takes nothing (it may refuse with
 * {@code EBUSY} while completions overflow, or {@code EAGAIN}), the SQE goes to a backlog in
 * memory of ours, in order, and enters the ring at the next submit that finds room: preparing an
 * SQE never fails, so a burst never costs the loop.
 */
public final class SubmissionQueue {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** What hands the published SQEs to the kernel: {@link Ring#submit()}. */
    interface Submitter {
        int submit();
    }

    private final Submitter ring;
    private final MemorySegment ringMem;
    private final MemorySegment sqes;
    private final long headOffset;
    private final long tailOffset;
    private final long flagsOffset;
    private final int mask;
    private final int entries;
    /** Our tail: SQEs up to here are prepared; the kernel sees them after {@link #publish()}. */
    private int tail;
    /** The tail the kernel last saw. */
    private int published;
    /** SQEs prepared while the ring was full and the kernel took none, oldest first; grown on demand. */
    private MemorySegment backlog;
    private int backlogCount;
    private long backlogged;

    SubmissionQueue(Submitter ring, MemorySegment ringMem, MemorySegment sqes, MemorySegment params, long sqOff) {
        this.ring = ring;
        this.ringMem = ringMem;
        this.sqes = sqes;
        this.headOffset = params.get(ValueLayout.JAVA_INT, sqOff + SQ_OFF_HEAD);
        this.tailOffset = params.get(ValueLayout.JAVA_INT, sqOff + SQ_OFF_TAIL);
        this.flagsOffset = params.get(ValueLayout.JAVA_INT, sqOff + SQ_OFF_FLAGS);
        this.mask = ringMem.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, sqOff + SQ_OFF_RING_MASK));
        this.entries = ringMem.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, sqOff + SQ_OFF_RING_ENTRIES));
        // The indirection array maps ring index i to SQE i once and for all.
        long array = params.get(ValueLayout.JAVA_INT, sqOff + SQ_OFF_ARRAY);
        for (int i = 0; i < entries; i++) {
            ringMem.set(ValueLayout.JAVA_INT, array + 4L * i, i);
        }
        this.tail = (int) INT.getVolatile(ringMem, tailOffset);
        this.published = tail;
    }

    public int entries() {
        return entries;
    }

    /** SQEs prepared but not yet handed to the kernel (those in the backlog included). */
    public int pending() {
        return tail - published + backlogCount;
    }

    /** SQEs that ever had to wait in the backlog (a ring too small for its bursts, or a kernel that refused). */
    public long backlogged() {
        return backlogged;
    }

    int kernelFlags() {
        return (int) INT.getOpaque(ringMem, flagsOffset);
    }

    /** Makes prepared SQEs visible to the kernel, moving backlogged ones in as room allows; returns how many. */
    int publish() {
        if (backlogCount > 0) {
            refill();
        }
        int n = tail - published;
        if (n > 0) {
            INT.setRelease(ringMem, tailOffset, tail);
            published = tail;
        }
        return n;
    }

    private boolean ringFull() {
        return tail - (int) INT.getAcquire(ringMem, headOffset) >= entries;
    }

    /**
     * Where the next SQE goes: a free ring slot (the queue submitted first if the ring is full),
     * or, if the kernel took nothing or SQEs already wait, the backlog's end (order is kept).
     */
    private MemorySegment target;

    private long next() {
        if (backlogCount == 0 && ringFull()) {
            ring.submit();
        }
        if (backlogCount > 0 || ringFull()) {
            if (backlog == null || (long) (backlogCount + 1) * SQE_SIZE > backlog.byteSize()) {
                MemorySegment bigger = java.lang.foreign.Arena.ofAuto().allocate(
                        Math.max(8L, 2L * backlogCount) * SQE_SIZE, 64);
                if (backlog != null) {
                    MemorySegment.copy(backlog, 0, bigger, 0, (long) backlogCount * SQE_SIZE);
                }
                backlog = bigger;
            }
            target = backlog;
            backlogged++;
            return (long) backlogCount++ * SQE_SIZE;
        }
        target = sqes;
        long sqe = (long) (tail & mask) * SQE_SIZE;
        tail++;
        return sqe;
    }

    /** Moves backlogged SQEs, oldest first, into the ring's free slots. */
    private void refill() {
        int moved = 0;
        while (moved < backlogCount && !ringFull()) {
            MemorySegment.copy(backlog, (long) moved * SQE_SIZE, sqes, (long) (tail & mask) * SQE_SIZE, SQE_SIZE);
            tail++;
            moved++;
        }
        if (moved > 0) {
            backlogCount -= moved;
            MemorySegment.copy(backlog, (long) moved * SQE_SIZE, backlog, 0, (long) backlogCount * SQE_SIZE);
        }
    }

    private void write(byte op, byte flags, short ioprio, int fd, long off, long addr, int len,
                       int opFlags, long userData, short bufIndex, int spliceFdIn) {
        long s = next();
        MemorySegment sqes = target;
        sqes.set(ValueLayout.JAVA_BYTE, s + SQE_OPCODE, op);
        sqes.set(ValueLayout.JAVA_BYTE, s + SQE_FLAGS, flags);
        sqes.set(ValueLayout.JAVA_SHORT, s + SQE_IOPRIO, ioprio);
        sqes.set(ValueLayout.JAVA_INT, s + SQE_FD, fd);
        sqes.set(ValueLayout.JAVA_LONG, s + SQE_OFF, off);
        sqes.set(ValueLayout.JAVA_LONG, s + SQE_ADDR, addr);
        sqes.set(ValueLayout.JAVA_INT, s + SQE_LEN, len);
        sqes.set(ValueLayout.JAVA_INT, s + SQE_OP_FLAGS, opFlags);
        sqes.set(ValueLayout.JAVA_LONG, s + SQE_USER_DATA, userData);
        sqes.set(ValueLayout.JAVA_SHORT, s + SQE_BUF_INDEX, bufIndex);
        sqes.set(ValueLayout.JAVA_SHORT, s + SQE_PERSONALITY, (short) 0);
        sqes.set(ValueLayout.JAVA_INT, s + SQE_SPLICE_FD_IN, spliceFdIn);
        sqes.set(ValueLayout.JAVA_LONG, s + SQE_ADDR3, 0L);
        sqes.set(ValueLayout.JAVA_LONG, s + SQE_PAD2, 0L);
    }

    public void prepNop(long userData) {
        write(IORING_OP_NOP, (byte) 0, (short) 0, -1, 0, 0, 0, 0, userData, (short) 0, 0);
    }

    /** Accept on a listening socket; multishot keeps it armed and posts one CQE per connection. */
    public void prepAccept(int listenFd, boolean multishot, int acceptFlags, long userData) {
        write(IORING_OP_ACCEPT, (byte) 0, multishot ? IORING_ACCEPT_MULTISHOT : 0, listenFd, 0, 0, 0,
                acceptFlags, userData, (short) 0, 0);
    }

    /** Receive into a buffer the kernel picks from buffer group {@code bgid}. */
    public void prepRecvSelect(int fd, int bgid, boolean multishot, long userData) {
        write(IORING_OP_RECV, IOSQE_BUFFER_SELECT, multishot ? IORING_RECV_MULTISHOT : 0, fd, 0, 0, 0, 0,
                userData, (short) bgid, 0);
    }

    /** Receive into a buffer of ours. */
    public void prepRecv(int fd, long address, int length, int msgFlags, long userData) {
        write(IORING_OP_RECV, (byte) 0, (short) 0, fd, 0, address, length, msgFlags, userData, (short) 0, 0);
    }

    public void prepSend(int fd, long address, int length, int msgFlags, long userData) {
        write(IORING_OP_SEND, (byte) 0, (short) 0, fd, 0, address, length, msgFlags, userData, (short) 0, 0);
    }

    /** sendmsg with a prepared {@code struct msghdr} (an iovec per part of a response). */
    public void prepSendmsg(int fd, long msghdrAddress, int msgFlags, long userData) {
        write(IORING_OP_SENDMSG, (byte) 0, (short) 0, fd, 0, msghdrAddress, 1, msgFlags, userData, (short) 0, 0);
    }

    /**
     * splice(fdIn, offIn, fdOut, offOut, len). An offset of -1 means "the fd's own position"
     * (required for a pipe or socket end).
     */
    public void prepSplice(int fdIn, long offIn, int fdOut, long offOut, int length, int spliceFlags,
                           long userData) {
        write(IORING_OP_SPLICE, (byte) 0, (short) 0, fdOut, offOut, offIn, length, spliceFlags, userData,
                (short) 0, fdIn);
    }

    public void prepRead(int fd, long address, int length, long offset, long userData) {
        write(IORING_OP_READ, (byte) 0, (short) 0, fd, offset, address, length, 0, userData, (short) 0, 0);
    }

    public void prepWrite(int fd, long address, int length, long offset, long userData) {
        write(IORING_OP_WRITE, (byte) 0, (short) 0, fd, offset, address, length, 0, userData, (short) 0, 0);
    }

    public void prepClose(int fd, long userData) {
        write(IORING_OP_CLOSE, (byte) 0, (short) 0, fd, 0, 0, 0, 0, userData, (short) 0, 0);
    }

    /** Like {@link #prepClose} but posts no CQE when it succeeds: fire and forget. */
    public void prepCloseQuiet(int fd, long userData) {
        write(IORING_OP_CLOSE, IOSQE_CQE_SKIP_SUCCESS, (short) 0, fd, 0, 0, 0, 0, userData, (short) 0, 0);
    }

    /** socket(domain, type, protocol) through the ring (kernel 5.19+); the CQE's res is the new descriptor. */
    public void prepSocket(int domain, int type, int protocol, long userData) {
        write(IORING_OP_SOCKET, (byte) 0, (short) 0, domain, type, 0, protocol, 0, userData, (short) 0, 0);
    }

    /**
     * connect(fd, sockaddr, addrlen). Kernels before 5.18 read the sockaddr when the operation
     * runs rather than at submit, so it must stay valid until the CQE.
     */
    public void prepConnect(int fd, long sockaddrAddress, int addrlen, long userData) {
        write(IORING_OP_CONNECT, (byte) 0, (short) 0, fd, addrlen, sockaddrAddress, 0, 0, userData, (short) 0, 0);
    }

    public void prepShutdown(int fd, int how, long userData) {
        write(IORING_OP_SHUTDOWN, (byte) 0, (short) 0, fd, 0, 0, how, 0, userData, (short) 0, 0);
    }

    /** openat(dirfd, path, flags, mode); {@code pathAddress} is a NUL-terminated string that must stay valid until submit. */
    public void prepOpenat(int dirfd, long pathAddress, int flags, int mode, long userData) {
        write(IORING_OP_OPENAT, (byte) 0, (short) 0, dirfd, 0, pathAddress, mode, flags, userData, (short) 0, 0);
    }

    /** statx(dirfd, path, flags, mask, statxbuf); the buffer must stay valid until the CQE. */
    public void prepStatx(int dirfd, long pathAddress, int flags, int mask, long statxAddress, long userData) {
        write(IORING_OP_STATX, (byte) 0, (short) 0, dirfd, statxAddress, pathAddress, mask, flags, userData,
                (short) 0, 0);
    }

    /**
     * A timeout that completes after the {@code __kernel_timespec} at {@code timespecAddress}
     * (with {@code -ETIME}), or after {@code count} other completions. The timespec is read at
     * submit, so it may be reused afterwards.
     */
    public void prepTimeout(long timespecAddress, int count, int timeoutFlags, long userData) {
        write(IORING_OP_TIMEOUT, (byte) 0, (short) 0, -1, count, timespecAddress, 1, timeoutFlags, userData,
                (short) 0, 0);
    }

    /** Cancels the operation whose user_data is {@code targetUserData}. */
    public void prepCancel(long targetUserData, int cancelFlags, long userData) {
        write(IORING_OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1, 0, targetUserData, 0, cancelFlags, userData,
                (short) 0, 0);
    }

    /** Cancels every operation on {@code fd}. */
    public void prepCancelFd(int fd, long userData) {
        write(IORING_OP_ASYNC_CANCEL, (byte) 0, (short) 0, fd, 0, 0, 0,
                IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL, userData, (short) 0, 0);
    }
}
