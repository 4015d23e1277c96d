package dev.ringside.uring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Every malformed chunked body is refused with its precise status, whole, split at every byte and
 * one byte at a time. Escapes as in {@link RejectedRequestTest}.
 */
class RejectedChunkedBodyTest {

    static void assertRefused(HttpLimits limits, int status, String body) {
        ChunkedBodies.Outcome whole = ChunkedBodies.whole(limits, body);
        assertEquals(ChunkedDecoder.ERROR, whole.result(), body);
        assertEquals(status, whole.status(), body);
        assertEquals(whole, ChunkedBodies.byteByByte(limits, body), "byte by byte: " + body);
        byte[] all = Heads.bytes(body);
        for (int k = 1; k < all.length; k++) {
            assertEquals(whole, ChunkedBodies.decode(limits, all, new int[] {k}), "split at " + k + ": " + body);
        }
    }

    static void assertDecoded(HttpLimits limits, String body) {
        ChunkedBodies.Outcome whole = ChunkedBodies.whole(limits, body);
        assertEquals(ChunkedDecoder.DONE, whole.result(), body);
        assertEquals(whole, ChunkedBodies.byteByByte(limits, body), "byte by byte: " + body);
    }

    /** The table both this test and the adapters' tests read. */
    public static final String TABLE = "/dev/ringside/uring/http/rejected-chunked-bodies.csv";

    @ParameterizedTest(name = "{0}: {1}")
    @CsvFileSource(resources = TABLE, delimiter = '|', quoteCharacter = '`')
    void refusesWithItsStatus(int status, String escaped) {
        assertRefused(HttpLimits.DEFAULT, status, RejectedRequestTest.unescape(escaped));
    }

    @Test
    void nothingIsDecodedAfterAnErrorUntilReset() {
        ChunkedDecoder d = new ChunkedDecoder(HttpLimits.DEFAULT);
        MemorySegment bad = Heads.segment("5\r\nhelloX");
        assertEquals(ChunkedDecoder.DATA, d.decode(bad, 0, bad.byteSize()));
        assertEquals(ChunkedDecoder.ERROR, d.decode(bad, d.consumedTo(), bad.byteSize()));
        MemorySegment good = Heads.segment("0\r\n\r\n");
        assertEquals(ChunkedDecoder.ERROR, d.decode(good, 0, good.byteSize()));
        assertEquals(400, d.errorStatus());
        d.reset();
        assertEquals(ChunkedDecoder.DONE, d.decode(good, 0, good.byteSize()));
        assertEquals(0, d.errorStatus());
    }

    // ---- limits: exactly the limit passes, one more fails ----

    private static HttpLimits body(int extensionBytes, int trailerBytes, long bodyBytes) {
        return HttpLimits.DEFAULT.withBodyLimits(extensionBytes, trailerBytes, bodyBytes);
    }

    @Test
    void extensionBytesAtTheLimitPassAndOneMoreIs400() {
        HttpLimits eight = body(8, 16384, -1);
        // Everything between the size and the CR counts, whitespace included.
        assertDecoded(eight, "1;abcdefg\r\nx\r\n0\r\n\r\n");
        assertDecoded(eight, "1 ; a = b\r\nx\r\n0 ;a=\"b\"\r\n\r\n");
        assertRefused(eight, 400, "1;abcdefgh\r\nx\r\n0\r\n\r\n");
        assertRefused(eight, 400, "1 ; a = bc\r\nx\r\n0\r\n\r\n");
        assertRefused(eight, 400, "1\r\nx\r\n0;abcdefgh\r\n\r\n");
        // The limit is per chunk line, not per body.
        assertDecoded(eight, "1;abcdefg\r\nx\r\n1;abcdefg\r\ny\r\n0;abcdefg\r\n\r\n");
        assertDecoded(body(0, 2, -1), "1\r\nx\r\n0\r\n\r\n");
        assertRefused(body(0, 2, -1), 400, "1;a\r\nx\r\n0\r\n\r\n");
    }

