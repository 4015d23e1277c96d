package dev.ringside.uring.files;

import dev.ringside.uring.http.HttpDate;
import dev.ringside.uring.http.HttpRequestParser;
import dev.ringside.uring.http.KnownHeader;

import java.lang.foreign.MemorySegment;

/**
 * Conditional requests (RFC 9110 §13.2.2) as Tomcat 11's DefaultServlet evaluates them
 * ({@code checkIfHeaders}, {@code checkIfRange}), for GET and HEAD:
 * <ol>
 *   <li>If-Match (strong comparison; {@code *} matches any current representation) fails → 412;</li>
 *   <li>otherwise If-Unmodified-Since earlier than Last-Modified → 412;</li>
 *   <li>If-None-Match (weak comparison; {@code *}) matches → 304;</li>
 *   <li>otherwise If-Modified-Since not earlier than Last-Modified → 304.</li>
 * </ol>
 * A malformed entity-tag list, or {@code *} together with other elements or lines, is a 400; a
 * date that is no HTTP-date ({@link HttpDate#parse}), or a date field sent twice, is ignored. Dates have whole
 * seconds, so a file is "modified since" a date only from the next second on.
 * All static and allocation-free: header values are read in the request buffer.
 */
public final class Preconditions {
    public static final int PROCEED = 0;
    public static final int NOT_MODIFIED = 304;
    public static final int PRECONDITION_FAILED = 412;
    public static final int BAD_REQUEST = 400;

    /** {@link #ifRange} outcomes besides {@link #BAD_REQUEST}. */
    public static final int RANGE = 1;
    public static final int FULL = 2;

    private Preconditions() {}

    /**
     * What the conditional fields of {@code req} ask for, given the selected representation's
     * {@code etag} and {@code lastModifiedMillis}; pass null and 0 when the resource does not exist.
     * {@code nowMillis} is the wall clock, by which an obsolete two-digit year is read.
     */
    public static int evaluate(HttpRequestParser req, MemorySegment seg, byte[] etag, long lastModifiedMillis,
            long nowMillis) {
        if (req.headerIndex(KnownHeader.IF_MATCH) >= 0) {
            int r = ifMatch(req, seg, etag);
            if (r != PROCEED) {
                return r;
            }
        } else if (req.headerIndex(KnownHeader.IF_UNMODIFIED_SINCE) >= 0) {
            long since = singleDate(req, seg, KnownHeader.IF_UNMODIFIED_SINCE, nowMillis);
            if (since >= 0 && lastModifiedMillis > 0 && lastModifiedMillis >= since * 1000 + 1000) {
                return PRECONDITION_FAILED;
            }
        }
        if (req.headerIndex(KnownHeader.IF_NONE_MATCH) >= 0) {
            return ifNoneMatch(req, seg, etag);
        }
        if (req.headerIndex(KnownHeader.IF_MODIFIED_SINCE) >= 0) {
            long since = singleDate(req, seg, KnownHeader.IF_MODIFIED_SINCE, nowMillis);
            if (since >= 0 && lastModifiedMillis > 0 && lastModifiedMillis < since * 1000 + 1000) {
                return NOT_MODIFIED;
            }
        }
        return PROCEED;
    }

    private static int ifMatch(HttpRequestParser req, MemorySegment seg, byte[] etag) {
        boolean satisfied = false;
        boolean star = false;
        int lines = 0;
        for (int i = 0, n = req.headerCount(); i < n; i++) {
            if (req.headerKind(i) != KnownHeader.IF_MATCH) continue;
            lines++;
            if (satisfied) continue; // Tomcat stops reading at the first match, but still counts lines
            long from = req.headerValueStart(i), to = req.headerValueEnd(i);
            if (EntityTags.isStar(seg, from, to)) {
                star = true;
                satisfied = etag != null;
            } else {
                int m = EntityTags.compare(seg, from, to, etag, false);
                if (m == EntityTags.INVALID) return BAD_REQUEST;
                satisfied = m == EntityTags.MATCH;
            }
        }
        if (star && lines > 1) return BAD_REQUEST; // "*" with other values is invalid (RFC 9110 §13.1.1)
        return satisfied ? PROCEED : PRECONDITION_FAILED;
    }

