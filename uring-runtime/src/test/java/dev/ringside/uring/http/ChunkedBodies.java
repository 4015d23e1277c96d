package dev.ringside.uring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Test helpers: a chunked body fed to a decoder in pieces, and all the decoder said about it as a value. */
final class ChunkedBodies {

    private ChunkedBodies() {}

    /** Where the body starts in its segment: not 0, so that absolute offsets are tested. */
    static final int OFFSET = 7;

    /**
     * Everything a decoder reports about a body: its last answer, the status, the DATA spans
     * concatenated, where the body ended (relative to its first byte; -1 unless DONE) and bodyBytes().
     */
    record Outcome(int result, int status, String data, long end, long bodyBytes) {}

    static Outcome whole(HttpLimits limits, String body) {
        return decode(limits, Heads.bytes(body), new int[0]);
    }

    static Outcome whole(String body) {
        return whole(HttpLimits.DEFAULT, body);
    }

    static Outcome byteByByte(HttpLimits limits, String body) {
        byte[] all = Heads.bytes(body);
        int[] cuts = new int[Math.max(0, all.length - 1)];
        for (int i = 0; i < cuts.length; i++) cuts[i] = i + 1;
        return decode(limits, all, cuts);
    }

    /**
     * Decodes {@code body} received in reads that end at each of {@code cuts} (increasing), then at
     * its end. Bytes not received yet hold garbage, which the decoder must not act on. NEED_MORE
     * must mean that every byte received was consumed.
     */
    static Outcome decode(HttpLimits limits, byte[] body, int[] cuts) {
        MemorySegment seg = Arena.ofAuto().allocate(OFFSET + body.length + 16);
        ChunkedDecoder d = new ChunkedDecoder(limits);
        StringBuilder data = new StringBuilder();
        long from = OFFSET;
        int received = 0;
        int r = ChunkedDecoder.NEED_MORE;
        for (int i = 0; i <= cuts.length && r == ChunkedDecoder.NEED_MORE; i++) {
            int upTo = i < cuts.length ? cuts[i] : body.length;
            MemorySegment.copy(body, received, seg, ValueLayout.JAVA_BYTE, OFFSET + received, upTo - received);
            seg.asSlice(OFFSET + upTo).fill((byte) (i % 2 == 0 ? '\r' : '0'));
            received = upTo;
            long limit = OFFSET + upTo;
            for (;;) {
                r = d.decode(seg, from, limit);
                if (r != ChunkedDecoder.DATA) break;
                assertTrue(d.dataStart() >= from && d.dataStart() < d.dataEnd() && d.dataEnd() <= limit,
                        "a DATA span is non-empty and within what was received");
                assertEquals(d.dataEnd(), d.consumedTo());
                data.append(string(seg, d.dataStart(), d.dataEnd()));
                from = d.consumedTo();
            }
            if (r == ChunkedDecoder.NEED_MORE) {
                assertEquals(limit, d.consumedTo(), "NEED_MORE consumed all");
                from = limit;
            }
        }
        long end = r == ChunkedDecoder.DONE ? d.consumedTo() - OFFSET : -1;
        return new Outcome(r, d.errorStatus(), data.toString(), end, d.bodyBytes());
    }

    static String string(MemorySegment seg, long from, long to) {
        byte[] b = new byte[(int) (to - from)];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, from, b, 0, b.length);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
