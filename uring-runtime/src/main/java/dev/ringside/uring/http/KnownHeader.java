package dev.ringside.uring.http;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Field names the runtime acts on, recognised case-insensitively as each field line ends, so
 * that {@link HttpRequestParser#headerIndex} is an array read.
 */
public enum KnownHeader {
    HOST("Host"),
    CONNECTION("Connection"),
    CONTENT_LENGTH("Content-Length"),
    TRANSFER_ENCODING("Transfer-Encoding"),
    EXPECT("Expect"),
    UPGRADE("Upgrade"),
    IF_NONE_MATCH("If-None-Match"),
    IF_MODIFIED_SINCE("If-Modified-Since"),
    IF_MATCH("If-Match"),
    IF_UNMODIFIED_SINCE("If-Unmodified-Since"),
    RANGE("Range"),
    IF_RANGE("If-Range"),
    ACCEPT_ENCODING("Accept-Encoding"),
    COOKIE("Cookie"),
    CONTENT_TYPE("Content-Type");

    static final KnownHeader[] VALUES = values();
    static final int COUNT = VALUES.length;
    private static final int MIN_LENGTH = 4;
    private static final int MAX_LENGTH = 19;
    private static final KnownHeader[][] BY_LENGTH = new KnownHeader[MAX_LENGTH + 1][];

    static {
        for (int len = 0; len <= MAX_LENGTH; len++) {
            int n = 0;
            for (KnownHeader h : VALUES) if (h.lower.length == len) n++;
            BY_LENGTH[len] = new KnownHeader[n];
            n = 0;
            for (KnownHeader h : VALUES) if (h.lower.length == len) BY_LENGTH[len][n++] = h;
        }
    }

    private final String canonical;
    private final byte[] lower;
    /**
     * The lower-cased name as little-endian words: longs at 0, 8, ... and one ending at the last
     * byte (overlapping) for names of 8 bytes or more; ints at 0 and length-4 below that.
     */
    private final long[] words;

    KnownHeader(String canonical) {
        this.canonical = canonical;
        this.lower = canonical.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        int len = lower.length;
        if (len >= 8) {
            words = new long[(len + 7) / 8];
            for (int i = 0; i < words.length - 1; i++) words[i] = word(lower, i * 8, 8);
            words[words.length - 1] = word(lower, len - 8, 8);
        } else {
            words = new long[] {word(lower, 0, 4), word(lower, len - 4, 4)};
        }
    }

    private static long word(byte[] b, int from, int n) {
        long w = 0;
        for (int i = n - 1; i >= 0; i--) w = (w << 8) | (b[from + i] & 0xFF);
        return w;
    }

    /** The name as usually written, e.g. {@code Content-Length}. */
    public String canonicalName() {
        return canonical;
    }

    /**
     * The known header whose name is [start, end) of {@code seg}, or null. The range must already
     * be a valid token: then or-ing 0x20 into each byte maps only 'A'-'Z' onto 'a'-'z' and only
     * '-' onto '-', so comparing or-ed words is an exact case-insensitive match.
     */
    static KnownHeader match(MemorySegment seg, long start, long end) {
        long len = end - start;
        if (len < MIN_LENGTH || len > MAX_LENGTH) return null;
        for (KnownHeader h : BY_LENGTH[(int) len]) {
            if (h.matches(seg, start, (int) len)) return h;
        }
        return null;
    }

    private boolean matches(MemorySegment seg, long start, int len) {
        long[] w = words;
        if (len < 8) {
            int lo = (int) HttpBytes.LOWER;
            return ((seg.get(HttpBytes.INT, start) | lo) == (int) w[0])
                    && ((seg.get(HttpBytes.INT, start + len - 4) | lo) == (int) w[1]);
        }
        int last = w.length - 1;
        for (int i = 0; i < last; i++) {
            if ((seg.get(HttpBytes.LONG, start + 8L * i) | HttpBytes.LOWER) != w[i]) return false;
        }
        return (seg.get(HttpBytes.LONG, start + len - 8) | HttpBytes.LOWER) == w[last];
    }
}
