package dev.ringside.uring.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libc calls used outside the ring: set-up, tear-down and slow paths. Each returns the call's
 * result or {@code -errno}; none throws. The hot path goes through the ring instead.
 */
public final class Libc {
    private Libc() {}

    private static final MethodHandle MMAP = Native.bind("mmap", FunctionDescriptor.of(ADDRESS,
            ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = Native.bind("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = Native.bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SOCKET = Native.bind("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = Native.bind("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = Native.bind("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle BIND = Native.bind("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = Native.bind("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = Native.bind("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETPEERNAME = Native.bind("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SHUTDOWN = Native.bind("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PIPE2 = Native.bind("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FCNTL = Native.bind("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            java.lang.foreign.Linker.Option.firstVariadicArg(2));
    private static final MethodHandle EVENTFD = Native.bind("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle WRITE = Native.bind("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle READ = Native.bind("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle OPENAT = Native.bind("openat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            java.lang.foreign.Linker.Option.firstVariadicArg(3));
    private static final MethodHandle STATX = Native.bind("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SYSCALL_OPENAT2 = Native.bind("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
            java.lang.foreign.Linker.Option.firstVariadicArg(1));
    private static final long SYS_OPENAT2 = 437;

    /** mmap of a ring region; returns {@link MemorySegment#NULL} on failure ({@code -errno} in errnoOut[0]). */
    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset, int[] errnoOut) {
        MemorySegment capture = Native.threadCapture();
        try {
            MemorySegment p = (MemorySegment) MMAP.invokeExact(capture, MemorySegment.NULL, length,
                    prot, flags, fd, offset);
            if (p.address() == -1L) {
                errnoOut[0] = -Native.errno(capture);
                return MemorySegment.NULL;
            }
            return p.reinterpret(length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int munmap(MemorySegment region) {
        MemorySegment capture = Native.threadCapture();
        try {
            return Native.check((int) MUNMAP.invokeExact(capture, region, region.byteSize()), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int close(int fd) {
        MemorySegment capture = Native.threadCapture();
        try {
            return Native.check((int) CLOSE.invokeExact(capture, fd), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int socket(int domain, int type, int protocol) {
        MemorySegment capture = Native.threadCapture();
        try {
            return Native.check((int) SOCKET.invokeExact(capture, domain, type, protocol), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, int value) {
        MemorySegment capture = Native.threadCapture();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            return Native.check((int) SETSOCKOPT.invokeExact(capture, fd, level, name, v, 4), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value) {
        MemorySegment capture = Native.threadCapture();
        try {
            return Native.check((int) SETSOCKOPT.invokeExact(capture, fd, level, name, value,
                    (int) value.byteSize()), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** getsockopt of an int option: the value, or -errno. */
    public static int getsockoptInt(int fd, int level, int name) {
        MemorySegment capture = Native.threadCapture();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 4);
            int r = Native.check((int) GETSOCKOPT.invokeExact(capture, fd, level, name, v, len), capture);
            return r < 0 ? r : v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int bind(int fd, MemorySegment sockaddr) {
        MemorySegment capture = Native.threadCapture();
        try {
            return Native.check((int) BIND.invokeExact(capture, fd, sockaddr, (int) sockaddr.byteSize()), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int listen(int fd, int backlog) {
        MemorySegment capture = Native.threadCapture();
        try {
            return Native.check((int) LISTEN.invokeExact(capture, fd, backlog), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Fills {@code sockaddr} (sized for the family) with the socket's local address. */
    public static int getsockname(int fd, MemorySegment sockaddr) {
        return nameCall(GETSOCKNAME, fd, sockaddr);
    }

    public static int getpeername(int fd, MemorySegment sockaddr) {
        return nameCall(GETPEERNAME, fd, sockaddr);
    }

    private static int nameCall(MethodHandle call, int fd, MemorySegment sockaddr) {
        MemorySegment capture = Native.threadCapture();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, (int) sockaddr.byteSize());
            return Native.check((int) call.invokeExact(capture, fd, sockaddr, len), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int shutdown(int fd, int how) {
        MemorySegment capture = Native.threadCapture();
        try {
            return Native.check((int) SHUTDOWN.invokeExact(capture, fd, how), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** pipe2 into {@code fds[0]} (read end) and {@code fds[1]} (write end); 0 or -errno. */
    public static int pipe2(int[] fds, int flags) {
        MemorySegment capture = Native.threadCapture();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            int r = Native.check((int) PIPE2.invokeExact(capture, pair, flags), capture);
            if (r == 0) {
                fds[0] = pair.getAtIndex(JAVA_INT, 0);
                fds[1] = pair.getAtIndex(JAVA_INT, 1);
            }
            return r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int fcntl(int fd, int cmd, int arg) {
        MemorySegment capture = Native.threadCapture();
        try {
            return Native.check((int) FCNTL.invokeExact(capture, fd, cmd, arg), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int eventfd(int initval, int flags) {
        MemorySegment capture = Native.threadCapture();
        try {
            return Native.check((int) EVENTFD.invokeExact(capture, initval, flags), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** write(2) with the caller's capture segment, so a waker thread allocates nothing. */
    public static long write(MemorySegment capture, int fd, MemorySegment buf, long count) {
        try {
            return Native.check((long) WRITE.invokeExact(capture, fd, buf, count), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long read(int fd, MemorySegment buf, long count) {
        MemorySegment capture = Native.threadCapture();
        try {
            return Native.check((long) READ.invokeExact(capture, fd, buf, count), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int openat(int dirfd, MemorySegment path, int flags, int mode) {
        MemorySegment capture = Native.threadCapture();
        try {
            return Native.check((int) OPENAT.invokeExact(capture, dirfd, path, flags, mode), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * openat2(dirfd, path, {flags, 0, resolve}): with {@code RESOLVE_BENEATH} the kernel refuses
     * any lookup that would leave {@code dirfd}, whatever the path or its symlinks say.
     */
    public static int openat2(int dirfd, MemorySegment path, int flags, long resolve) {
        MemorySegment capture = Native.threadCapture();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate(24, 8);
            how.set(JAVA_LONG, 0, flags);
            how.set(JAVA_LONG, 8, 0L);
            how.set(JAVA_LONG, 16, resolve);
            long r = (long) SYSCALL_OPENAT2.invokeExact(capture, SYS_OPENAT2, (long) dirfd, path, how, 24L);
            return (int) Native.check(r, capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int statx(int dirfd, MemorySegment path, int flags, int mask, MemorySegment statxBuf) {
        MemorySegment capture = Native.threadCapture();
        try {
            return Native.check((int) STATX.invokeExact(capture, dirfd, path, flags, mask, statxBuf), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
