package dev.ringside.uring.ring;

import dev.ringside.uring.net.ListenSocket;
import dev.ringside.uring.sys.Errno;
import dev.ringside.uring.sys.Libc;
import dev.ringside.uring.testing.FdCount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.ringside.uring.sys.IoUringConstants.*;
import static dev.ringside.uring.sys.IoUringLayouts.*;
import static dev.ringside.uring.sys.LinuxConstants.*;
import static org.junit.jupiter.api.Assertions.*;

/** Each ring operation against the running kernel, on real descriptors. */
class RingOperationsTest {
    record Cqe(long userData, int res, int flags) {}

    private final List<Cqe> cqes = new ArrayList<>();
    private Arena arena;
    private Ring ring;
    private int fdsBefore;

    @BeforeEach
    void open() throws Exception {
        fdsBefore = FdCount.now();
        arena = Arena.ofConfined();
        ring = new Ring(RingOptions.defaults().withEntries(64));
    }

    @AfterEach
    void close() {
        ring.close();
        arena.close();
        assertEquals(fdsBefore, FdCount.now(), () -> "descriptors leaked: " + FdCount.ours());
    }

    private Cqe await(long userData) {
        for (int i = 0; i < 200; i++) {
            for (Cqe c : cqes) {
                if (c.userData() == userData) {
                    cqes.remove(c);
                    return c;
                }
            }
            int r = ring.submitAndWait(1, 50_000_000L);
            assertTrue(r >= 0 || r == -Errno.ETIME || r == -Errno.EINTR, "enter: " + Errno.name(r));
            ring.drain((u, res, f) -> cqes.add(new Cqe(u, res, f)));
        }
        return fail("no completion for user_data " + userData);
    }

    @Test
    void nopCompletesWithItsUserData() {
        long ud = UserData.pack(7, 1, 2, 3);
        ring.sq().prepNop(ud);
        Cqe c = await(ud);
        assertEquals(0, c.res());
        assertEquals(7, UserData.slot(c.userData()));
        assertEquals(1, UserData.op(c.userData()));
        assertEquals(2, UserData.data(c.userData()));
        assertEquals(3, UserData.generation(c.userData()));
    }

    @Test
    void moreSqesThanTheRingHoldsAreSubmittedInBatches() {
        int n = ring.sq().entries() * 3;
        for (int i = 0; i < n; i++) {
            ring.sq().prepNop(UserData.pack(i, 1, 0, 0));
        }
        int seen = 0;
        for (int round = 0; round < 100 && seen < n; round++) {
            ring.submitAndWait(1, 50_000_000L);
            seen += ring.drain((u, res, f) -> assertEquals(0, res));
        }
        assertEquals(n, seen);
    }

    @Test
    void timeoutExpiresWithEtime() {
        MemorySegment ts = arena.allocate(TIMESPEC_SIZE, 8);
        ts.set(ValueLayout.JAVA_LONG, TIMESPEC_SEC, 0);
        ts.set(ValueLayout.JAVA_LONG, TIMESPEC_NSEC, 10_000_000L);
        long ud = UserData.pack(1, 9, 0, 0);
        ring.sq().prepTimeout(ts.address(), 0, 0, ud);
        assertEquals(-Errno.ETIME, await(ud).res());
    }

    @Test
    void cancelEndsAPendingOperation() {
        MemorySegment ts = arena.allocate(TIMESPEC_SIZE, 8);
        ts.set(ValueLayout.JAVA_LONG, TIMESPEC_SEC, 60);
        ts.set(ValueLayout.JAVA_LONG, TIMESPEC_NSEC, 0);
        long timeout = UserData.pack(1, 9, 0, 0);
        long cancel = UserData.pack(1, 10, 0, 0);
        ring.sq().prepTimeout(ts.address(), 0, 0, timeout);
        ring.submit();
        ring.sq().prepCancel(timeout, 0, cancel);
        assertEquals(0, await(cancel).res());
        assertEquals(-Errno.ECANCELED, await(timeout).res());
    }

