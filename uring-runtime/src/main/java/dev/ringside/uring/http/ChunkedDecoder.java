package dev.ringside.uring.http;

import static dev.ringside.uring.http.HttpBytes.CR;
import static dev.ringside.uring.http.HttpBytes.HTAB;
import static dev.ringside.uring.http.HttpBytes.LF;
import static dev.ringside.uring.http.HttpBytes.SP;
import static dev.ringside.uring.http.HttpBytes.at;
import static dev.ringside.uring.http.HttpBytes.is;

import java.lang.foreign.MemorySegment;

/**
 * An incremental, zero-copy decoder of a chunked request body (RFC 9112 §7.1), strict where
 * request smuggling lives: a chunk line is {@code 1*HEXDIG [chunk-ext] CRLF} and nothing else.
 *
 * <p>It never copies data: each {@link #DATA} answer is a span of the caller's segment. All its
 * state is in counters, so bytes it has consumed are never looked at again: the caller may drop
 * or reuse them, and a body split anywhere decodes exactly as one delivered whole.
 *
 * <p>Usage: {@code reset()}, then {@code decode(seg, from, limit)} over the bytes after the head:
 * <ul>
 *   <li>{@link #DATA}: body bytes at [{@link #dataStart()}, {@link #dataEnd()}); call again from
 *       {@link #consumedTo()} (= dataEnd) with the same limit.
 *   <li>{@link #NEED_MORE}: every byte up to {@code limit} was consumed; call again with the
 *       next bytes received.
 *   <li>{@link #DONE}: the last chunk and the trailers were read; the next request starts at
 *       {@link #consumedTo()}.
 *   <li>{@link #ERROR}: answer {@link #errorStatus()} and close: nothing after bad bytes is trusted.
 * </ul>
 *
 * <p>Statuses: 400 for any framing error (and for chunk extensions over
 * {@link HttpLimits#maxChunkExtensionBytes()}); 413 for a chunk-size of more than 16 hex digits
 * (even leading zeros: the line has to end somewhere), one over {@link #MAX_CHUNK_SIZE}, or one
 * that takes the body over {@link HttpLimits#maxBodyBytes()}, refused as soon as the size is read,
 * before its data; 431 for trailers over {@link HttpLimits#maxTrailerBytes()}.
 *
 * <p>Chunk extensions are checked for syntax and skipped; trailer fields are checked with the
 * head's field-line rules and dropped (RFC 9112 §7.1.2 lets a recipient discard them). One decoder
 * per connection, used by its loop's thread only; it allocates nothing after construction.
 */
public final class ChunkedDecoder {

    /** All input up to the limit is consumed and no data is pending: call again with more bytes. */
    public static final int NEED_MORE = 0;
    /** Body data is at [{@link #dataStart()}, {@link #dataEnd()}); call again from {@link #consumedTo()}. */
    public static final int DATA = 1;
    /** The last chunk and the trailers are consumed; {@link #consumedTo()} is where the next request starts. */
    public static final int DONE = 2;
    /** Malformed or over a limit; answer {@link #errorStatus()} and close. */
    public static final int ERROR = -1;

    /** 16 hex digits fill a long; a 17th could only overflow it or be a leading zero. */
    static final int MAX_SIZE_DIGITS = 16;

    /**
     * The largest chunk-size read, even with no body limit: what Tomcat's and Jetty's decoders
     * count (an int), so a body the container behind us could not frame is refused here, at its
     * size line, and is never passed on as gigabytes of data that were really the next request.
     */
    public static final long MAX_CHUNK_SIZE = Integer.MAX_VALUE;

