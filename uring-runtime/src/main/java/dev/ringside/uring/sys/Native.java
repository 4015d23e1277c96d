package dev.ringside.uring.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one place that binds libc symbols. Every binding captures {@code errno} through
 * {@link Linker.Option#captureCallState}, so a wrapper can return {@code -errno} the way the
 * kernel and liburing do, instead of reading a thread-local after the fact (which the JVM may
 * have clobbered by then).
 */
public final class Native {
    private Native() {}

    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT
            .varHandle(MemoryLayout.PathElement.groupElement("errno"))
            .withInvokeExactBehavior();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** One capture buffer per thread for the slow-path wrappers; the ring keeps its own. */
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.global().allocate(CAPTURE_LAYOUT));

    /** A capture segment owned by the caller (hot paths keep one and pass it every time). */
    public static MemorySegment newCaptureState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static MemorySegment threadCapture() {
        return CAPTURE.get();
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** {@code result < 0 ? -errno : result}: the kernel's own convention. */
    static int check(int result, MemorySegment capture) {
        return result < 0 ? -errno(capture) : result;
    }

    static long check(long result, MemorySegment capture) {
        return result < 0 ? -errno(capture) : result;
    }
}
