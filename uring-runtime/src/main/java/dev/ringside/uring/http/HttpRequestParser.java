package dev.ringside.uring.http;

import static dev.ringside.uring.http.HttpBytes.CR;
import static dev.ringside.uring.http.HttpBytes.HTAB;
import static dev.ringside.uring.http.HttpBytes.LF;
import static dev.ringside.uring.http.HttpBytes.SP;
import static dev.ringside.uring.http.HttpBytes.at;
import static dev.ringside.uring.http.HttpBytes.is;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * An incremental, zero-copy parser of HTTP/1.1 request heads (RFC 9112 §2-§3, §5 and the framing
 * rules of §6), strict where request smuggling lives.
 *
 * <p>It reads the bytes where the kernel put them and records offsets: nothing is copied, and
 * nothing is allocated per request. {@link #parse} may be called as bytes arrive; a head split
 * anywhere parses exactly as one delivered whole, and bytes already scanned are not scanned again.
 * All offsets it returns are absolute offsets into the caller's segment.
 *
 * <p>One parser per connection, used by one thread at a time (the connection's loop).
 *
 * <p>Usage: {@code reset()}; then {@code parse(seg, from, limit)} as bytes arrive until it returns
 * {@link #COMPLETE} (read the head, the body or next request starts at {@link #headEnd()}) or
 * {@link #ERROR} (send {@link #errorStatus()} and close: nothing after bad bytes is trusted).
 */
public final class HttpRequestParser {

    /** The head is not complete: call {@link #parse} again once more bytes follow {@code limit}. */
    public static final int NEED_MORE = 0;
    /** The head is complete and valid; {@link #headEnd()} is just after its final CRLF CRLF. */
    public static final int COMPLETE = 1;
    /** The head is malformed or over a limit; answer {@link #errorStatus()} and close. */
    public static final int ERROR = -1;

    private static final byte[] H2C = {'h', '2', 'c'};

    /**
     * Leading empty lines skipped before a request line (RFC 9112 §2.2 asks for at least one);
     * a client sending more is not a client we want to wait for.
     */
    static final int MAX_LEADING_EMPTY_LINES = 4;

    // States. Each names what the byte at pos must be part of.
    private static final int S_LEADING = 0;
    private static final int S_LEADING_LF = 1;
    private static final int S_METHOD = 2;
    private static final int S_TARGET_START = 3;
    private static final int S_PATH = 4;
    private static final int S_QUERY = 5;
    private static final int S_SCHEME = 6;
    private static final int S_SLASHES = 7;
    private static final int S_AUTHORITY = 8;
    private static final int S_CONNECT_AUTHORITY = 9;
    private static final int S_ASTERISK_END = 10;
    private static final int S_VERSION = 11;
    private static final int S_VERSION_LF = 12;
    private static final int S_FIELD_START = 13;
    private static final int S_NAME = 14;
    private static final int S_OWS = 15;
    private static final int S_VALUE = 16;
    private static final int S_VALUE_LF = 17;
    private static final int S_END_LF = 18;
    private static final int S_DONE = 19;
    private static final int S_ERROR = 20;

    private static final int GET_SP = (int) word("GET ");
    private static final long HEAD_SP = word("HEAD ");
    private static final long POST_SP = word("POST ");
    private static final long FIVE_BYTES = 0xFF_FFFF_FFFFL;
    private static final long HTTP_1_1 = word("HTTP/1.1");
    private static final long HTTP_1_0 = word("HTTP/1.0");
    private static final short CRLF = (short) word("\r\n");
    private static final long HTTP_SCHEME = HttpMethod.pack("http");
    private static final long HTTPS_SCHEME = HttpMethod.pack("https");
    /** requestLine()'s answer when the fields come next. */
    private static final int FIELDS_NEXT = 2;
    /** A scanner's answer when a percent-encoding is not '%' HEXDIG HEXDIG. */
    private static final long BAD_PERCENT = Long.MIN_VALUE;

    private final HttpLimits limits;
    /** Per field line i: name start, name end, value start, value end at [4i, 4i+4), relative to base. */
    private final int[] fields;
    /** Per field line: the KnownHeader ordinal, or -1. */
    private final byte[] kinds;
    /** Per KnownHeader: index of its first field line, valid where its bit is set in knownSeen. */
    private final int[] known = new int[KnownHeader.COUNT];
    /** Bit i set: KnownHeader i was seen. A mask, so that reset() clears one int, not an array. */
    private int knownSeen;

    // Every stored offset is relative to base, so relocate() is one addition.
    private long base;
    private boolean started;
    private int state;
    private int pos;
    private int errorStatus;
    private int leadingLines;

    private int methodStart;
    private int methodEnd;
    private long methodBytes;
    private HttpMethod method;
    private int targetStart;
    private int targetEnd;
    private int pathStart;
    private int pathEnd;
    private int queryStart;
    private int authorityStart;
    private long schemeBytes;
    private int versionStart;
    private HttpVersion version;
    private int fieldsStart;
    private int headEnd;
    private int count;

    private final MessageFraming framing = new MessageFraming();

    public HttpRequestParser(HttpLimits limits) {
        this.limits = limits;
        this.fields = new int[4 * limits.maxHeaderCount()];
        this.kinds = new byte[limits.maxHeaderCount()];
        reset();
    }

    public HttpRequestParser() {
        this(HttpLimits.DEFAULT);
    }

    public HttpLimits limits() {
        return limits;
    }

    /** Forgets the last request; the next {@link #parse} starts a new head at its {@code from}. */
    public void reset() {
        started = false;
        state = S_LEADING;
        base = 0;
        pos = 0;
        errorStatus = 0;
        leadingLines = 0;
        methodStart = methodEnd = 0;
        methodBytes = 0;
        method = null;
        targetStart = targetEnd = pathStart = pathEnd = authorityStart = 0;
        queryStart = -1;
        schemeBytes = 0;
        versionStart = 0;
        version = null;
        fieldsStart = headEnd = 0;
        count = 0;
        knownSeen = 0;
        framing.reset();
    }

    /**
     * The caller moved the bytes of this request so far (from {@link #requestStart()}) by
     * {@code delta} bytes, e.g. into a connection-owned buffer; the next {@link #parse} continues
     * in the new place. O(1): offsets are stored relative to the request's first byte.
     */
    public void relocate(long delta) {
        base += delta;
    }

    /**
     * Parses bytes of {@code seg} up to {@code limit}.
     *
     * <p>On the first call after {@link #reset()}, the request begins at {@code from}. On later
     * calls the parser resumes where it stopped and {@code from} is ignored: the caller guarantees
     * that every byte of the request, from its first, is still at the same offset of {@code seg}
     * (or moved as told by {@link #relocate}), and that new bytes were appended up to {@code limit}.
     * Bytes after the head are left unread.
     *
     * @return {@link #NEED_MORE}, {@link #COMPLETE} or {@link #ERROR}; once COMPLETE or ERROR it
     *     returns the same without reading until {@link #reset()}
     */
    public int parse(MemorySegment seg, long from, long limit) {
        int s = state;
        if (s >= S_DONE) return s == S_DONE ? COMPLETE : ERROR;
        if (!started) {
            started = true;
            base = from;
        }
        if (s < S_FIELD_START) {
            int r = requestLine(seg, limit);
            if (r != FIELDS_NEXT) return r;
        }
        return fields(seg, limit);
    }

    /** Parses from the first byte through the request line's CRLF; FIELDS_NEXT when all of it is read. */
    private int requestLine(MemorySegment seg, long limit) {
        int s = state;
        final long b0 = base;
        long p = b0 + pos;
        for (;;) {
            if (s == S_FIELD_START) {
                pos = (int) (p - b0);
                state = s;
                return FIELDS_NEXT;
            }
            switch (s) {
                case S_LEADING -> {
                    if (p + 8 <= limit) {
                        // Most requests are GET, HEAD or POST: recognise "GET " as one int compare.
                        long w = seg.get(HttpBytes.LONG, p);
                        if ((int) w == GET_SP) {
                            p = knownMethod(p, 3, HttpMethod.GET);
                            s = S_TARGET_START;
                            continue;
                        }
                        long w5 = w & FIVE_BYTES;
                        if (w5 == HEAD_SP || w5 == POST_SP) {
                            p = knownMethod(p, 4, w5 == HEAD_SP ? HttpMethod.HEAD : HttpMethod.POST);
                            s = S_TARGET_START;
                            continue;
                        }
                    }
                    if (p >= limit) return suspend(s, p);
                    if (at(seg, p) == CR) {
                        if (++leadingLines > MAX_LEADING_EMPTY_LINES) return fail(400);
                        p++;
                        s = S_LEADING_LF;
                        continue;
                    }
                    methodStart = (int) (p - b0);
                    s = S_METHOD;
                }
                case S_LEADING_LF -> {
                    if (p >= limit) return suspend(s, p);
                    if (at(seg, p) != LF) return fail(400);
                    p++;
                    s = S_LEADING;
                }
                case S_METHOD -> {
                    long stop = Math.min(limit, requestLineEnd());
                    long acc = methodBytes;
                    byte b = 0;
                    while (p < stop && is(b = at(seg, p), HttpBytes.TCHAR)) {
                        acc = (acc << 8) | b;
                        p++;
                    }
                    methodBytes = acc;
                    if (p >= stop) return more(s, p, stop, limit, 414);
                    if (b != SP || p == b0 + methodStart) return fail(400);
                    methodEnd = (int) (p - b0);
                    method = HttpMethod.identify(acc, methodEnd - methodStart);
                    p++;
                    s = S_TARGET_START;
                }
                case S_TARGET_START -> {
                    long stop = Math.min(limit, requestLineEnd());
                    if (p >= stop) return more(s, p, stop, limit, 414);
                    byte b = at(seg, p);
                    targetStart = pathStart = (int) (p - b0);
                    if (method == HttpMethod.CONNECT) {
                        // RFC 9112 §3.2.3: CONNECT takes authority-form and nothing else.
                        s = S_CONNECT_AUTHORITY;
                    } else if (b == '/') {
                        s = S_PATH;
                    } else if (b == '*') {
                        if (method != HttpMethod.OPTIONS) return fail(400);
                        p++;
                        s = S_ASTERISK_END;
                    } else if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {
                        s = S_SCHEME;
                    } else {
                        return fail(400);
                    }
                }
                case S_PATH, S_QUERY -> {
                    long stop = Math.min(limit, requestLineEnd());
                    long r = scanTarget(seg, p, stop, s == S_PATH ? HttpBytes.PATH : HttpBytes.QUERY);
                    if (r < 0) return r == BAD_PERCENT ? fail(400) : more(s, ~r, stop, limit, 414);
                    p = r;
                    byte b = at(seg, p);
                    if (b == SP) {
                        targetEnd = (int) (p - b0);
                        if (s == S_PATH) pathEnd = targetEnd;
                        p = startVersion(p);
                        s = S_VERSION;
                    } else if (b == '?' && s == S_PATH) {
                        pathEnd = (int) (p - b0);
                        p++;
                        queryStart = (int) (p - b0);
                        s = S_QUERY;
                    } else {
                        return fail(400);
                    }
                }
                case S_SCHEME -> {
                    // absolute-form (RFC 9112 §3.2.2) of an http or https URI, the only schemes we serve.
                    long stop = Math.min(limit, requestLineEnd());
                    long acc = schemeBytes;
                    byte b = 0;
                    while (p < stop && is(b = at(seg, p), HttpBytes.SCHEME)) {
                        if (p - b0 - targetStart >= 5) return fail(400);
                        acc = (acc << 8) | (b | 0x20);
                        p++;
                    }
                    schemeBytes = acc;
                    if (p >= stop) return more(s, p, stop, limit, 414);
                    if (b != ':' || (acc != HTTP_SCHEME && acc != HTTPS_SCHEME)) return fail(400);
                    p++;
                    authorityStart = (int) (p - b0) + 2;
                    s = S_SLASHES;
                }
                case S_SLASHES -> {
                    long stop = Math.min(limit, requestLineEnd());
                    long end = b0 + authorityStart;
                    while (p < end) {
                        if (p >= stop) return more(s, p, stop, limit, 414);
                        if (at(seg, p) != '/') return fail(400);
                        p++;
                    }
                    s = S_AUTHORITY;
                }
                case S_AUTHORITY -> {
                    long stop = Math.min(limit, requestLineEnd());
                    long r = scanTarget(seg, p, stop, HttpBytes.AUTHORITY);
                    if (r < 0) return r == BAD_PERCENT ? fail(400) : more(s, ~r, stop, limit, 414);
                    p = r;
                    // RFC 9110 §4.2.1: an http URI with an empty host is invalid; userinfo ('@') is refused.
                    if (p == b0 + authorityStart) return fail(400);
                    byte b = at(seg, p);
                    pathStart = (int) (p - b0);
                    if (b == '/') {
                        s = S_PATH;
                    } else if (b == '?') {
                        pathEnd = pathStart;
                        p++;
                        queryStart = (int) (p - b0);
                        s = S_QUERY;
                    } else if (b == SP) {
                        pathEnd = targetEnd = pathStart;
                        p = startVersion(p);
                        s = S_VERSION;
                    } else {
                        return fail(400);
                    }
                }
                case S_CONNECT_AUTHORITY -> {
                    long stop = Math.min(limit, requestLineEnd());
                    long r = scanTarget(seg, p, stop, HttpBytes.AUTHORITY);
                    if (r < 0) return r == BAD_PERCENT ? fail(400) : more(s, ~r, stop, limit, 414);
                    p = r;
                    if (at(seg, p) != SP || !hostAndPort(seg, b0 + targetStart, p)) return fail(400);
                    targetEnd = pathEnd = (int) (p - b0);
                    p = startVersion(p);
                    s = S_VERSION;
                }
                case S_ASTERISK_END -> {
                    long stop = Math.min(limit, requestLineEnd());
                    if (p >= stop) return more(s, p, stop, limit, 414);
                    if (at(seg, p) != SP) return fail(400);
                    targetEnd = pathEnd = (int) (p - b0);
                    p = startVersion(p);
                    s = S_VERSION;
                }
                case S_VERSION -> {
                    long rlEnd = requestLineEnd();
                    if (p + 10 <= limit && p + 8 <= rlEnd && seg.get(HttpBytes.LONG, p) == HTTP_1_1
                            && seg.get(HttpBytes.SHORT, p + 8) == CRLF) {
                        version = HttpVersion.HTTP_1_1;
                        p += 10;
                        fieldsStart = (int) (p - b0);
                        s = S_FIELD_START;
                        continue;
                    }
                    // The CR may sit just past the limit: the limit counts the line without its CRLF.
                    long stop = Math.min(limit, rlEnd + 1);
                    byte b = 0;
                    while (p < stop && (b = at(seg, p)) != CR) {
                        if (b <= SP || b == 0x7F) return fail(400);
                        p++;
                    }
                    if (p >= stop) return more(s, p, stop, limit, 414);
                    int status = version(seg, b0 + versionStart, p);
                    if (status != 0) return fail(status);
                    p++;
                    s = S_VERSION_LF;
                }
                case S_VERSION_LF -> {
                    if (p >= limit) return suspend(s, p);
                    if (at(seg, p) != LF) return fail(400);
                    p++;
                    fieldsStart = (int) (p - b0);
                    s = S_FIELD_START;
                }
                default -> throw new IllegalStateException("state " + s);
            }
        }
    }

    /**
     * Parses field lines through the empty line. A whole line is read in one pass: each state
     * falls through to the next, and only a shortage of bytes parks the parse in the middle.
     */
    private int fields(MemorySegment seg, long limit) {
        final long b0 = base;
        final long stop = Math.min(limit, fieldsEnd());
        final int[] f = fields;
        long p = b0 + pos;
        int s = state;
        for (;;) {
            int c = count;
            byte b;
            switch (s) {
                case S_FIELD_START:
                    if (p >= stop) return more(S_FIELD_START, p, stop, limit, 431);
                    b = at(seg, p);
                    if (b == CR) {
                        p++;
                        s = S_END_LF;
                        continue;
                    }
                    // RFC 9112 §5.2: obs-fold is refused with 400.
                    if (b == SP || b == HTAB) return fail(400);
                    if (c == kinds.length) return fail(431);
                    f[4 * c] = (int) (p - b0);
                    // fall through
                case S_NAME:
                    p = HttpBytes.skipClass(seg, p, stop, HttpBytes.TCHAR);
                    if (p >= stop) return more(S_NAME, p, stop, limit, 431);
                    // RFC 9112 §5.1: no whitespace between name and colon, and the name is not empty.
                    if (at(seg, p) != ':' || p == b0 + f[4 * c]) return fail(400);
                    f[4 * c + 1] = (int) (p - b0);
                    p++;
                    // fall through
                case S_OWS:
                    while (p < stop && ((b = at(seg, p)) == SP || b == HTAB)) p++;
                    if (p >= stop) return more(S_OWS, p, stop, limit, 431);
                    f[4 * c + 2] = (int) (p - b0);
                    // fall through
                case S_VALUE:
                    for (;;) {
                        p = HttpBytes.findCtlOrDel(seg, p, stop);
                        if (p >= stop) return more(S_VALUE, p, stop, limit, 431);
                        b = at(seg, p);
                        if (b != HTAB) break;
                        p++;
                    }
                    // Bare LF, NUL, DEL and other controls are refused (RFC 9110 §5.5, RFC 9112 §2.2).
                    if (b != CR) return fail(400);
                    f[4 * c + 3] = (int) (trimEnd(seg, b0 + f[4 * c + 2], p) - b0);
                    p++;
                    // fall through
                case S_VALUE_LF:
                    if (p >= stop) return more(S_VALUE_LF, p, stop, limit, 431);
                    if (at(seg, p) != LF) return fail(400);
                    p++;
                    int status = endField(seg);
                    if (status != 0) return fail(status);
                    s = S_FIELD_START;
                    continue;
                case S_END_LF:
                    if (p >= stop) return more(S_END_LF, p, stop, limit, 431);
                    if (at(seg, p) != LF) return fail(400);
                    p++;
                    headEnd = (int) (p - b0);
                    status = endHead();
                    if (status != 0) return fail(status);
                    pos = headEnd;
                    state = S_DONE;
                    return COMPLETE;
                default:
                    throw new IllegalStateException("state " + s);
            }
        }
    }

    private long knownMethod(long p, int length, HttpMethod m) {
        methodStart = (int) (p - base);
        methodEnd = methodStart + length;
        method = m;
        return p + length + 1;
    }

    private long startVersion(long sp) {
        versionStart = (int) (sp + 1 - base);
        return sp + 1;
    }

    /** Offset of the first byte past the request-line limit. */
    private long requestLineEnd() {
        return base + methodStart + limits.maxRequestLine();
    }

    /** Offset of the first byte past the header-block limit. */
    private long fieldsEnd() {
        return base + fieldsStart + limits.maxHeaderBytes();
    }

    private int suspend(int s, long p) {
        state = s;
        pos = (int) (p - base);
        return NEED_MORE;
    }

    /** Out of bytes at {@code stop}: wait for more, unless the stop was a size limit with bytes beyond it. */
    private int more(int s, long p, long stop, long limit, int overLimitStatus) {
        return stop < limit ? fail(overLimitStatus) : suspend(s, p);
    }

    private int fail(int status) {
        errorStatus = status;
        state = S_ERROR;
        return ERROR;
    }

    /**
     * Scans request-target bytes of class {@code bit} and percent-encodings from {@code p}: returns
     * the offset of the first other byte, or {@code ~offset} to resume at when {@code stop} came
     * first, or {@link #BAD_PERCENT}.
     */
    private static long scanTarget(MemorySegment seg, long p, long stop, int bit) {
        for (;;) {
            p = HttpBytes.skipClass(seg, p, stop, bit);
            if (p >= stop) return ~p;
            if (at(seg, p) != '%') return p;
            if (p + 3 > stop) return ~p;
            if (!is(at(seg, p + 1), HttpBytes.HEX) || !is(at(seg, p + 2), HttpBytes.HEX)) return BAD_PERCENT;
            p += 3;
        }
    }

    /** authority-form = uri-host ":" port (RFC 9112 §3.2.3), with a non-empty host and port. */
    private static boolean hostAndPort(MemorySegment seg, long from, long to) {
        long q = to - 1;
        while (q > from && at(seg, q) >= '0' && at(seg, q) <= '9') q--;
        return q > from && q < to - 1 && at(seg, q) == ':';
    }

    /** Checks HTTP-version = "HTTP/" DIGIT "." DIGIT; 0 when accepted, else the status to answer. */
    private int version(MemorySegment seg, long from, long to) {
        if (to - from != 8) return 400;
        long w = seg.get(HttpBytes.LONG, from);
        if (w == HTTP_1_1) {
            version = HttpVersion.HTTP_1_1;
            return 0;
        }
        if (w == HTTP_1_0) {
            version = HttpVersion.HTTP_1_0;
            return 0;
        }
        // The shape of a version we do not speak is a 505 (RFC 9110 §15.6.6), anything else a 400.
        boolean shaped = (w & FIVE_BYTES) == (HTTP_1_1 & FIVE_BYTES) && at(seg, from + 6) == '.'
                && isDigit(at(seg, from + 5)) && isDigit(at(seg, from + 7));
        return shaped ? 505 : 400;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static long trimEnd(MemorySegment seg, long from, long end) {
        byte b;
        while (end > from && ((b = at(seg, end - 1)) == SP || b == HTAB)) end--;
        return end;
    }

    /** Records the field line just ended; 0, or the status when it breaks a framing rule. */
    private int endField(MemorySegment seg) {
        int i = count;
        long b0 = base;
        KnownHeader h = KnownHeader.match(seg, b0 + fields[4 * i], b0 + fields[4 * i + 1]);
        count = i + 1;
        if (h == null) {
            kinds[i] = -1;
            return 0;
        }
        int k = h.ordinal();
        kinds[i] = (byte) k;
        if ((knownSeen & (1 << k)) == 0) {
            knownSeen |= 1 << k;
            known[k] = i;
        }
        return framing.field(h, seg, b0 + fields[4 * i + 2], b0 + fields[4 * i + 3]);
    }

    private int endHead() {
        return framing.end(version == HttpVersion.HTTP_1_1);
    }

    private static long word(String ascii) {
        long w = 0;
        for (int i = ascii.length() - 1; i >= 0; i--) w = (w << 8) | ascii.charAt(i);
        return w;
    }

    private long abs(int rel) {
        return rel < 0 ? -1 : base + rel;
    }

    // ---- the parsed head: offsets into the segment, valid after COMPLETE until reset() ----

    /** The status to answer after {@link #ERROR}: 400, 414, 431, 501 or 505; 0 otherwise. */
    public int errorStatus() {
        return errorStatus;
    }

    public boolean isComplete() {
        return state == S_DONE;
    }

    /** The first byte of this request as fed to {@link #parse} (leading empty lines included). */
    public long requestStart() {
        return base;
    }

    /** Just after the CRLF CRLF that ends the head: where the body or the next request starts. */
    public long headEnd() {
        return base + headEnd;
    }

    public HttpMethod method() {
        return method;
    }

    public long methodStart() {
        return base + methodStart;
    }

    public long methodEnd() {
        return base + methodEnd;
    }

    public long targetStart() {
        return base + targetStart;
    }

    public long targetEnd() {
        return base + targetEnd;
    }

    /**
     * Where the path starts: the target's start in origin-form, the first byte after the
     * authority in absolute-form (the path may then be empty); for '*' and authority-form the
     * "path" is the whole target.
     */
    public long pathStart() {
        return base + pathStart;
    }

    /** Where the path ends: at the '?' or the end of the target. */
    public long pathEnd() {
        return base + pathEnd;
    }

    /** The first byte after '?', or -1 without a query. */
    public long queryStart() {
        return abs(queryStart);
    }

    /** The end of the query (the end of the target), or -1 without a query. */
    public long queryEnd() {
        return queryStart < 0 ? -1 : base + targetEnd;
    }

    public HttpVersion version() {
        return version;
    }

    public int headerCount() {
        return count;
    }

    public long headerNameStart(int i) {
        return base + fields[4 * i];
    }

    public long headerNameEnd(int i) {
        return base + fields[4 * i + 1];
    }

    /** The value's first byte after leading OWS. */
    public long headerValueStart(int i) {
        return base + fields[4 * i + 2];
    }

    /** Just after the value's last byte that is not trailing OWS. */
    public long headerValueEnd(int i) {
        return base + fields[4 * i + 3];
    }

    /** The known header field line i is, or null. */
    public KnownHeader headerKind(int i) {
        int k = kinds[i];
        return k < 0 ? null : KnownHeader.VALUES[k];
    }

    /** Index of the first field line named {@code h}, or -1. */
    public int headerIndex(KnownHeader h) {
        int k = h.ordinal();
        return (knownSeen & (1 << k)) == 0 ? -1 : known[k];
    }

    /** The Content-Length, or -1 without one. */
    public long contentLength() {
        return framing.contentLength;
    }

    /** Transfer-Encoding: chunked (alone: any other coding was refused). */
    public boolean chunked() {
        return framing.chunked;
    }

    /** Whether the connection may carry another request after this one (RFC 9112 §9.3). */
    public boolean keepAlive() {
        return framing.keepAlive;
    }

    /** "keep-alive" is among the Connection field's options (HTTP/1.0 or 1.1). */
    public boolean keepAliveAsked() {
        return framing.keepAliveAsked;
    }

    /** HTTP/1.1 with {@code Expect: 100-continue}. */
    public boolean expectContinue() {
        return framing.expectContinue;
    }

    /** HTTP/1.1 with an Upgrade field and "upgrade" among the Connection options. */
    public boolean upgrade() {
        return framing.upgrade;
    }

    /**
     * The (first) Upgrade field offers {@code h2c} and nothing else: what java.net.http and others
     * send on a connection's first request by default. A server without h2c answers such a request
     * as plain HTTP/1.1 (RFC 9110 §7.8 lets it ignore the offer), so an adapter whose container has
     * no h2c serves it like any request instead of handing the connection over.
     */
    public boolean upgradeOnlyH2c(MemorySegment seg) {
        int i = headerIndex(KnownHeader.UPGRADE);
        return i >= 0 && HttpBytes.equalsLower(seg, headerValueStart(i), headerValueEnd(i), H2C);
    }

    // ---- slow path: Strings for those who ask (a servlet, a log line, a test) ----

    public String methodName(MemorySegment seg) {
        return string(seg, methodStart(), methodEnd());
    }

    public String target(MemorySegment seg) {
        return string(seg, targetStart(), targetEnd());
    }

    public String path(MemorySegment seg) {
        return string(seg, pathStart(), pathEnd());
    }

    /** The query without its '?', or null. */
    public String query(MemorySegment seg) {
        return queryStart < 0 ? null : string(seg, queryStart(), queryEnd());
    }

    public String headerName(MemorySegment seg, int i) {
        return string(seg, headerNameStart(i), headerNameEnd(i));
    }

    public String headerValue(MemorySegment seg, int i) {
        return string(seg, headerValueStart(i), headerValueEnd(i));
    }

    /** The first value of {@code h}, or null. */
    public String headerValue(MemorySegment seg, KnownHeader h) {
        int i = headerIndex(h);
        return i < 0 ? null : headerValue(seg, i);
    }

    /** Field values may hold obs-text, which RFC 9110 §5.5 leaves opaque: ISO-8859-1 keeps every byte. */
    private static String string(MemorySegment seg, long from, long to) {
        byte[] b = new byte[(int) (to - from)];
        MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, from, b, 0, b.length);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
