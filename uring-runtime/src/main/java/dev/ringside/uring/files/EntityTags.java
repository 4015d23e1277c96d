package dev.ringside.uring.files;

import java.lang.foreign.MemorySegment;

import static dev.ringside.uring.files.ByteRanges.at;
import static dev.ringside.uring.files.ByteRanges.skipWs;

/**
 * Entity-tag lists of If-Match and If-None-Match (RFC 9110 §8.8.3), read as Tomcat's
 * {@code EntityTag.compareEntityTag} reads them: {@code [W/]"opaque"} elements separated by commas,
 * an empty value or an empty element is invalid, a backslash inside the quotes escapes the next
 * byte. Compares against our tag bytes in place; allocates nothing.
 */
final class EntityTags {
    /** The list is not a list of entity tags: the request is a 400. */
    static final int INVALID = -1;
    static final int NO_MATCH = 0;
    static final int MATCH = 1;

    private EntityTags() {}

    /**
     * Whether any tag in [from, to) matches {@code etag} (our own, e.g. {@code W/"11-1700000000000"};
     * null when there is no current representation). Strong comparison (If-Match) matches only two
     * strong tags with the same opaque part; weak comparison (If-None-Match) ignores {@code W/} on both.
     */
    static int compare(MemorySegment seg, long from, long to, byte[] etag, boolean weak) {
        boolean ourWeak = etag != null && etag.length >= 2 && etag[0] == 'W' && etag[1] == '/';
        int ourOpaque = ourWeak ? 2 : 0;
        int result = NO_MATCH;
        long p = from;
        while (true) {
            p = skipWs(seg, p, to);
            if (p == to) {
                return INVALID; // an empty value, or nothing after a comma
            }
            boolean theirWeak = false;
            if (at(seg, p) == 'W' && p + 1 < to && at(seg, p + 1) == '/') {
                theirWeak = true;
                p += 2;
            }
            p = skipWs(seg, p, to);
            if (p == to || at(seg, p) != '"') {
                return INVALID;
            }
            long open = p++;
            while (p < to && at(seg, p) != '"') {
                p += at(seg, p) == '\\' ? 2 : 1;
            }
            if (p >= to) {
                return INVALID; // no closing quote
            }
            long close = p++;
            if (etag != null && (weak || (!theirWeak && !ourWeak))
                    && sameBytes(seg, open, close + 1, etag, ourOpaque)) {
                result = MATCH;
            }
            p = skipWs(seg, p, to);
            if (p == to) {
                return result;
            }
            if (at(seg, p) != ',') {
                return INVALID;
            }
            p++;
        }
    }

    /** Whether [from, to) is exactly {@code *}. */
    static boolean isStar(MemorySegment seg, long from, long to) {
        return to - from == 1 && at(seg, from) == '*';
    }

    static boolean sameBytes(MemorySegment seg, long from, long to, byte[] b, int off) {
        if (to - from != b.length - off) {
            return false;
        }
        for (int i = off; i < b.length; i++) {
            if (at(seg, from + i - off) != b[i]) {
                return false;
            }
        }
        return true;
    }
}
