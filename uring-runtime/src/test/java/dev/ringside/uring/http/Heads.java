package dev.ringside.uring.http;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: requests as off-heap bytes, and everything a parser says about one as a value. */
final class Heads {

    private Heads() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code bytes} at {@code offset} of a fresh segment with {@code slack} garbage bytes after them. */
    static MemorySegment segment(byte[] bytes, int offset, int slack) {
        MemorySegment seg = Arena.ofAuto().allocate(offset + bytes.length + slack);
        seg.fill((byte) 'G');
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, offset, bytes.length);
        return seg;
    }

    static MemorySegment segment(String s) {
        return segment(bytes(s), 0, 0);
    }

    /**
     * All a parser reports, with offsets relative to the request's first byte, so that a parse
     * that was relocated compares equal to one that was not.
     */
    record Snapshot(int result, int errorStatus, long headEnd, HttpMethod method, String methodName,
                    long methodStart, long methodEnd, long targetStart, long targetEnd, long pathStart,
                    long pathEnd, long queryStart, long queryEnd, HttpVersion version, List<String> fields,
                    List<Integer> known, long contentLength, boolean chunked, boolean keepAlive,
                    boolean expectContinue, boolean upgrade) {

        static Snapshot of(HttpRequestParser p, MemorySegment seg, int result) {
            long b = p.requestStart();
            if (result != HttpRequestParser.COMPLETE) {
                return new Snapshot(result, p.errorStatus(), 0, null, null, 0, 0, 0, 0, 0, 0, 0, 0, null,
                        List.of(), List.of(), 0, false, false, false, false);
            }
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < p.headerCount(); i++) {
                fields.add((p.headerNameStart(i) - b) + ":" + (p.headerNameEnd(i) - b) + ":"
                        + (p.headerValueStart(i) - b) + ":" + (p.headerValueEnd(i) - b) + ":" + p.headerKind(i)
                        + ":" + p.headerName(seg, i) + "=" + p.headerValue(seg, i));
            }
            List<Integer> known = new ArrayList<>();
            for (KnownHeader h : KnownHeader.values()) known.add(p.headerIndex(h));
            return new Snapshot(result, p.errorStatus(), p.headEnd() - b, p.method(), p.methodName(seg),
                    p.methodStart() - b, p.methodEnd() - b, p.targetStart() - b, p.targetEnd() - b,
                    p.pathStart() - b, p.pathEnd() - b, rel(p.queryStart(), b), rel(p.queryEnd(), b),
                    p.version(), fields, known, p.contentLength(), p.chunked(), p.keepAlive(),
                    p.expectContinue(), p.upgrade());
        }

        private static long rel(long offset, long base) {
            return offset < 0 ? -1 : offset - base;
        }
    }

    /** Parses {@code request} delivered in one read. */
    static Snapshot whole(HttpLimits limits, String request) {
        MemorySegment seg = segment(bytes(request), 0, 0);
        HttpRequestParser p = new HttpRequestParser(limits);
        return Snapshot.of(p, seg, p.parse(seg, 0, seg.byteSize()));
    }

    static Snapshot whole(String request) {
        return whole(HttpLimits.DEFAULT, request);
    }

    /** Parses {@code request} delivered one byte per read, with garbage after the last byte read. */
    static Snapshot byteByByte(HttpLimits limits, String request) {
        byte[] all = bytes(request);
        MemorySegment seg = segment(all, 0, 8);
        seg.fill((byte) 0);
        HttpRequestParser p = new HttpRequestParser(limits);
        int r = HttpRequestParser.NEED_MORE;
        for (int n = 1; n <= all.length && r == HttpRequestParser.NEED_MORE; n++) {
            seg.set(ValueLayout.JAVA_BYTE, n - 1, all[n - 1]);
            seg.asSlice(n).fill((byte) (n % 2 == 0 ? '\r' : 'a'));
            r = p.parse(seg, n - 1, n);
        }
        return Snapshot.of(p, seg, r);
    }

    /**
     * Parses {@code request} received in reads that end at each of {@code cuts} (increasing), then
     * at its end; bytes not received yet hold garbage.
     */
    static Snapshot split(HttpLimits limits, byte[] all, int[] cuts) {
        MemorySegment seg = segment(all, 0, 8);
        seg.fill((byte) 0);
        HttpRequestParser p = new HttpRequestParser(limits);
        int r = HttpRequestParser.NEED_MORE;
        int received = 0;
        for (int i = 0; i <= cuts.length && r == HttpRequestParser.NEED_MORE; i++) {
            int upTo = i < cuts.length ? cuts[i] : all.length;
            MemorySegment.copy(all, received, seg, ValueLayout.JAVA_BYTE, received, upTo - received);
            seg.asSlice(upTo).fill((byte) (i % 2 == 0 ? '\r' : '\n'));
            r = p.parse(seg, received, upTo);
            received = upTo;
        }
        return Snapshot.of(p, seg, r);
    }
}
