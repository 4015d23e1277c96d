package dev.ringside.uring.http;

import dev.ringside.uring.buffer.BufferPool;
import dev.ringside.uring.ring.SubmissionQueue;
import dev.ringside.uring.ring.UserData;
import dev.ringside.uring.sys.Errno;
import dev.ringside.uring.sys.Libc;
import dev.ringside.uring.sys.SocketAddresses;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

import static dev.ringside.uring.sys.LinuxConstants.*;

/**
 * A client connection handed to a backend (a container's own connector on loopback) after its
 * request head: an {@code Upgrade} (WebSocket, h2c) the container answers itself. The loop
 * opens a socket to the backend, sends it the head exactly as received and whatever followed
 * it, then relays bytes both ways until both sides are done.
 *
 * <p>Each direction is a {@link Flow}: receive into its own chunk, send the chunk, receive again.
 * One operation per direction is in flight, so a slow reader stops its writer's side and holds
 * one chunk, never more. An EOF from a side becomes a {@code shutdown(SHUT_WR)} on the other
 * once the chunk is drained, and the other direction goes on (a half-close); when both
 * directions have ended, or anything fails, the driver closes the connection and
 * {@link #release} closes the backend.
 *
 * <p>Receive and send through buffers, not splice: {@code IORING_OP_SPLICE} always runs in an
 * io-wq worker that blocks in splice(2) until the socket has data, so an idle WebSocket would pin
 * two kernel threads, and enough of them would stall the file splices sharing the ring's
 * workers. recv and send are poll-driven: an idle tunnel costs no thread, only its two chunks.
 *
 * <p>Every operation carries the client connection's slot and generation in its user_data (the
 * backend's descriptor is in no table); the op code says which step, {@code data} which
 * direction. All count in the connection's {@code ops}, so the slot is freed only when the
 * kernel holds nothing of either socket. Loop thread only.
 */
final class Tunnel {
    /** Client → backend. */
    static final int UP = 0;
    /** Backend → client. */
    static final int DOWN = 1;

    /** What a tunnel needs from the driver that owns its connection. */
    interface Connections {
        void close(HttpConnection c);

        void finishClose(HttpConnection c);

        /** The backend could not be reached before anything was sent: answer {@code status} and close. */
        void failed(HttpConnection c, int status);

        long userData(HttpConnection c, int op, int data);
    }

    /** One direction's chunk and the step it is at. */
    private static final class Flow {
        final int dir;
        int chunk = -1;
        /** Bytes in the chunk, and how many of them have been sent. */
        int len;
        int sent;
        boolean receiving;
        boolean sending;
        boolean shutting;
        /** The source sent EOF: once the chunk is drained the destination is shut for writing. */
        boolean eof;
        /** The destination is shut for writing: nothing more flows this way. */
        boolean done;

        Flow(int dir) {
            this.dir = dir;
        }

        void reset() {
            chunk = -1;
            len = sent = 0;
            receiving = sending = shutting = eof = done = false;
        }
    }

    private final Connections conns;
    private final SubmissionQueue sq;
    private final BufferPool pool;
    private final boolean socketOp;
    private final HttpServerStats stats;
    /** The backend's address, kept until the connect completes (older kernels read it late). */
    private final MemorySegment sockaddr;
    private final Flow up = new Flow(UP);
    private final Flow down = new Flow(DOWN);

    private int sockaddrLen;
    private int family;
    private int backendFd = -1;
    private boolean connected;
    /** The connection's own HTTP receive still runs (its cancel is in flight): the tunnel's waits. */
    private boolean httpRecvPending;
    private long connectDeadline;

    Tunnel(Connections conns, SubmissionQueue sq, BufferPool pool, boolean socketOp, HttpServerStats stats,
           MemorySegment sockaddr) {
        this.conns = conns;
        this.sq = sq;
        this.pool = pool;
        this.socketOp = socketOp;
        this.stats = stats;
        this.sockaddr = sockaddr;
    }

