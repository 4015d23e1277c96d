package dev.ringside.uring.http;

import java.util.Arrays;

/**
 * A growable byte array for the heads and chunk lines that container adapters render on their
 * worker threads (the loop's own heads go through {@link ResponseHeadWriter}). Text from an
 * application goes through {@link #putText}: control characters become spaces, so a field
 * value cannot split a response, and characters beyond Latin-1 become '?', as Tomcat's and
 * Jetty's own HTTP/1.1 writers do. One per worker-side renderer; not thread-safe.
 */
public final class HeadBytes {
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    private static final byte[] HEX_UPPER = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

    private byte[] buf;
    private int len;

    public HeadBytes(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    public HeadBytes clear() {
        len = 0;
        return this;
    }

    /** The bytes so far are {@code bytes()[0 .. length())}; the array is reused. */
    public byte[] bytes() {
        return buf;
    }

    public int length() {
        return len;
    }

    public HeadBytes put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public HeadBytes put(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    public HeadBytes crlf() {
        ensure(2);
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    public HeadBytes putDecimal(long v) {
        if (v == 0) {
            return put('0');
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = len + digits - 1; i >= len; i--, v /= 10) {
            buf[i] = (byte) ('0' + v % 10);
        }
        len += digits;
        return this;
    }

    /** Lower-case hex without leading zeros, as chunk sizes are written (Tomcat's way). */
    public HeadBytes putHex(int v) {
        return putHex(v, HEX);
    }

    /** Upper-case hex without leading zeros, as Jetty writes chunk sizes. */
    public HeadBytes putHexUpper(int v) {
        return putHex(v, HEX_UPPER);
    }

    private HeadBytes putHex(int v, byte[] digitsOf) {
        int digits = Math.max(1, (Integer.SIZE - Integer.numberOfLeadingZeros(v) + 3) / 4);
        ensure(digits);
        for (int i = digits - 1; i >= 0; i--) {
            buf[len++] = digitsOf[(v >>> (4 * i)) & 0xf];
        }
        return this;
    }

    /** Application text (a field name or value, a reason): controls become spaces, non-Latin-1 '?'. */
    public HeadBytes putText(String s) {
        if (s == null) {
            return this;
        }
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            buf[len++] = c < ' ' && c != '\t' || c == 0x7f ? (byte) ' ' : c > 0xff ? (byte) '?' : (byte) c;
        }
        return this;
    }

    /** The same for text already in bytes ({@code src[from .. to)}, Latin-1). */
    public HeadBytes putText(byte[] src, int from, int to) {
        ensure(to - from);
        for (int i = from; i < to; i++) {
            byte b = src[i];
            buf[len++] = b >= 0 && b < ' ' && b != '\t' || b == 0x7f ? (byte) ' ' : b;
        }
        return this;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