    // States: what the byte at the current offset must be part of.
    private static final int S_SIZE_START = 0;
    private static final int S_SIZE = 1;
    /** BWS after the size or a value: only a ';' may follow (a chunk line never ends in whitespace). */
    private static final int S_EXT_BWS = 2;
    private static final int S_EXT_NAME_START = 3;
    private static final int S_EXT_NAME = 4;
    /** BWS after a name: '=' or the next ';'. */
    private static final int S_EXT_NAME_BWS = 5;
    private static final int S_EXT_VALUE_START = 6;
    private static final int S_EXT_TOKEN = 7;
    private static final int S_EXT_QUOTED = 8;
    private static final int S_EXT_QUOTED_PAIR = 9;
    private static final int S_EXT_QUOTED_END = 10;
    private static final int S_LINE_LF = 11;
    private static final int S_DATA = 12;
    private static final int S_DATA_CR = 13;
    private static final int S_DATA_LF = 14;
    private static final int S_TRAILER_START = 15;
    private static final int S_TRAILER_NAME = 16;
    private static final int S_TRAILER_VALUE = 17;
    private static final int S_TRAILER_LF = 18;
    private static final int S_END_LF = 19;
    private static final int S_DONE = 20;
    private static final int S_ERROR = 21;

    private final int maxExtensionBytes;
    private final int maxTrailerBytes;
    private final long maxBodyBytes;

    private int state;
    private int errorStatus;
    /** The chunk-size being read, then the data bytes of the current chunk not yet returned. */
    private long size;
    private int sizeDigits;
    private int extensionBytes;
    private int trailerBytes;
    /** Sum of the chunk-sizes declared so far; checked against the body limit. */
    private long declared;
    private long bodyBytes;

    private long consumedTo;
    private long dataStart;
    private long dataEnd;

    public ChunkedDecoder(HttpLimits limits) {
        this.maxExtensionBytes = limits.maxChunkExtensionBytes();
        this.maxTrailerBytes = limits.maxTrailerBytes();
        this.maxBodyBytes = limits.maxBodyBytes() < 0 ? Long.MAX_VALUE : limits.maxBodyBytes();
        reset();
    }

    /** Forgets the last body; the next {@link #decode} starts at a chunk-size. */
    public void reset() {
        state = S_SIZE_START;
        errorStatus = 0;
        size = 0;
        sizeDigits = 0;
        extensionBytes = 0;
        trailerBytes = 0;
        declared = 0;
        bodyBytes = 0;
        consumedTo = dataStart = dataEnd = 0;
    }