    /**
     * Takes the bytes [from, to) of {@code seg} (the request head as received and what followed
     * it) and starts opening the backend connection. Returns 0, or the status to answer when it
     * cannot start (no buffers: 503; more bytes than a chunk holds: 431; no socket: 502); then
     * nothing is held and nothing is in flight.
     */
    int start(HttpConnection c, InetSocketAddress backend, MemorySegment seg, long from, long to,
              boolean httpRecvArmed, long connectDeadline) {
        int n = (int) (to - from);
        if (n > pool.chunkSize()) {
            return 431;
        }
        up.chunk = pool.acquire();
        down.chunk = up.chunk < 0 ? -1 : pool.acquire();
        if (down.chunk < 0) {
            stats.poolExhausted++;
            release();
            return 503;
        }
        MemorySegment.copy(seg, from, pool.slab(), pool.offset(up.chunk), n);
        up.len = n;
        sockaddrLen = SocketAddresses.encodeInto(sockaddr, backend);
        family = backend.getAddress() instanceof Inet4Address ? AF_INET : AF_INET6;
        httpRecvPending = httpRecvArmed;
        this.connectDeadline = connectDeadline;
        if (socketOp) {
            sq.prepSocket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
                    conns.userData(c, Ops.TUNNEL_SOCKET, 0));
            c.ops++;
        } else {
            int fd = Libc.socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                stats.tunnelsFailed++;
                release();
                return 502;
            }
            connect(c, fd);
        }
        stats.tunnelsOpened++;
        return 0;
    }

    private void connect(HttpConnection c, int fd) {
        backendFd = fd;
        Libc.setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
        sq.prepConnect(fd, sockaddr.address(), sockaddrLen, conns.userData(c, Ops.TUNNEL_CONNECT, 0));
        c.ops++;
    }

    /** A completion of one of this tunnel's operations ({@code op} from {@link Ops}, {@code dir} from its data). */
    void complete(HttpConnection c, int op, int dir, int res) {
        c.ops--;
        if (op == Ops.TUNNEL_SOCKET && res >= 0) {
            backendFd = res; // even while closing: release() closes it
        }
        Flow f = dir == UP ? up : down;
        switch (op) {
            case Ops.TUNNEL_RECV -> f.receiving = false;
            case Ops.TUNNEL_SEND -> f.sending = false;
            case Ops.TUNNEL_SHUTDOWN -> f.shutting = false;
            default -> { }
        }
        if (c.state == HttpConnection.CLOSING) {
            conns.finishClose(c);
            return;
        }
        switch (op) {
            case Ops.TUNNEL_SOCKET -> {
                if (res < 0) {
                    stats.tunnelsFailed++;
                    conns.failed(c, 502);
                } else {
                    connect(c, res);
                }
            }
            case Ops.TUNNEL_CONNECT -> {
                if (res < 0) {
                    stats.tunnelsFailed++;
                    conns.failed(c, res == -Errno.ECANCELED ? 504 : 502);
                    return;
                }
                connected = true;
                pump(c, up);
                pump(c, down);
            }
            case Ops.TUNNEL_RECV -> {
                if (res < 0) {
                    conns.close(c);
                    return;
                }
                if (res == 0) {
                    f.eof = true;
                } else {
                    f.len = res;
                    stats.tunnelBytes += res;
                }
                pump(c, f);
            }
            case Ops.TUNNEL_SEND -> {
                if (res < 0) {
                    conns.close(c);
                    return;
                }
                f.sent += res;
                pump(c, f);
            }
            case Ops.TUNNEL_SHUTDOWN -> {
                f.done = true;
                if (res < 0 || up.done && down.done) {
                    conns.close(c); // both sides said EOF and heard it: nothing is left unread
                }
            }
            default -> conns.close(c);
        }
    }

    /** Starts the next step of a direction if none is in flight: send what is held, shut, or receive. */
    private void pump(HttpConnection c, Flow f) {
        if (!connected || f.receiving || f.sending || f.shutting || f.done) {
            return;
        }
        int src = f.dir == UP ? c.fd : backendFd;
        int dst = f.dir == UP ? backendFd : c.fd;
        if (f.sent < f.len) {
            sq.prepSend(dst, pool.address(f.chunk) + f.sent, f.len - f.sent, MSG_NOSIGNAL,
                    conns.userData(c, Ops.TUNNEL_SEND, f.dir));
            f.sending = true;
        } else if (f.eof) {
            sq.prepShutdown(dst, SHUT_WR, conns.userData(c, Ops.TUNNEL_SHUTDOWN, f.dir));
            f.shutting = true;
        } else if (f.dir == UP && httpRecvPending) {
            f.len = f.sent = 0;
            return; // the connection's own receive still delivers; ours starts when it has ended
        } else {
            f.len = f.sent = 0;
            sq.prepRecv(src, pool.address(f.chunk), pool.chunkSize(), 0, conns.userData(c, Ops.TUNNEL_RECV, f.dir));
            f.receiving = true;
        }
        c.ops++;
    }

    /**
     * Client bytes the connection's own receive delivered after the tunnel began (it was armed
     * when the head completed): they go after what is held. False if they do not fit in the
     * chunk (a client that sent more than a chunk before the backend answered).
     */
    boolean fromClient(HttpConnection c, MemorySegment seg, long off, int n) {
        if (up.len + n > pool.chunkSize()) {
            return false;
        }
        MemorySegment.copy(seg, off, pool.slab(), pool.offset(up.chunk) + up.len, n);
        up.len += n;
        stats.tunnelBytes += n;
        pump(c, up);
        return true;
    }

    /** The client sent EOF before the tunnel's own receive started. */
    void clientEof(HttpConnection c) {
        up.eof = true;
    }

    /** The connection's own receive has ended: from now on the tunnel receives from the client. */
    void handedOver(HttpConnection c) {
        httpRecvPending = false;
        pump(c, up);
    }

    /** The connection is closing: cancels what is in flight on the backend's socket. */
    void cancel(HttpConnection c) {
        if (backendFd >= 0) {
            sq.prepCancelFd(backendFd, conns.userData(c, Ops.CANCEL, 0));
        }
    }

    /** On each tick: a backend that has not accepted the connection by the deadline gets 504. */
    void tick(HttpConnection c, long now) {
        if (!connected && backendFd >= 0 && now > connectDeadline) {
            connectDeadline = Long.MAX_VALUE; // cancel once; the connect completes with -ECANCELED
            cancel(c);
        }
    }

    /** Returns the chunks and closes the backend's socket. Only once nothing is in flight. */
    void release() {
        if (up.chunk >= 0) {
            pool.release(up.chunk);
        }
        if (down.chunk >= 0) {
            pool.release(down.chunk);
        }
        if (backendFd >= 0) {
            sq.prepCloseQuiet(backendFd, UserData.pack(0, Ops.CLOSE, 0, 0));
        }
        reset();
    }

    void reset() {
        up.reset();
        down.reset();
        backendFd = -1;
        connected = false;
        httpRecvPending = false;
        sockaddrLen = 0;
        connectDeadline = 0;
    }
}
