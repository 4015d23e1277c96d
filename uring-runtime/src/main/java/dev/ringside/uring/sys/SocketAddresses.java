package dev.ringside.uring.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** sockaddr_in / sockaddr_in6 to and from {@link InetSocketAddress}. Not on any hot path. */
public final class SocketAddresses {
    private SocketAddresses() {}

    public static final long SOCKADDR_IN_SIZE = 16;
    public static final long SOCKADDR_IN6_SIZE = 28;
    /** Big enough for either family. */
    public static final long SOCKADDR_STORAGE_SIZE = 128;

    public static MemorySegment encode(Arena arena, InetSocketAddress address) {
        MemorySegment sa = arena.allocate(address.getAddress() instanceof Inet4Address ? SOCKADDR_IN_SIZE
                : SOCKADDR_IN6_SIZE, 4);
        encodeInto(sa, address);
        return sa;
    }

    /** Writes {@code address} at the start of {@code sa} (at least {@link #SOCKADDR_IN6_SIZE} bytes); returns its length. */
    public static int encodeInto(MemorySegment sa, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        sa.set(JAVA_SHORT, 2, Short.reverseBytes((short) address.getPort()));
        if (ip instanceof Inet4Address) {
            sa.set(JAVA_SHORT, 0, (short) LinuxConstants.AF_INET);
            MemorySegment.copy(ip.getAddress(), 0, sa, JAVA_BYTE, 4, 4);
            sa.asSlice(8, 8).fill((byte) 0);
            return (int) SOCKADDR_IN_SIZE;
        }
        sa.set(JAVA_SHORT, 0, (short) LinuxConstants.AF_INET6);
        sa.set(java.lang.foreign.ValueLayout.JAVA_INT, 4, 0); // flow info
        MemorySegment.copy(ip.getAddress(), 0, sa, JAVA_BYTE, 8, 16);
        sa.set(java.lang.foreign.ValueLayout.JAVA_INT, 24, ip instanceof Inet6Address v6 ? v6.getScopeId() : 0);
        return (int) SOCKADDR_IN6_SIZE;
    }

    public static InetSocketAddress decode(MemorySegment sa) {
        int family = sa.get(JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(Short.reverseBytes(sa.get(JAVA_SHORT, 2)));
        try {
            if (family == LinuxConstants.AF_INET) {
                byte[] b = new byte[4];
                MemorySegment.copy(sa, JAVA_BYTE, 4, b, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(b), port);
            }
            if (family == LinuxConstants.AF_INET6) {
                byte[] b = new byte[16];
                MemorySegment.copy(sa, JAVA_BYTE, 8, b, 0, 16);
                return new InetSocketAddress(InetAddress.getByAddress(b), port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException("unsupported address family " + family);
    }
}
