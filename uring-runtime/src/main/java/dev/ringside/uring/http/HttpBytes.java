package dev.ringside.uring.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Byte classes of the HTTP/1.1 grammar (one 256-entry table, as Jetty's HttpTokens) and the
 * eight-bytes-at-a-time tests the parser scans with.
 */
final class HttpBytes {

    /** RFC 9110 tchar: method and field-name bytes. */
    static final int TCHAR = 1;
    /** RFC 9110 field-vchar, SP and HTAB, including obs-text 0x80-0xFF. */
    static final int FIELD_VALUE = 1 << 1;
    /** RFC 3986 path bytes of origin-form: pchar and '/', but not '%' (checked apart) nor '?'. */
    static final int PATH = 1 << 2;
    /** Query bytes: PATH and '?'. */
    static final int QUERY = 1 << 3;
    /** Authority bytes (host, port, IP literal) without '%' and '@' (userinfo is refused). */
    static final int AUTHORITY = 1 << 4;
    /** RFC 3986 scheme bytes after the first. */
    static final int SCHEME = 1 << 5;
    static final int HEX = 1 << 6;

    /** Unsigned byte → class bits. A static final array of length 256 lets C2 drop the range check on {@code b & 0xFF}. */
    static final byte[] CLASS = new byte[256];

    /** Longs are read little-endian whatever the platform, so byte i of the input is bits 8i..8i+7. */
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** Ors 0x20 into every byte: lower-cases ASCII letters and leaves '-' and digits alone. */
    static final long LOWER = 0x2020202020202020L;

    static {
        String unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
        String subDelims = "!$&'()*+,;=";
        mark(unreserved + "!#$%&'*+^`|", TCHAR);
        for (int b = 0x21; b <= 0xFF; b++) if (b != 0x7F) CLASS[b] |= FIELD_VALUE;
        CLASS[SP] |= FIELD_VALUE;
        CLASS[HTAB] |= FIELD_VALUE;
        mark(unreserved + subDelims + ":@/", PATH);
        mark(unreserved + subDelims + ":@/?", QUERY);
        mark(unreserved + subDelims + ":[]", AUTHORITY);
        mark("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-.", SCHEME);
        mark("0123456789ABCDEFabcdef", HEX);
    }

    private static void mark(String chars, int bit) {
        for (int i = 0; i < chars.length(); i++) CLASS[chars.charAt(i)] |= (byte) bit;
    }

    private HttpBytes() {}

    static boolean is(int b, int bit) {
        return (CLASS[b & 0xFF] & bit) != 0;
    }

    /** Index (0-7) of the first byte of {@code w} not in class {@code bit}, or 8. */
    static int firstNotIn(long w, int bit) {
        byte[] c = CLASS;
        for (int i = 0; i < 8; i++, w >>>= 8) {
            if ((c[(int) w & 0xFF] & bit) == 0) return i;
        }
        return 8;
    }

    /**
     * The first offset in [p, stop) whose byte is not in class {@code bit}, or {@code stop}.
     * Reads a word at a time, also across {@code stop} while inside the segment: bytes past
     * {@code stop} may be read but never decide anything.
     */
    static long skipClass(MemorySegment seg, long p, long stop, int bit) {
        long size = seg.byteSize();
        while (p < stop) {
            if (p + 8 <= size) {
                int i = firstNotIn(seg.get(LONG, p), bit);
                if (i < 8) return Math.min(p + i, stop);
                p += 8;
            } else {
                if (!is(at(seg, p), bit)) return p;
                p++;
            }
        }
        return stop;
    }

    /** The first offset in [p, stop) holding a CTL or DEL, or {@code stop}; reads as {@link #skipClass}. */
    static long findCtlOrDel(MemorySegment seg, long p, long stop) {
        long size = seg.byteSize();
        while (p < stop) {
            if (p + 8 <= size) {
                long m = ctlOrDel(seg.get(LONG, p));
                if (m != 0) return Math.min(p + firstMarked(m), stop);
                p += 8;
            } else {
                byte b = at(seg, p);
                if ((b >= 0 && b < SP) || b == 0x7F) return p;
                p++;
            }
        }
        return stop;
    }

    /**
     * Marks every byte of {@code w} that is a CTL (below 0x20: CR, LF, HTAB, NUL...) or DEL with
     * its high bit. Borrows may mark bytes above the first marked one, never below it, so only
     * the lowest mark is exact: use {@link #firstMarked}.
     */
    static long ctlOrDel(long w) {
        long lt = (w - ONES * 0x20) & ~w;
        long x = w ^ (ONES * 0x7F);
        long del = (x - ONES) & ~x;
        return (lt | del) & HIGHS;
    }

    /** Index (0-7) of the lowest marked byte of a non-zero mask. */
    static int firstMarked(long mask) {
        return Long.numberOfTrailingZeros(mask) >>> 3;
    }

    static byte at(MemorySegment seg, long offset) {
        return seg.get(ValueLayout.JAVA_BYTE, offset);
    }

    /** Case-insensitive comparison of [from, to) with an all-lower-case ASCII word. */
    static boolean equalsLower(MemorySegment seg, long from, long to, byte[] lower) {
        if (to - from != lower.length) return false;
        for (int i = 0; i < lower.length; i++) {
            int b = at(seg, from + i);
            if (b >= 'A' && b <= 'Z') b |= 0x20;
            if (b != lower[i]) return false;
        }
        return true;
    }
}
