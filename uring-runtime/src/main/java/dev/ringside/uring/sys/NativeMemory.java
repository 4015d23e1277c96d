package dev.ringside.uring.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Blocks of libc memory that live until {@link #close()} frees them all, for memory made on one
 * thread, read on another and freed by a third (a cached file: loaded on a file thread, sent by a
 * loop, freed when its last send completes). A shared {@link java.lang.foreign.Arena} would do,
 * but closing one is a handshake with every Java thread, loops included: about 150 µs here
 * against 1 µs for a confined arena (docs/benchmarks.md), paid by the loop at each eviction. The
 * segments are unchecked: the owner frees them only once nothing (no send in flight) uses them.
 * Not thread-safe: one thread allocates, later one thread closes.
 */
public final class NativeMemory implements AutoCloseable {
    private static final MethodHandle ALIGNED_ALLOC = Native.bind("aligned_alloc",
            FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FREE = Native.bind("free", FunctionDescriptor.ofVoid(ADDRESS));

    private MemorySegment[] blocks = new MemorySegment[4];
    private int count;
    private boolean closed;

    /** {@code size} bytes (at least one is taken) aligned to {@code align}, a power of two; OutOfMemoryError if libc has none. */
    public MemorySegment allocate(long size, long align) {
        if (closed) {
            throw new IllegalStateException("freed");
        }
        long taken = Math.max(align, (Math.max(1, size) + align - 1) & -align); // aligned_alloc wants a multiple
        MemorySegment p;
        MemorySegment capture = Native.threadCapture();
        try {
            p = (MemorySegment) ALIGNED_ALLOC.invokeExact(capture, align, taken);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (p.address() == 0) {
            throw new OutOfMemoryError("aligned_alloc(" + align + ", " + taken + ") failed");
        }
        if (count == blocks.length) {
            blocks = Arrays.copyOf(blocks, count * 2);
        }
        blocks[count++] = p;
        return p.reinterpret(size);
    }

    /** {@code s} in UTF-8 with a terminating NUL, for a path argument. */
    public MemorySegment allocateFrom(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment m = allocate(b.length + 1L, 1);
        MemorySegment.copy(b, 0, m, JAVA_BYTE, 0, b.length);
        m.set(JAVA_BYTE, b.length, (byte) 0);
        return m;
    }

    /** Frees every block; once only. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        MemorySegment capture = Native.threadCapture();
        for (int i = 0; i < count; i++) {
            try {
                FREE.invokeExact(capture, blocks[i]);
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
            blocks[i] = null;
        }
        count = 0;
    }
}