    @ParameterizedTest(name = "multishot accept = {0}")
    @ValueSource(booleans = {true, false})
    void acceptRecvSendOverLoopback(boolean multishot) throws Exception {
        try (ListenSocket listener = ListenSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false);
             Socket client = new Socket()) {
            long acceptUd = UserData.pack(0, 1, 0, 0);
            ring.sq().prepAccept(listener.fd(), multishot, SOCK_CLOEXEC, acceptUd);
            ring.submit();
            client.connect(listener.localAddress());
            Cqe accepted = await(acceptUd);
            assertTrue(accepted.res() >= 0, Errno.name(accepted.res()));
            assertEquals(multishot, (accepted.flags() & IORING_CQE_F_MORE) != 0);
            int conn = accepted.res();
            try {
                client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                MemorySegment buf = arena.allocate(64);
                long recvUd = UserData.pack(1, 2, 0, 0);
                ring.sq().prepRecv(conn, buf.address(), 64, 0, recvUd);
                Cqe got = await(recvUd);
                assertEquals(4, got.res());
                assertEquals("ping", buf.getString(0).substring(0, 4));

                MemorySegment out = arena.allocateFrom("pong");
                long sendUd = UserData.pack(1, 3, 0, 0);
                ring.sq().prepSend(conn, out.address(), 4, MSG_NOSIGNAL, sendUd);
                assertEquals(4, await(sendUd).res());
                byte[] reply = client.getInputStream().readNBytes(4);
                assertEquals("pong", new String(reply, StandardCharsets.US_ASCII));
            } finally {
                long closeUd = UserData.pack(1, 4, 0, 0);
                ring.sq().prepClose(conn, closeUd);
                assertEquals(0, await(closeUd).res());
            }
            if (multishot) {
                long cancel = UserData.pack(0, 10, 0, 0);
                ring.sq().prepCancel(acceptUd, 0, cancel);
                assertEquals(0, await(cancel).res());
                assertEquals(-Errno.ECANCELED, await(acceptUd).res());
            }
        }
    }

    @Test
    void socketAndConnectOpenAnOutgoingConnection() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            long socketUd = UserData.pack(1, 5, 0, 0);
            ring.sq().prepSocket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, socketUd);
            int fd = await(socketUd).res();
            assertTrue(fd >= 0, Errno.name(fd));
            try {
                MemorySegment sa = arena.allocate(dev.ringside.uring.sys.SocketAddresses.SOCKADDR_STORAGE_SIZE, 8);
                int len = dev.ringside.uring.sys.SocketAddresses.encodeInto(sa,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
                long connectUd = UserData.pack(1, 6, 0, 0);
                ring.sq().prepConnect(fd, sa.address(), len, connectUd);
                assertEquals(0, await(connectUd).res());
                try (Socket accepted = server.accept()) {
                    MemorySegment out = arena.allocateFrom("hi");
                    long sendUd = UserData.pack(1, 3, 0, 0);
                    ring.sq().prepSend(fd, out.address(), 2, MSG_NOSIGNAL, sendUd);
                    assertEquals(2, await(sendUd).res());
                    assertEquals("hi", new String(accepted.getInputStream().readNBytes(2), StandardCharsets.US_ASCII));
                }
            } finally {
                Libc.close(fd);
            }
        }
    }

    @Test
    void connectToAClosedPortIsRefused() throws Exception {
        int port;
        try (java.net.ServerSocket gone = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        int fd = Libc.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        assertTrue(fd >= 0, Errno.name(fd));
        try {
            MemorySegment sa = arena.allocate(dev.ringside.uring.sys.SocketAddresses.SOCKADDR_STORAGE_SIZE, 8);
            int len = dev.ringside.uring.sys.SocketAddresses.encodeInto(sa,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            long connectUd = UserData.pack(1, 6, 0, 0);
            ring.sq().prepConnect(fd, sa.address(), len, connectUd);
            assertEquals(-Errno.ECONNREFUSED, await(connectUd).res());
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void spliceMovesAFileThroughAPipeToASocket(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        byte[] content = new byte[100_000];
        new Random(1).nextBytes(content);
        Path file = dir.resolve("f.bin");
        Files.write(file, content);
        int fileFd = Libc.openat(AT_FDCWD, arena.allocateFrom(file.toString()), O_RDONLY | O_CLOEXEC, 0);
        assertTrue(fileFd >= 0);
        int[] pipe = new int[2];
        assertEquals(0, Libc.pipe2(pipe, O_CLOEXEC));
        try (ListenSocket listener = ListenSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false);
             Socket client = new Socket()) {
            long acceptUd = UserData.pack(0, 1, 0, 0);
            ring.sq().prepAccept(listener.fd(), false, SOCK_CLOEXEC, acceptUd);
            client.connect(listener.localAddress());
            int conn = await(acceptUd).res();
            assertTrue(conn >= 0);
            byte[][] received = new byte[1][];
            Thread reader = Thread.ofPlatform().start(() -> {
                try (InputStream in = client.getInputStream()) {
                    received[0] = in.readNBytes(content.length);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long offset = 0;
            while (offset < content.length) {
                int chunk = (int) Math.min(65536, content.length - offset);
                long in = UserData.pack(1, 5, 1, 0);
                ring.sq().prepSplice(fileFd, offset, pipe[1], -1, chunk, SPLICE_F_MOVE, in);
                int moved = await(in).res();
                assertTrue(moved > 0, Errno.name(moved));
                int left = moved;
                while (left > 0) {
                    long outUd = UserData.pack(1, 5, 2, 0);
                    ring.sq().prepSplice(pipe[0], -1, conn, -1, left, SPLICE_F_MOVE, outUd);
                    int sent = await(outUd).res();
                    assertTrue(sent > 0, Errno.name(sent));
                    left -= sent;
                }
                offset += moved;
            }
            assertEquals(0, Libc.close(conn));
            reader.join(10_000);
            assertArrayEquals(content, received[0]);
        } finally {
            Libc.close(pipe[0]);
            Libc.close(pipe[1]);
            Libc.close(fileFd);
        }
    }

    @Test
    void openatStatxAndReadAFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("hello.txt");
        Files.writeString(file, "hello, ring");
        MemorySegment path = arena.allocateFrom(file.toString());
        long openUd = UserData.pack(0, 6, 0, 0);
        ring.sq().prepOpenat(AT_FDCWD, path.address(), O_RDONLY | O_CLOEXEC, 0, openUd);
        int fd = await(openUd).res();
        assertTrue(fd >= 0, Errno.name(fd));
        try {
            MemorySegment stx = arena.allocate(STATX_SIZE_BYTES, 8);
            long statxUd = UserData.pack(0, 7, 0, 0);
            ring.sq().prepStatx(AT_FDCWD, path.address(), 0, STATX_BASIC_STATS, stx.address(), statxUd);
            assertEquals(0, await(statxUd).res());
            assertEquals(11, stx.get(ValueLayout.JAVA_LONG, STX_SIZE));
            assertEquals(S_IFREG, stx.get(ValueLayout.JAVA_SHORT, STX_MODE) & S_IFMT);
            assertEquals(Files.getLastModifiedTime(file).toMillis() / 1000, stx.get(ValueLayout.JAVA_LONG, STX_MTIME_SEC));

            MemorySegment buf = arena.allocate(32);
            long readUd = UserData.pack(0, 8, 0, 0);
            ring.sq().prepRead(fd, buf.address(), 32, 0, readUd);
            assertEquals(11, await(readUd).res());
            assertEquals("hello, ring", buf.getString(0).substring(0, 11));
        } finally {
            Libc.close(fd);
        }
        long missing = UserData.pack(0, 6, 1, 0);
        ring.sq().prepOpenat(AT_FDCWD, arena.allocateFrom(dir.resolve("nope").toString()).address(),
                O_RDONLY | O_CLOEXEC, 0, missing);
        assertEquals(-Errno.ENOENT, await(missing).res());
    }

    @Test
    void readOfAnEventfdCompletesWhenAnotherThreadWrites() throws Exception {
        int efd = Libc.eventfd(0, EFD_CLOEXEC);
        try {
            MemorySegment buf = arena.allocate(8, 8);
            long ud = UserData.pack(0, 8, 0, 0);
            ring.sq().prepRead(efd, buf.address(), 8, 0, ud);
            ring.submit();
            Thread.ofPlatform().start(() -> {
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment one = a.allocate(8, 8);
                    one.set(ValueLayout.JAVA_LONG, 0, 1L);
                    Libc.write(dev.ringside.uring.sys.Native.newCaptureState(a), efd, one, 8);
                }
            }).join();
            assertEquals(8, await(ud).res());
            assertEquals(1L, buf.get(ValueLayout.JAVA_LONG, 0));
        } finally {
            Libc.close(efd);
        }
    }

    @Test
    void probeReportsTheOpcodesWeUse() {
        RingFeatures f = ring.features();
        for (int op : new int[]{IORING_OP_NOP, IORING_OP_ACCEPT, IORING_OP_RECV, IORING_OP_SEND, IORING_OP_SPLICE,
                IORING_OP_CLOSE, IORING_OP_OPENAT, IORING_OP_STATX, IORING_OP_READ, IORING_OP_TIMEOUT,
                IORING_OP_ASYNC_CANCEL, IORING_OP_CONNECT, IORING_OP_SOCKET}) {
            assertTrue(f.supports(op), "opcode " + op);
        }
        assertFalse(f.supports(255));
    }

    @Test
    void withoutTaskrunFlagsTheRingStillWorks() throws Exception {
        try (Ring plain = new Ring(RingOptions.defaults().withEntries(8).withTaskrunFlags(false))) {
            assertFalse(plain.features().deferTaskrun());
            assertFalse(plain.features().singleIssuer());
            plain.sq().prepNop(42);
            plain.submitAndWait(1, 0);
            long[] seen = new long[1];
            plain.drain((u, r, f) -> seen[0] = u);
            assertEquals(42, seen[0]);
        }
    }
}
