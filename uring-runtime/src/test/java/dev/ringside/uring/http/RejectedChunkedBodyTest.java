package dev.ringside.uring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // chunk-size = 1*HEXDIG
        "400 | `\\r\\n`",
        "400 | `;a\\r\\n`",
        "400 | ` 5\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `\\t5\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `+5\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `-5\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `0x5\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `g\\r\\n`",
        "400 | `5g\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5 \\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5\\t\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5,\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        // chunk line ends in CRLF only
        "400 | `5\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5\\rhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5\\r\\rhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `0\\n\\r\\n`",
        // chunk extensions
        "400 | `5;\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;;a\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;=b\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a=\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a==b\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a=b c\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a=b \\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a \\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a b\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a=@\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a(b\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a\\0\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a=\\x80\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a=\"b\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a=\"b\"c\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a=\"b\" \\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a=\"\\0\"\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a=\"\\x7f\"\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a=\"\\\\\\0\"\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        "400 | `5;a=\"\\n\"\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        // chunk-data is followed by exactly CRLF
        "400 | `5\\r\\nhelloX\\r\\n0\\r\\n\\r\\n`",
        "400 | `5\\r\\nhello\\n0\\r\\n\\r\\n`",
        "400 | `5\\r\\nhello\\r0\\r\\n\\r\\n`",
        "400 | `5\\r\\nhello\\r\\r\\n0\\r\\n\\r\\n`",
        "400 | `5\\r\\nhello0\\r\\n\\r\\n`",
        "400 | `3\\r\\nhello\\r\\n0\\r\\n\\r\\n`",
        // trailers: field lines as in a head
        "400 | `0\\r\\n\\n`",
        "400 | `0\\r\\n\\r\\r`",
        "400 | `0\\r\\n\\r\\r\\n`",
        "400 | `0\\r\\nX\\r\\n\\r\\n`",
        "400 | `0\\r\\nX : y\\r\\n\\r\\n`",
        "400 | `0\\r\\nX\\t: y\\r\\n\\r\\n`",
        "400 | `0\\r\\n: y\\r\\n\\r\\n`",
        "400 | `0\\r\\nX(y): z\\r\\n\\r\\n`",
        "400 | `0\\r\\n X: y\\r\\n\\r\\n`",
        "400 | `0\\r\\nX: a\\r\\n b\\r\\n\\r\\n`",
        "400 | `0\\r\\nX: a\\r\\n\\tb\\r\\n\\r\\n`",
        "400 | `0\\r\\nX: a\\0b\\r\\n\\r\\n`",
        "400 | `0\\r\\nX: a\\x7fb\\r\\n\\r\\n`",
        "400 | `0\\r\\nX: a\\rb\\r\\n\\r\\n`",
        "400 | `0\\r\\nX: a\\nb\\r\\n\\r\\n`",
        "400 | `0\\r\\nX: a\\r\\r\\n\\r\\n`",
        "400 | `0\\r\\nX: a\\n\\r\\n`",
        // a size that does not fit, or more digits than a long holds
        "413 | `8000000000000000\\r\\n`",
        "413 | `FFFFFFFFFFFFFFFF\\r\\n`",
        "413 | `10000000000000000\\r\\n`",
        "413 | `00000000000000001\\r\\n`",
        "413 | `000000000000000000000000000000000000\\r\\n`",
        // over the default 10 MiB body limit, refused at the size, before the data
        "413 | `A00001\\r\\n`",
        "413 | `1000000\\r\\n`",
    })
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
    void anUnlimitedBodyStillRefusesASumThatOverflows() {
        HttpLimits unlimited = body(4096, 16384, HttpLimits.UNLIMITED);
        ChunkedBodies.Outcome huge = ChunkedBodies.whole(unlimited, "7FFFFFFFFFFFFFFF\r\nabc");
        assertEquals(new ChunkedBodies.Outcome(ChunkedDecoder.NEED_MORE, 0, "abc", -1, 3), huge);
        assertEquals(ChunkedDecoder.ERROR, ChunkedBodies.whole(unlimited, "1\r\nx\r\n7FFFFFFFFFFFFFFF\r\n").result());
        assertEquals(413, ChunkedBodies.whole(unlimited, "1\r\nx\r\n7FFFFFFFFFFFFFFF\r\n").status());
    }
}
