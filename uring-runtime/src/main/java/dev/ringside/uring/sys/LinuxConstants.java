package dev.ringside.uring.sys;

/** Socket, file and memory constants of x86-64/aarch64 Linux, as the C headers spell them. */
public final class LinuxConstants {
    private LinuxConstants() {}

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;
    public static final int IPPROTO_TCP = 6;
    public static final int TCP_NODELAY = 1;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;
    public static final int MSG_WAITALL = 0x100;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_CREAT = 0100;
    public static final int O_TRUNC = 01000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int AT_FDCWD = -100;
    public static final int AT_EMPTY_PATH = 0x1000;

    // openat2 resolve flags: the kernel itself keeps a lookup inside the root.
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    public static final long RESOLVE_BENEATH = 0x08;

    public static final int STATX_TYPE = 0x1;
    public static final int STATX_MODE = 0x2;
    public static final int STATX_MTIME = 0x40;
    public static final int STATX_INO = 0x100;
    public static final int STATX_SIZE = 0x200;
    public static final int STATX_BASIC_STATS = 0x7ff;
    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFDIR = 0040000;

    // struct statx (256 bytes)
    public static final long STATX_SIZE_BYTES = 256;
    public static final long STX_MODE = 28;
    public static final long STX_INO = 32;
    public static final long STX_SIZE = 40;
    public static final long STX_MTIME_SEC = 112;
    public static final long STX_MTIME_NSEC = 120;

    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int F_GETPIPE_SZ = 1032;

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_POPULATE = 0x8000;
}
