package dev.ringside.uring.files;

import dev.ringside.uring.http.HttpRequestParser;
import dev.ringside.uring.http.KnownHeader;

import java.lang.foreign.MemorySegment;

import static dev.ringside.uring.files.ByteRanges.at;
import static dev.ringside.uring.files.ByteRanges.isTchar;
import static dev.ringside.uring.files.ByteRanges.skipWs;

/**
 * Chooses between a file and its precompressed siblings by Accept-Encoding (RFC 9110 §12.5.3),
 * reading every Accept-Encoding line in place (no allocation):
 * <ul>
 *   <li>a coding's weight is its own {@code q}, else that of {@code *}, else it is not acceptable;
 *       codings are case-insensitive; {@code q=0} means "not acceptable";</li>
 *   <li>the best acceptable of br and gzip is sent, br when they tie (it is smaller), unless
 *       {@code identity} (or {@code *}) is given a strictly higher weight;</li>
 *   <li>an element with an invalid {@code q} (not {@code 0[.ddd]} or {@code 1[.000]}) is ignored.</li>
 * </ul>
 * Tomcat 11 differs in three corners we do not copy: it compares codings case-sensitively,
 * it serves a coding listed with {@code q=0}, and an unparseable {@code q} makes it fail with 500.
 */
public final class AcceptEncoding {
    public static final int IDENTITY = 0;
    public static final int GZIP = 1;
    public static final int BR = 2;

    private static final byte[] BR_NAME = {'b', 'r'};
    private static final byte[] GZIP_NAME = {'g', 'z', 'i', 'p'};
    private static final byte[] IDENTITY_NAME = {'i', 'd', 'e', 'n', 't', 'i', 't', 'y'};
    private static final byte[] STAR = {'*'};

    private AcceptEncoding() {}

    /** Which representation to send when a br sibling ({@code hasBr}) and/or a gzip one exist. */
    public static int choose(HttpRequestParser req, MemorySegment seg, boolean hasBr, boolean hasGzip) {
        if (req.headerIndex(KnownHeader.ACCEPT_ENCODING) < 0) {
            return IDENTITY;
        }
        // Weights in thousandths; -1: not mentioned.
        int br = -1, gzip = -1, identity = -1, star = -1;
        for (int i = 0, n = req.headerCount(); i < n; i++) {
            if (req.headerKind(i) != KnownHeader.ACCEPT_ENCODING) continue;
            long p = req.headerValueStart(i), to = req.headerValueEnd(i);
            while (p < to) {
                p = skipWs(seg, p, to);
                long start = p;
                while (p < to && isTchar(at(seg, p))) p++;
                long end = p;
                int q = 1000;
                p = skipWs(seg, p, to);
                while (p < to && at(seg, p) == ';') {
                    p = skipWs(seg, p + 1, to);
                    long nameStart = p;
                    while (p < to && isTchar(at(seg, p))) p++;
                    boolean isQ = p - nameStart == 1 && (at(seg, nameStart) | 0x20) == 'q';
                    p = skipWs(seg, p, to);
                    if (p < to && at(seg, p) == '=') {
                        p = skipWs(seg, p + 1, to);
                        long valueStart = p;
                        while (p < to && at(seg, p) != ',' && at(seg, p) != ';' && at(seg, p) != ' '
                                && at(seg, p) != '\t') p++;
                        if (isQ) q = qvalue(seg, valueStart, p);
                    } else if (isQ) {
                        q = -1;
                    }
                    p = skipWs(seg, p, to);
                }
                // Anything else up to the next comma makes the element invalid.
                boolean clean = p == to || at(seg, p) == ',';
                while (p < to && at(seg, p) != ',') p++;
                if (p < to) p++;
                if (!clean || q < 0 || start == end) continue;
                if (named(seg, start, end, BR_NAME)) br = q;
                else if (named(seg, start, end, GZIP_NAME)) gzip = q;
                else if (named(seg, start, end, IDENTITY_NAME)) identity = q;
                else if (named(seg, start, end, STAR)) star = q;
            }
        }
        int brWeight = hasBr ? (br >= 0 ? br : Math.max(star, 0)) : 0;
        int gzipWeight = hasGzip ? (gzip >= 0 ? gzip : Math.max(star, 0)) : 0;
        int best = Math.max(brWeight, gzipWeight);
        int identityWeight = identity >= 0 ? identity : Math.max(star, 0);
        if (best == 0 || identityWeight > best) {
            return IDENTITY;
        }
        return brWeight >= gzipWeight ? BR : GZIP;
    }

    /** RFC 9110 §12.4.2 qvalue in thousandths, or -1 if invalid. */
    static int qvalue(MemorySegment seg, long from, long to) {
        long len = to - from;
        if (len < 1 || len > 5) return -1;
        byte lead = at(seg, from);
        if (lead != '0' && lead != '1') return -1;
        if (len == 1) return lead == '1' ? 1000 : 0;
        if (at(seg, from + 1) != '.') return -1;
        int v = 0;
        for (int i = 0; i < 3; i++) {
            int d = 0;
            long p = from + 2 + i;
            if (p < to) {
                d = at(seg, p) - '0';
                if (d < 0 || d > 9) return -1;
            }
            v = v * 10 + d;
        }
        if (lead == '1') return v == 0 ? 1000 : -1;
        return v;
    }

    private static boolean named(MemorySegment seg, long from, long to, byte[] lower) {
        if (to - from != lower.length) return false;
        for (int i = 0; i < lower.length; i++) {
            int b = at(seg, from + i);
            if (b >= 'A' && b <= 'Z') b |= 0x20;
            if (b != lower[i]) return false;
        }
        return true;
    }
}