    /**
     * Decodes bytes [{@code from}, {@code limit}) of {@code seg}, which follow the bytes of the
     * previous call (or the head, after {@link #reset()}).
     *
     * @return {@link #NEED_MORE}, {@link #DATA}, {@link #DONE} or {@link #ERROR}; once DONE or ERROR
     *     it returns the same without reading until {@link #reset()}
     */
    public int decode(MemorySegment seg, long from, long limit) {
        int s = state;
        if (s >= S_DONE) return s == S_DONE ? DONE : ERROR;
        long p = from;
        for (;;) {
            if (s == S_DATA) {
                if (p >= limit) return suspend(s, p);
                // The hot path: hand out as much of the chunk as arrived, without looking at it.
                long n = Math.min(size, limit - p);
                size -= n;
                bodyBytes += n;
                dataStart = p;
                dataEnd = consumedTo = p + n;
                state = size == 0 ? S_DATA_CR : S_DATA;
                return DATA;
            }
            if (s >= S_TRAILER_START) return trailers(seg, p, limit, s);
            if (p >= limit) return suspend(s, p);
            byte b = at(seg, p);
            if (s >= S_EXT_BWS && s <= S_EXT_QUOTED_END && b != CR && ++extensionBytes > maxExtensionBytes) {
                return fail(400, p);
            }
            p++;
            switch (s) {
                case S_SIZE_START -> {
                    // RFC 9112 §7.1: chunk-size = 1*HEXDIG; no sign, no "0x", no whitespace before it.
                    if (!is(b, HttpBytes.HEX)) return fail(400, p - 1);
                    size = hex(b);
                    sizeDigits = 1;
                    s = S_SIZE;
                }
                case S_SIZE -> {
                    if (is(b, HttpBytes.HEX)) {
                        if (++sizeDigits > MAX_SIZE_DIGITS) return fail(413, p - 1);
                        size = (size << 4) | hex(b);
                        continue;
                    }
                    // The size is known: refuse a chunk over the body limit before any of its data.
                    if (size < 0 || size > MAX_CHUNK_SIZE || size > maxBodyBytes - declared) return fail(413, p - 1);
                    declared += size;
                    s = afterValue(b);
                    if (s < 0) return fail(400, p - 1);
                    // The byte that ends the size is the extensions' first, unless it is the CR.
                    if (s != S_LINE_LF && ++extensionBytes > maxExtensionBytes) return fail(400, p - 1);
                }
                case S_EXT_BWS -> {
                    if (b == ';') s = S_EXT_NAME_START;
                    else if (b != SP && b != HTAB) return fail(400, p - 1);
                }
                case S_EXT_NAME_START -> {
                    if (is(b, HttpBytes.TCHAR)) s = S_EXT_NAME;
                    else if (b != SP && b != HTAB) return fail(400, p - 1);
                }
                case S_EXT_NAME -> {
                    if (is(b, HttpBytes.TCHAR)) continue;
                    if (b == '=') s = S_EXT_VALUE_START;
                    else if (b == SP || b == HTAB) s = S_EXT_NAME_BWS;
                    else if ((s = afterValue(b)) < 0) return fail(400, p - 1);
                }
                case S_EXT_NAME_BWS -> {
                    if (b == '=') s = S_EXT_VALUE_START;
                    else if (b == ';') s = S_EXT_NAME_START;
                    else if (b != SP && b != HTAB) return fail(400, p - 1);
                }
                case S_EXT_VALUE_START -> {
                    if (is(b, HttpBytes.TCHAR)) s = S_EXT_TOKEN;
                    else if (b == '"') s = S_EXT_QUOTED;
                    else if (b != SP && b != HTAB) return fail(400, p - 1);
                }
                case S_EXT_TOKEN -> {
                    if (!is(b, HttpBytes.TCHAR) && (s = afterValue(b)) < 0) return fail(400, p - 1);
                }
                case S_EXT_QUOTED -> {
                    // RFC 9110 §5.6.4: qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text.
                    if (b == '"') s = S_EXT_QUOTED_END;
                    else if (b == '\\') s = S_EXT_QUOTED_PAIR;
                    else if (!quotable(b)) return fail(400, p - 1);
                }
                case S_EXT_QUOTED_PAIR -> {
                    if (!quotable(b) && b != '"' && b != '\\') return fail(400, p - 1);
                    s = S_EXT_QUOTED;
                }
                case S_EXT_QUOTED_END -> {
                    if ((s = afterValue(b)) < 0) return fail(400, p - 1);
                }
                case S_LINE_LF -> {
                    // A bare CR is never a line end (RFC 9112 §2.2).
                    if (b != LF) return fail(400, p - 1);
                    extensionBytes = 0;
                    s = size == 0 ? S_TRAILER_START : S_DATA;
                }
                case S_DATA_CR -> {
                    // RFC 9112 §7.1: chunk-data is followed by exactly CRLF; anything else is a size lie.
                    if (b != CR) return fail(400, p - 1);
                    s = S_DATA_LF;
                }
                case S_DATA_LF -> {
                    if (b != LF) return fail(400, p - 1);
                    s = S_SIZE_START;
                }
                default -> throw new IllegalStateException("state " + s);
            }
        }
    }

