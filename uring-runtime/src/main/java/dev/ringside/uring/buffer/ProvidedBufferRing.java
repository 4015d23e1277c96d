package dev.ringside.uring.buffer;

import dev.ringside.uring.ring.Ring;
import dev.ringside.uring.sys.Errno;
import dev.ringside.uring.sys.IoUringSyscalls;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static dev.ringside.uring.sys.IoUringConstants.IORING_REGISTER_PBUF_RING;
import static dev.ringside.uring.sys.IoUringConstants.IORING_UNREGISTER_PBUF_RING;
import static dev.ringside.uring.sys.IoUringLayouts.*;

/**
 * A provided-buffer ring (IORING_REGISTER_PBUF_RING): receive buffers the kernel picks at the
 * moment data arrives, so a connection waiting for its next request holds no buffer at all.
 * The kernel consumes entries from the head; we give buffers back by writing an entry at our
 * tail and publishing the tail with a release store (the u16 overlays {@code bufs[0].resv}).
 */
public final class ProvidedBufferRing implements AutoCloseable {
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();

    private final Ring ring;
    private final int groupId;
    private final int entries;
    private final int mask;
    private final int bufferSize;
    private final MemorySegment ringMem;
    private final MemorySegment buffers;
    private final boolean[] withKernel;
    private int tail;
    private int outstanding;
    private boolean closed;

    public ProvidedBufferRing(Ring ring, Arena arena, int groupId, int entries, int bufferSize) throws IOException {
        if (Integer.bitCount(entries) != 1 || entries > 32768) {
            throw new IllegalArgumentException("entries must be a power of two <= 32768: " + entries);
        }
        this.ring = ring;
        this.groupId = groupId;
        this.entries = entries;
        this.mask = entries - 1;
        this.bufferSize = bufferSize;
        this.ringMem = arena.allocate(BUF_SIZE * entries, 4096);
        this.buffers = arena.allocate((long) bufferSize * entries, 4096);
        this.withKernel = new boolean[entries];
        MemorySegment reg = arena.allocate(BUF_REG_SIZE, 8);
        reg.set(ValueLayout.JAVA_LONG, BUF_REG_RING_ADDR, ringMem.address());
        reg.set(ValueLayout.JAVA_INT, BUF_REG_RING_ENTRIES, entries);
        reg.set(ValueLayout.JAVA_SHORT, BUF_REG_BGID, (short) groupId);
        int r = IoUringSyscalls.register(ring.fd(), IORING_REGISTER_PBUF_RING, reg, 1);
        if (r < 0) {
            throw new IOException("IORING_REGISTER_PBUF_RING failed: " + Errno.name(r));
        }
        for (int bid = 0; bid < entries; bid++) {
            put(bid);
        }
        publish();
    }

    private void put(int bid) {
        long e = BUF_SIZE * (tail & mask);
        ringMem.set(ValueLayout.JAVA_LONG, e + BUF_ADDR, buffers.address() + (long) bid * bufferSize);
        ringMem.set(ValueLayout.JAVA_INT, e + BUF_LEN, bufferSize);
        ringMem.set(ValueLayout.JAVA_SHORT, e + BUF_BID, (short) bid);
        withKernel[bid] = true;
        tail++;
    }

    private void publish() {
        SHORT.setRelease(ringMem, BUF_RING_TAIL, (short) tail);
    }

    /** The kernel filled buffer {@code bid} and handed it to us (a CQE with IORING_CQE_F_BUFFER). */
    public void taken(int bid) {
        if (!withKernel[bid]) {
            throw new IllegalStateException("buffer " + bid + " taken twice");
        }
        withKernel[bid] = false;
        outstanding++;
    }

    /** Gives buffer {@code bid} back to the kernel. */
    public void recycle(int bid) {
        if (withKernel[bid]) {
            throw new IllegalStateException("buffer " + bid + " recycled twice");
        }
        outstanding--;
        put(bid);
        publish();
    }

    public int groupId() {
        return groupId;
    }

    public int bufferSize() {
        return bufferSize;
    }

    public MemorySegment buffers() {
        return buffers;
    }

    public long offset(int bid) {
        return (long) bid * bufferSize;
    }

    /** Buffers handed to us and not yet given back: 0 when nothing leaks. */
    public int outstanding() {
        return outstanding;
    }

    public int entries() {
        return entries;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(BUF_REG_SIZE, 8);
            reg.set(ValueLayout.JAVA_SHORT, BUF_REG_BGID, (short) groupId);
            IoUringSyscalls.register(ring.fd(), IORING_UNREGISTER_PBUF_RING, reg, 1);
        }
    }
}
