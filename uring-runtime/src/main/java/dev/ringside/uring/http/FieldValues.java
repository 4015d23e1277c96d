package dev.ringside.uring.http;

import java.lang.foreign.MemorySegment;

/**
 * Reads the values of the framing fields (RFC 9110/9112) a second time, once their line is
 * complete. They are short and rare enough that a per-byte pass costs nothing measurable, and
 * keeping it here keeps the scanner free of per-field grammar.
 */
final class FieldValues {

    static final int CONNECTION_CLOSE = 1;
    static final int CONNECTION_KEEP_ALIVE = 1 << 1;
    static final int CONNECTION_UPGRADE = 1 << 2;

    /** A list element that is not a token, or a bare ';' parameter: the field is invalid. */
    static final int INVALID = 1 << 31;

    static final int CODING_CHUNKED = 1;
    static final int CODING_OTHER = 1 << 1;
    static final int CODING_LAST_CHUNKED = 1 << 2;
    static final int CODING_CHUNKED_TWICE = 1 << 3;
    /** The list held no element at all. */
    static final int CODING_EMPTY = 1 << 4;

    private static final byte[] CLOSE = {'c', 'l', 'o', 's', 'e'};
    private static final byte[] KEEP_ALIVE = {'k', 'e', 'e', 'p', '-', 'a', 'l', 'i', 'v', 'e'};
    private static final byte[] UPGRADE = {'u', 'p', 'g', 'r', 'a', 'd', 'e'};
    private static final byte[] CHUNKED = {'c', 'h', 'u', 'n', 'k', 'e', 'd'};
    private static final byte[] CONTINUE = {'1', '0', '0', '-', 'c', 'o', 'n', 't', 'i', 'n', 'u', 'e'};

    private FieldValues() {}

    /** Content-Length = 1*DIGIT (RFC 9110 §8.6), or -1 when empty, not digits, or over Long.MAX_VALUE. */
    static long contentLength(MemorySegment seg, long from, long to) {
        if (from == to) return -1;
        long n = 0;
        for (long p = from; p < to; p++) {
            int d = HttpBytes.at(seg, p) - '0';
            if (d < 0 || d > 9) return -1;
            if (n > (Long.MAX_VALUE - d) / 10) return -1;
            n = n * 10 + d;
        }
        return n;
    }

    /** The CONNECTION_* options named in a Connection value, a comma-separated token list. */
    static int connectionOptions(MemorySegment seg, long from, long to) {
        int options = 0;
        long p = from;
        while (p < to) {
            p = skipSeparators(seg, p, to);
            long start = p;
            while (p < to && HttpBytes.is(HttpBytes.at(seg, p), HttpBytes.TCHAR)) p++;
            if (p == start && p < to) return INVALID;
            if (HttpBytes.equalsLower(seg, start, p, CLOSE)) options |= CONNECTION_CLOSE;
            else if (HttpBytes.equalsLower(seg, start, p, KEEP_ALIVE)) options |= CONNECTION_KEEP_ALIVE;
            else if (HttpBytes.equalsLower(seg, start, p, UPGRADE)) options |= CONNECTION_UPGRADE;
            p = skipOws(seg, p, to);
            if (p < to && HttpBytes.at(seg, p) != ',') return INVALID;
        }
        return options;
    }

    /**
     * Folds the codings of one Transfer-Encoding line into {@code acc}, the summary of the lines
     * before it (0 for none): whether chunked was seen (twice), whether another coding was, and
     * whether the last coding so far is chunked. Parameters after ';' are allowed on other codings
     * only; chunked takes none (RFC 9112 §7.1).
     */
    static int transferCodings(MemorySegment seg, long from, long to, int acc) {
        long p = from;
        boolean any = false;
        while (p < to) {
            p = skipSeparators(seg, p, to);
            if (p == to) break;
            long start = p;
            while (p < to && HttpBytes.is(HttpBytes.at(seg, p), HttpBytes.TCHAR)) p++;
            if (p == start) return acc | INVALID;
            any = true;
            boolean chunked = HttpBytes.equalsLower(seg, start, p, CHUNKED);
            p = skipOws(seg, p, to);
            boolean params = p < to && HttpBytes.at(seg, p) == ';';
            if (params) {
                if (chunked) return acc | INVALID;
                while (p < to && HttpBytes.at(seg, p) != ',') p++; // a parameter of a coding we refuse anyway
            }
            if (p < to && HttpBytes.at(seg, p) != ',') return acc | INVALID;
            if (chunked) {
                if ((acc & CODING_CHUNKED) != 0) acc |= CODING_CHUNKED_TWICE;
                acc |= CODING_CHUNKED | CODING_LAST_CHUNKED;
            } else {
                acc = (acc | CODING_OTHER) & ~CODING_LAST_CHUNKED;
            }
        }
        return any ? acc : acc | CODING_EMPTY;
    }

    /** Expect: 100-continue, the only expectation defined (RFC 9110 §10.1.1). */
    static boolean isContinue(MemorySegment seg, long from, long to) {
        return HttpBytes.equalsLower(seg, from, to, CONTINUE);
    }

    /**
     * Host = uri-host [ ":" port ] (RFC 9110 §7.2), possibly empty; uri-host is an IP literal in
     * brackets or a reg-name / IPv4 address, port = *DIGIT (RFC 3986 §3.2.2-§3.2.3). Refuses
     * userinfo, paths, a second colon outside brackets and anything outside RFC 3986's authority
     * bytes: a malformed Host is a 400 (RFC 9112 §3.2).
     */
    static boolean validHost(MemorySegment seg, long from, long to) {
        long p = from;
        if (p < to && HttpBytes.at(seg, p) == '[') {
            // IP-literal: hex digits, ':' and '.' of IPv6, or the letters and sub-delims of IPvFuture.
            p++;
            while (p < to && HttpBytes.at(seg, p) != ']') {
                int b = HttpBytes.at(seg, p);
                if (b == '[' || !HttpBytes.is(b, HttpBytes.AUTHORITY)) return false;
                p++;
            }
            if (p == to || p == from + 1) return false;
            p++;
        } else {
            for (; p < to; p++) {
                int b = HttpBytes.at(seg, p);
                if (b == ':') break;
                if (b == '[' || b == ']') return false;
                if (HttpBytes.is(b, HttpBytes.AUTHORITY)) continue;
                if (b == '%' && p + 2 < to && HttpBytes.is(HttpBytes.at(seg, p + 1), HttpBytes.HEX)
                        && HttpBytes.is(HttpBytes.at(seg, p + 2), HttpBytes.HEX)) {
                    p += 2;
                    continue;
                }
                return false;
            }
        }
        if (p == to) return true;
        if (HttpBytes.at(seg, p) != ':') return false;
        for (p++; p < to; p++) {
            int b = HttpBytes.at(seg, p);
            if (b < '0' || b > '9') return false;
        }
        return true;
    }

    /** RFC 9110 §5.6.1: empty list elements are allowed and ignored. */
    private static long skipSeparators(MemorySegment seg, long p, long to) {
        while (p < to) {
            byte b = HttpBytes.at(seg, p);
            if (b != ',' && b != HttpBytes.SP && b != HttpBytes.HTAB) break;
            p++;
        }
        return p;
    }

    private static long skipOws(MemorySegment seg, long p, long to) {
        while (p < to) {
            byte b = HttpBytes.at(seg, p);
            if (b != HttpBytes.SP && b != HttpBytes.HTAB) break;
            p++;
        }
        return p;
    }
}