    private static int ifNoneMatch(HttpRequestParser req, MemorySegment seg, byte[] etag) {
        boolean matched = false;
        boolean star = false;
        int lines = 0;
        for (int i = 0, n = req.headerCount(); i < n; i++) {
            if (req.headerKind(i) != KnownHeader.IF_NONE_MATCH) continue;
            lines++;
            if (matched || star) continue;
            long from = req.headerValueStart(i), to = req.headerValueEnd(i);
            if (EntityTags.isStar(seg, from, to)) {
                star = true;
                matched = etag != null;
            } else {
                int m = EntityTags.compare(seg, from, to, etag, true);
                if (m == EntityTags.INVALID) return BAD_REQUEST;
                matched = m == EntityTags.MATCH;
            }
        }
        if (star && lines > 1) return BAD_REQUEST;
        return matched ? NOT_MODIFIED : PROCEED;
    }

    /**
     * If-Range (RFC 9110 §13.1.5), evaluated against the representation about to be sent: an entity
     * tag must match strongly (so our weak tags never do: the whole file is sent), a date must equal
     * Last-Modified to the second. Anything else, or the field twice, is a 400 as in Tomcat.
     */
    public static int ifRange(HttpRequestParser req, MemorySegment seg, byte[] etag, long lastModifiedMillis,
            long nowMillis) {
        int index = -1;
        for (int i = 0, n = req.headerCount(); i < n; i++) {
            if (req.headerKind(i) != KnownHeader.IF_RANGE) continue;
            if (index >= 0) return BAD_REQUEST;
            index = i;
        }
        if (index < 0) return RANGE;
        long from = req.headerValueStart(index), to = req.headerValueEnd(index);
        long len = to - from;
        if (len > 2 && (ByteRanges.at(seg, from) == '"' || ByteRanges.at(seg, from + 2) == '"')) {
            boolean weak = ByteRanges.at(seg, from) == 'W' && ByteRanges.at(seg, from + 1) == '/'
                    && ByteRanges.at(seg, from + 2) == '"';
            if ((!weak && ByteRanges.at(seg, from) != '"') || ByteRanges.at(seg, to - 1) != '"'
                    || indexOfQuote(seg, from + (weak ? 3 : 1), to) != to - 1) {
                return BAD_REQUEST; // not a single entity tag
            }
            return !weak && etag != null && EntityTags.sameBytes(seg, from, to, etag, 0) ? RANGE : FULL;
        }
        long date = HttpDate.parse(seg, from, to, Math.floorDiv(nowMillis, 1000));
        if (date < 0) return BAD_REQUEST;
        return lastModifiedMillis >= date * 1000 && lastModifiedMillis < date * 1000 + 1000 ? RANGE : FULL;
    }

    private static long indexOfQuote(MemorySegment seg, long from, long to) {
        for (long p = from; p < to; p++) {
            if (ByteRanges.at(seg, p) == '"') return p;
        }
        return -1;
    }

    /** The date of a field sent exactly once, in epoch seconds; -1 if sent twice or unreadable (then ignored). */
    private static long singleDate(HttpRequestParser req, MemorySegment seg, KnownHeader h, long nowMillis) {
        int index = -1;
        for (int i = 0, n = req.headerCount(); i < n; i++) {
            if (req.headerKind(i) != h) continue;
            if (index >= 0) return -1;
            index = i;
        }
        return index < 0 ? -1
                : HttpDate.parse(seg, req.headerValueStart(index), req.headerValueEnd(index), Math.floorDiv(nowMillis, 1000));
    }
}
