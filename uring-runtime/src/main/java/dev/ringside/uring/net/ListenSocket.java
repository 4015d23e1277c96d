package dev.ringside.uring.net;

import dev.ringside.uring.sys.Errno;
import dev.ringside.uring.sys.Libc;
import dev.ringside.uring.sys.SocketAddresses;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

import static dev.ringside.uring.sys.LinuxConstants.*;

/**
 * A listening TCP socket. Every loop opens its own on the same address with SO_REUSEPORT, so
 * the kernel spreads incoming connections across loops without any hand-off between threads.
 */
public final class ListenSocket implements AutoCloseable {
    private final int fd;
    private final InetSocketAddress localAddress;
    private boolean closed;

    private ListenSocket(int fd, InetSocketAddress localAddress) {
        this.fd = fd;
        this.localAddress = localAddress;
    }

    public static ListenSocket open(InetSocketAddress address, int backlog, boolean reusePort) throws IOException {
        int family = address.getAddress() instanceof Inet6Address ? AF_INET6 : AF_INET;
        int fd = Errno.orThrow(Libc.socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket");
        try (Arena arena = Arena.ofConfined()) {
            Errno.orThrow(Libc.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1), "setsockopt(SO_REUSEADDR)");
            if (reusePort) {
                Errno.orThrow(Libc.setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, 1), "setsockopt(SO_REUSEPORT)");
            }
            int r = Libc.bind(fd, SocketAddresses.encode(arena, address));
            if (r < 0) {
                throw new IOException("bind " + address + " failed: " + Errno.name(r));
            }
            Errno.orThrow(Libc.listen(fd, backlog), "listen");
            MemorySegment bound = arena.allocate(SocketAddresses.SOCKADDR_STORAGE_SIZE, 8);
            Errno.orThrow(Libc.getsockname(fd, bound), "getsockname");
            return new ListenSocket(fd, SocketAddresses.decode(bound));
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    public int fd() {
        return fd;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
