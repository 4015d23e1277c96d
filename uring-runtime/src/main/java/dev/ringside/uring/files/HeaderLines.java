package dev.ringside.uring.files;

import java.nio.charset.StandardCharsets;

/**
 * Builds the few header lines that vary per response (Content-Range) without allocating in
 * steady state. The driver copies extra lines into the response head before
 * {@code respondFile}/{@code respondStatus} returns, so an array can be handed out again for the
 * next response; it must have exactly the lines' length, so one array is kept per length.
 * One instance per loop.
 */
final class HeaderLines {
    private static final int MAX = 256;

    private final byte[] buffer = new byte[MAX];
    private final byte[][] byLength = new byte[MAX + 1][];
    private int length;

    HeaderLines clear() {
        length = 0;
        return this;
    }

    HeaderLines append(byte[] bytes) {
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
        return this;
    }

    HeaderLines append(long v) {
        if (v == 0) {
            buffer[length++] = '0';
            return this;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) digits++;
        for (int i = length + digits - 1; i >= length; i--, v /= 10) {
            buffer[i] = (byte) ('0' + v % 10);
        }
        length += digits;
        return this;
    }

    /** The lines so far, in an array valid until the next call. */
    byte[] bytes() {
        byte[] out = byLength[length];
        if (out == null) {
            out = byLength[length] = new byte[length];
        }
        System.arraycopy(buffer, 0, out, 0, length);
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