    @Test
    void defaultExtensionLimitIs4KiB() {
        assertDecoded(HttpLimits.DEFAULT, "1;a=" + "b".repeat(4096 - 3) + "\r\nx\r\n0\r\n\r\n");
        assertRefused(HttpLimits.DEFAULT, 400, "1;a=" + "b".repeat(4096 - 2) + "\r\nx\r\n0\r\n\r\n");
    }

    /** A trailer section (field lines and the final CRLF) of exactly {@code length} bytes. */
    private static String trailers(int length) {
        String fixed = "X: \r\n\r\n";
        return "X: " + "v".repeat(length - fixed.length()) + "\r\n\r\n";
    }

    @Test
    void trailerBytesAtTheLimitPassAndOneMoreIs431() {
        HttpLimits twenty = body(4096, 20, -1);
        assertEquals(20, trailers(20).length());
        assertDecoded(twenty, "1\r\nx\r\n0\r\n" + trailers(20));
        assertRefused(twenty, 431, "1\r\nx\r\n0\r\n" + trailers(21));
        assertRefused(twenty, 431, "0\r\nX: " + "v".repeat(500));
        // No trailer at all is the final CRLF: 2 bytes.
        assertDecoded(body(4096, 2, -1), "0\r\n\r\n");
        assertRefused(body(4096, 2, -1), 431, "0\r\nX: y\r\n\r\n");
    }

    @Test
    void defaultTrailerLimitIs16KiB() {
        assertDecoded(HttpLimits.DEFAULT, "0\r\n" + trailers(16384));
        assertRefused(HttpLimits.DEFAULT, 431, "0\r\n" + trailers(16385));
    }

    @Test
    void bodyBytesAtTheLimitPassAndOneMoreIs413BeforeItsDataArrives() {
        HttpLimits ten = body(4096, 16384, 10);
        assertDecoded(ten, "a\r\n0123456789\r\n0\r\n\r\n");
        assertDecoded(ten, "5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n");
        assertRefused(ten, 413, "b\r\n");
        assertRefused(ten, 413, "5\r\n01234\r\n6\r\n");
        assertEquals(new ChunkedBodies.Outcome(ChunkedDecoder.ERROR, 413, "01234", -1, 5),
                ChunkedBodies.whole(ten, "5\r\n01234\r\n6\r\n567890\r\n0\r\n\r\n"));
        assertDecoded(body(4096, 16384, 0), "0\r\n\r\n");
        assertRefused(body(4096, 16384, 0), 413, "1\r\n");
    }

    @Test
    void defaultBodyLimitIs10MiB() {
        assertEquals(ChunkedDecoder.NEED_MORE, ChunkedBodies.whole("A00000\r\n").result());
        assertRefused(HttpLimits.DEFAULT, 413, "A00001\r\n");
        ChunkedBodies.Outcome full = ChunkedBodies.whole("A00000\r\n" + "x".repeat(0xA00000) + "\r\n1\r\n");
        assertEquals(ChunkedDecoder.ERROR, full.result());
        assertEquals(413, full.status());
        assertEquals(0xA00000, full.bodyBytes());
    }

    @Test
    void withoutABodyLimitAChunkStillFitsAnIntAsInTomcatAndJetty() {
        HttpLimits unlimited = body(4096, 16384, HttpLimits.UNLIMITED);
        assertEquals(new ChunkedBodies.Outcome(ChunkedDecoder.NEED_MORE, 0, "abc", -1, 3),
                ChunkedBodies.whole(unlimited, "7FFFFFFF\r\nabc"));
        assertRefused(unlimited, 413, "80000000\r\nabc");
        assertRefused(unlimited, 413, "100000000\r\n");
        assertRefused(unlimited, 413, "7FFFFFFFFFFFFFFF\r\nabc");
        assertRefused(unlimited, 413, "1\r\nx\r\n7FFFFFFFFFFFFFFF\r\n");
    }
}