    /**
     * The trailer section (RFC 9112 §7.1.2): field lines as in a head, then CRLF. Each line is
     * checked as the parser checks one (token name, no whitespace before ':', no obs-fold, no
     * CTL or DEL in the value), then dropped.
     */
    private int trailers(MemorySegment seg, long p, long limit, int s) {
        final long start = p;
        // Bytes past the trailer budget are refused; its end stops every scan below.
        final long stop = Math.min(limit, p + (maxTrailerBytes - trailerBytes));
        int r;
        loop:
        for (;;) {
            if (p >= stop) {
                r = stop < limit ? fail(431, p) : suspend(s, p);
                break;
            }
            byte b = at(seg, p);
            switch (s) {
                case S_TRAILER_START -> {
                    if (b == CR) {
                        s = S_END_LF;
                    } else if (is(b, HttpBytes.TCHAR)) {
                        s = S_TRAILER_NAME;
                    } else {
                        // Whitespace here is obs-fold or a line starting with it: 400, as in a head.
                        r = fail(400, p);
                        break loop;
                    }
                    p++;
                }
                case S_TRAILER_NAME -> {
                    p = HttpBytes.skipClass(seg, p, stop, HttpBytes.TCHAR);
                    if (p >= stop) continue;
                    if (at(seg, p) != ':') {
                        r = fail(400, p);
                        break loop;
                    }
                    p++;
                    s = S_TRAILER_VALUE;
                }
                case S_TRAILER_VALUE -> {
                    p = HttpBytes.findCtlOrDel(seg, p, stop);
                    if (p >= stop) continue;
                    b = at(seg, p);
                    if (b == HTAB) {
                        p++;
                        continue;
                    }
                    if (b != CR) {
                        r = fail(400, p);
                        break loop;
                    }
                    p++;
                    s = S_TRAILER_LF;
                }
                case S_TRAILER_LF, S_END_LF -> {
                    if (b != LF) {
                        r = fail(400, p);
                        break loop;
                    }
                    p++;
                    if (s == S_END_LF) {
                        consumedTo = p;
                        state = S_DONE;
                        r = DONE;
                        break loop;
                    }
                    s = S_TRAILER_START;
                }
                default -> throw new IllegalStateException("state " + s);
            }
        }
        trailerBytes += (int) (p - start);
        return r;
    }

    /** The state after a chunk-size, name or value ends at byte {@code b}, or -1 when {@code b} may not end one. */
    private static int afterValue(byte b) {
        return switch (b) {
            case ';' -> S_EXT_NAME_START;
            case CR -> S_LINE_LF;
            case SP, HTAB -> S_EXT_BWS;
            default -> -1;
        };
    }

    /** qdtext without '"' and '\' plus what a quoted-pair may also escape: HTAB, SP, VCHAR, obs-text. */
    private static boolean quotable(byte b) {
        return b == HTAB || (b >= SP && b != 0x7F && b != '"' && b != '\\') || b < 0;
    }

    private static int hex(byte b) {
        return b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
    }

    private int suspend(int s, long p) {
        state = s;
        consumedTo = p;
        return NEED_MORE;
    }

    private int fail(int status, long p) {
        errorStatus = status;
        state = S_ERROR;
        consumedTo = p;
        return ERROR;
    }

    /** Where decoding stopped: after DATA its end, after NEED_MORE the limit, after DONE the next request. */
    public long consumedTo() {
        return consumedTo;
    }

    /** The first data byte of the last {@link #DATA} span. */
    public long dataStart() {
        return dataStart;
    }

    /** Just after the last data byte of the last {@link #DATA} span. */
    public long dataEnd() {
        return dataEnd;
    }

    /** 400, 413 or 431 after {@link #ERROR}; 0 otherwise. */
    public int errorStatus() {
        return errorStatus;
    }

    /** Data bytes handed out in {@link #DATA} spans since {@link #reset()}. */
    public long bodyBytes() {
        return bodyBytes;
    }

    public boolean isDone() {
        return state == S_DONE;
    }

    /**
     * The caller moved the bytes it has not consumed yet (and the last DATA span, if it keeps it)
     * by {@code delta}; the offsets this decoder reports move with them. Nothing else is held.
     */
    public void relocate(long delta) {
        consumedTo += delta;
        dataStart += delta;
        dataEnd += delta;
    }
}
