package dev.ringside.uring.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The three io_uring system calls, through libc's variadic {@code syscall(2)}. Every argument
 * is passed as a {@code long}: glibc reads each variadic slot as a long, so an int would leave
 * the register's upper half undefined.
 */
public final class IoUringSyscalls {
    private IoUringSyscalls() {}

    private static final long SYS_IO_URING_SETUP = 425;
    private static final long SYS_IO_URING_ENTER = 426;
    private static final long SYS_IO_URING_REGISTER = 427;

    private static final MethodHandle SYSCALL_3 = Native.bind("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, /*entries*/ JAVA_LONG, /*params*/ ADDRESS),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SYSCALL_4 = Native.bind("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, /*fd*/ JAVA_LONG, /*opcode*/ JAVA_LONG,
                    /*arg*/ ADDRESS, /*nr_args*/ JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SYSCALL_6 = Native.bind("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, /*fd*/ JAVA_LONG, /*to_submit*/ JAVA_LONG,
                    /*min_complete*/ JAVA_LONG, /*flags*/ JAVA_LONG, /*arg*/ ADDRESS, /*argsz*/ JAVA_LONG),
            Linker.Option.firstVariadicArg(1));

    /** {@code io_uring_setup(entries, params)}: the ring fd, or -errno. */
    public static int setup(int entries, MemorySegment params) {
        MemorySegment capture = Native.threadCapture();
        try {
            long r = (long) SYSCALL_3.invokeExact(capture, SYS_IO_URING_SETUP, (long) entries, params);
            return (int) Native.check(r, capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * {@code io_uring_enter}: the hot call. The caller passes its own capture segment so the
     * loop allocates nothing and touches no thread-local.
     */
    public static int enter(MemorySegment capture, int ringFd, int toSubmit, int minComplete,
                            int flags, MemorySegment arg, long argSize) {
        try {
            long r = (long) SYSCALL_6.invokeExact(capture, SYS_IO_URING_ENTER, (long) ringFd,
                    (long) toSubmit, (long) minComplete, (long) flags, arg, argSize);
            return (int) Native.check(r, capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code io_uring_register(fd, opcode, arg, nr_args)}: >= 0, or -errno. */
    public static int register(int ringFd, int opcode, MemorySegment arg, int nrArgs) {
        MemorySegment capture = Native.threadCapture();
        try {
            long r = (long) SYSCALL_4.invokeExact(capture, SYS_IO_URING_REGISTER, (long) ringFd,
                    (long) opcode, arg, (long) nrArgs);
            return (int) Native.check(r, capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
