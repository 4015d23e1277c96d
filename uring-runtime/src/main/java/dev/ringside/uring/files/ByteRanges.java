package dev.ringside.uring.files;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A {@code Range} field value (RFC 9110 §14.2) read the way Tomcat 11's DefaultServlet reads it
 * ({@code Ranges.parse} then {@code validate}), so both servers agree on which requests get 206,
 * 416 or the whole file. Tomcat's choices that RFC 9110 leaves open, kept on purpose:
 * <ul>
 *   <li>a syntactically invalid value is 416, not ignored (and that includes a value longer than a long);</li>
 *   <li>a unit other than {@code bytes} (case-insensitive) is ignored, but only once the value parsed;</li>
 *   <li>one unsatisfiable range among several makes the whole request 416;</li>
 *   <li>three or more ranges with more than one overlap are 416 (RFC 9110 §14.2 lets a server refuse them).</li>
 * </ul>
 * Where several valid ranges remain Tomcat sends {@code multipart/byteranges}; our driver sends one
 * contiguous body, so ranges that overlap or touch are merged into one ({@link #ONE}) and
 * disjoint ones are {@link #SEVERAL}, which the caller answers with the whole file (200), a response
 * RFC 9110 §14.2 allows for any Range request.
 *
 * <p>One instance per loop: it reuses its arrays, so evaluating a Range allocates nothing once warm.
 */
public final class ByteRanges {
    /** Answer with the whole representation (200). */
    public static final int IGNORE = 0;
    /** Answer 206 with bytes [{@link #first()}, {@link #last()}]. */
    public static final int ONE = 1;
    /** Answer 416 with {@code Content-Range: bytes *}{@code /length}. */
    public static final int UNSATISFIABLE = 2;
    /** Valid but disjoint ranges: Tomcat sends multipart/byteranges, we send the whole file (200). */
    public static final int SEVERAL = 3;

    private long[] starts = new long[8];
    private long[] ends = new long[8];
    private int count;
    private long first;
    private long last;

    /** First byte of the range after {@link #ONE}. */
    public long first() {
        return first;
    }

    /** Last byte (inclusive) of the range after {@link #ONE}. */
    public long last() {
        return last;
    }

    /** What to answer to the Range value at [from, to) of {@code seg} for a representation of {@code length} bytes. */
    public int evaluate(MemorySegment seg, long from, long to, long length) {
        if (length == 0) {
            return IGNORE; // Tomcat: a range of nothing makes no sense, so the header is ignored
        }
        count = 0;
        long p = skipWs(seg, from, to);
        long unitStart = p;
        while (p < to && isTchar(at(seg, p))) p++;
        long unitEnd = p;
        if (unitStart == unitEnd) {
            return UNSATISFIABLE;
        }
        p = skipWs(seg, p, to);
        if (p == to || at(seg, p) != '=') {
            return UNSATISFIABLE;
        }
        p++;
        while (true) {
            // Each of these skips whitespace first, as Tomcat's HttpParser does: "bytes = 1 - 2" is valid.
            p = skipWs(seg, p, to);
            long start = -1;
            if (p < to && isDigit(at(seg, p))) {
                start = 0;
                while (p < to && isDigit(at(seg, p))) {
                    int d = at(seg, p++) - '0';
                    if (start > (Long.MAX_VALUE - d) / 10) return UNSATISFIABLE;
                    start = start * 10 + d;
                }
            }
            p = skipWs(seg, p, to);
            if (p == to || at(seg, p) != '-') {
                return UNSATISFIABLE;
            }
            p = skipWs(seg, p + 1, to);
            long end = -1;
            if (p < to && isDigit(at(seg, p))) {
                end = 0;
                while (p < to && isDigit(at(seg, p))) {
                    int d = at(seg, p++) - '0';
                    if (end > (Long.MAX_VALUE - d) / 10) return UNSATISFIABLE;
                    end = end * 10 + d;
                }
            }
            if (start == -1 && end == -1) {
                return UNSATISFIABLE;
            }
            if (end != -1 && start > end) {
                return UNSATISFIABLE;
            }
            add(start, end);
            p = skipWs(seg, p, to);
            if (p == to) {
                break;
            }
            if (at(seg, p) != ',') {
                return UNSATISFIABLE;
            }
            p++;
        }
        if (!isBytes(seg, unitStart, unitEnd)) {
            return IGNORE; // RFC 9110 §14.2: a unit we do not know is ignored
        }
        return validate(length);
    }

    /** Tomcat's {@code validate}: every range resolved against the length, then the overlap rule. */
    private int validate(long length) {
        for (int i = 0; i < count; i++) {
            long s = starts[i], e = ends[i];
            long start = s != -1 ? s : (e >= length ? 0 : length - e);
            long end = (s == -1 || e == -1 || e >= length) ? length - 1 : e;
            if (start > end) {
                return UNSATISFIABLE;
            }
            starts[i] = start;
            ends[i] = end;
        }
        sort();
        if (count >= 3) {
            // Each duplicate is one overlap; then each range starting at or before the furthest end so far.
            int overlaps = 0;
            long furthestEnd = -1;
            for (int i = 0; i < count; i++) {
                boolean duplicate = i > 0 && starts[i] == starts[i - 1] && ends[i] == ends[i - 1];
                if (duplicate || starts[i] <= furthestEnd) {
                    overlaps++;
                }
                furthestEnd = Math.max(furthestEnd, ends[i]);
                if (overlaps > 1) {
                    return UNSATISFIABLE;
                }
            }
        }
        first = starts[0];
        last = ends[0];
        for (int i = 1; i < count; i++) {
            if (starts[i] > last + 1) {
                return SEVERAL;
            }
            last = Math.max(last, ends[i]);
        }
        return ONE;
    }

    private void add(long start, long end) {
        if (count == starts.length) {
            starts = java.util.Arrays.copyOf(starts, count * 2);
            ends = java.util.Arrays.copyOf(ends, count * 2);
        }
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    /** Insertion sort by (start, end): range lists are short, and this needs no boxing. */
    private void sort() {
        for (int i = 1; i < count; i++) {
            long s = starts[i], e = ends[i];
            int j = i - 1;
            while (j >= 0 && (starts[j] > s || (starts[j] == s && ends[j] > e))) {
                starts[j + 1] = starts[j];
                ends[j + 1] = ends[j];
                j--;
            }
            starts[j + 1] = s;
            ends[j + 1] = e;
        }
    }

    private static boolean isBytes(MemorySegment seg, long from, long to) {
        return to - from == 5 && (at(seg, from) | 0x20) == 'b' && (at(seg, from + 1) | 0x20) == 'y'
                && (at(seg, from + 2) | 0x20) == 't' && (at(seg, from + 3) | 0x20) == 'e'
                && (at(seg, from + 4) | 0x20) == 's';
    }

    static byte at(MemorySegment seg, long p) {
        return seg.get(ValueLayout.JAVA_BYTE, p);
    }

    static long skipWs(MemorySegment seg, long p, long to) {
        while (p < to && (at(seg, p) == ' ' || at(seg, p) == '\t')) p++;
        return p;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** RFC 9110 tchar. */
    static boolean isTchar(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || (b > ' ' && b < 0x7F && "!#$%&'*+-.^_`|~".indexOf(b) >= 0);
    }
}
