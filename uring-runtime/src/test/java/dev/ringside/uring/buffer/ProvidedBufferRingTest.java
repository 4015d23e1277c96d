package dev.ringside.uring.buffer;

import dev.ringside.uring.net.ListenSocket;
import dev.ringside.uring.ring.Ring;
import dev.ringside.uring.ring.RingOptions;
import dev.ringside.uring.sys.Errno;
import dev.ringside.uring.sys.Libc;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.ringside.uring.sys.IoUringConstants.*;
import static dev.ringside.uring.sys.LinuxConstants.SOCK_CLOEXEC;
import static org.junit.jupiter.api.Assertions.*;

/** Multishot receive into kernel-picked buffers, including running out of them. */
class ProvidedBufferRingTest {
    record Cqe(long userData, int res, int flags) {}

    @Test
    void multishotRecvFillsProvidedBuffersAndReportsEnobufsWhenTheyRunOut() throws Exception {
        try (Arena arena = Arena.ofShared();
             Ring ring = new Ring(RingOptions.defaults().withEntries(16));
             ListenSocket listener = ListenSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4, false);
             Socket client = new Socket()) {
            ProvidedBufferRing buffers = new ProvidedBufferRing(ring, arena, 1, 2, 16);
            List<Cqe> cqes = new ArrayList<>();
            ring.sq().prepAccept(listener.fd(), false, SOCK_CLOEXEC, 1);
            client.connect(listener.localAddress());
            int conn = awaitOne(ring, cqes, 1).res();
            assertTrue(conn >= 0);
            try {
                ring.sq().prepRecvSelect(conn, buffers.groupId(), true, 2);
                ring.submit();
                OutputStream out = client.getOutputStream();
                StringBuilder got = new StringBuilder();
                int enobufs = 0;
                for (int i = 0; i < 3; i++) {
                    out.write(("msg" + i).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Cqe c = awaitOne(ring, cqes, 2);
                    if (c.res() == -Errno.ENOBUFS) {
                        enobufs++;
                        assertEquals(0, c.flags() & IORING_CQE_F_MORE, "ENOBUFS ends the multishot");
                        break;
                    }
                    assertTrue(c.res() > 0, Errno.name(c.res()));
                    assertNotEquals(0, c.flags() & IORING_CQE_F_BUFFER);
                    int bid = c.flags() >>> IORING_CQE_BUFFER_SHIFT;
                    buffers.taken(bid);
                    got.append(text(buffers, bid, c.res()));
                }
                assertEquals("msg0msg1", got.toString(), "two buffers, two messages");
                assertEquals(1, enobufs, "the third message finds no buffer");
                assertEquals(2, buffers.outstanding());
                buffers.recycle(0);
                buffers.recycle(1);
                assertEquals(0, buffers.outstanding());
                // Re-armed, the pending bytes arrive in a recycled buffer.
                ring.sq().prepRecvSelect(conn, buffers.groupId(), true, 3);
                Cqe again = awaitOne(ring, cqes, 3);
                assertEquals(4, again.res());
                int bid = again.flags() >>> IORING_CQE_BUFFER_SHIFT;
                buffers.taken(bid);
                assertEquals("msg2", text(buffers, bid, 4));
                buffers.recycle(bid);
            } finally {
                Libc.close(conn);
                buffers.close();
            }
        }
    }

    static String text(ProvidedBufferRing buffers, int bid, int length) {
        byte[] b = buffers.buffers().asSlice(buffers.offset(bid), length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return new String(b, StandardCharsets.US_ASCII);
    }

    static Cqe awaitOne(Ring ring, List<Cqe> cqes, long userData) {
        for (int i = 0; i < 100; i++) {
            for (Cqe c : cqes) {
                if (c.userData() == userData) {
                    cqes.remove(c);
                    return c;
                }
            }
            ring.submitAndWait(1, 50_000_000L);
            ring.drain((u, r, f) -> cqes.add(new Cqe(u, r, f)));
        }
        return fail("no completion");
    }
}
