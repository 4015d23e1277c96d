package dev.ringside.uring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every malformed head is refused with its precise status, whether it arrives whole or one byte
 * at a time. In the cases, {@code \r} and {@code \n} stand for CR and LF, {@code \t} for HTAB,
 * {@code \0} for NUL and {@code \x7f} for DEL.
 */
class RejectedRequestTest {

    static String unescape(String s) {
        return dev.ringside.uring.testing.Escapes.unescape(s);
    }

    static void assertRejected(int status, String head) {
        assertRejected(HttpLimits.DEFAULT, status, head);
    }

    static void assertRejected(HttpLimits limits, int status, String head) {
        Heads.Snapshot whole = Heads.whole(limits, head);
        assertEquals(HttpRequestParser.ERROR, whole.result(), head);
        assertEquals(status, whole.errorStatus(), head);
        assertEquals(whole, Heads.byteByByte(limits, head), "byte by byte: " + head);
    }

    static void assertAccepted(HttpLimits limits, String head) {
        Heads.Snapshot whole = Heads.whole(limits, head);
        assertEquals(HttpRequestParser.COMPLETE, whole.result(), head);
        assertEquals(whole, Heads.byteByByte(limits, head), "byte by byte: " + head);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // request line
        "400 | ` / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | G(T / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
        "400 | `GET  / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /  HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET\\t/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1 \\r\\nHost: a\\r\\n\\r\\n`",
        "400 | GET /\\r\\n\\r\\n",
        "400 | `GET / \\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\rHost: a\\r\\n\\r\\n`",
        "400 | `\\nGET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `\\r\\n\\r\\n\\r\\n\\r\\n\\r\\nGET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `\\tGET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `\\rGET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GE\\rT / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `G\\0T / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `G\\x80T / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `G\\x7fT / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `G/T / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\rHost: a\\r\\n\\r\\n`",
        // request target
        "400 | `GET /a b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a<b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a\"b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a#b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a?b{c} HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a\\\\b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a\\0b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a\\x7fb HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a\\x80b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a\\tb HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a\\rb HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /?a\\rb HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a\\r HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a|b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a^b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a[b] HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /a>b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET http://a b/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET http://a<b/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /%4g HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /%4 HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET a/b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET * HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `OPTIONS *a HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET example.com:80 HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET ftp://example.com/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET http:/example.com/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET http:///a HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET http://user@example.com/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `CONNECT / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `CONNECT example.com HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `CONNECT :443 HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `CONNECT example.com: HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        // version
        "505 | `GET / HTTP/2.0\\r\\nHost: a\\r\\n\\r\\n`",
        "505 | `GET / HTTP/1.2\\r\\nHost: a\\r\\n\\r\\n`",
        "505 | `GET / HTTP/0.9\\r\\nHost: a\\r\\n\\r\\n`",
        "505 | `GET / HTTP/3.0\\r\\nHost: a\\r\\n\\r\\n`",
        "505 | `GET / HTTP/1.9\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET /\\r\\n`",
        "400 | `GET / HTTP/1.1\\n\\n`",
        "400 | `GET / HTTP/1.10\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / http/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTQ/1.1\\r\\nHost: a\\r\\n\\r\\n`",
        // field lines
        "400 | `GET / HTTP/1.1\\r\\nHost : a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost\\t: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\n: a\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nX(y): a\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nX\\x80: a\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nX\\0: a\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nX/y: a\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nX\"y: a\\r\\nHost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHo\\rst: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost\\r\\n: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\n\\tX: b\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\nX: b\\r\\n c\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\nX: b\\r\\n\\tc\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\n Host: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\nX: b\\0c\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\nX: b\\x7fc\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\nX: b\\nc\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\nX: b\\rc\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\nX: a-long-value-with-bare-lf\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\nX: b\\r\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\n\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\r`",
        // Host
        "400 | `GET / HTTP/1.1\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\nhost: a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.0\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a b\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: user@a\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a/b\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a:b\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a:80:80\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: ::1\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: [::1\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: []\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: [::1]x\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a]\\r\\n\\r\\n`",
        "400 | `GET / HTTP/1.1\\r\\nHost: a%zz\\r\\n\\r\\n`",
        "400 | `GET http://a/ HTTP/1.1\\r\\n\\r\\n`",
        // Content-Length
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1\\r\\nContent-Length: 1\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.0\\r\\nContent-Length: 1\\r\\nContent-Length: 1\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1.0\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: \\x80\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1\\t2\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1, 1\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: -1\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: +1\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1 2\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 0x10\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length:\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 9223372036854775808\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 99999999999999999999\\r\\n\\r\\n`",
        // Transfer-Encoding
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 3\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked, gzip\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: identity\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked, chunked\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked, gzip, chunked\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 0\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip, chunked\\r\\nContent-Length: 3\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding:\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked;x=1\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: \"chunked\"\\r\\n\\r\\n`",
        "400 | `POST / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n`",
        "501 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n`",
        "501 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: identity, chunked\\r\\n\\r\\n`",
        "501 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n`",
        "501 | `POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: x-custom;q=1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n`",
        // Connection
        "400 | `GET / HTTP/1.1\\r\\nHost: a\\r\\nConnection: close;x\\r\\n\\r\\n`",
    })
    void refusesWithItsStatus(int status, String escaped) {
        assertRejected(status, unescape(escaped));
    }

    @Test
    void nothingIsParsedAfterAnErrorUntilReset() {
        HttpRequestParser p = new HttpRequestParser();
        MemorySegment bad = Heads.segment("GET /a b HTTP/1.1\r\n\r\n");
        assertEquals(HttpRequestParser.ERROR, p.parse(bad, 0, bad.byteSize()));
        MemorySegment good = Heads.segment("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(HttpRequestParser.ERROR, p.parse(good, 0, good.byteSize()));
        assertEquals(400, p.errorStatus());
        p.reset();
        assertEquals(HttpRequestParser.COMPLETE, p.parse(good, 0, good.byteSize()));
        assertEquals(0, p.errorStatus());
    }

    // ---- limits: exactly the limit passes, one more fails ----

    private static final int LINE = 40;
    private static final int FIELDS = 60;
    private static final int COUNT = 3;
    private static final HttpLimits SMALL = new HttpLimits(LINE, FIELDS, COUNT);

    /** A request line of exactly {@code length} bytes, without its CRLF. */
    private static String requestLine(int length) {
        String fixed = "GET / HTTP/1.1";
        return "GET /" + "a".repeat(length - fixed.length()) + " HTTP/1.1";
    }

    /** Field lines (with their CRLFs, plus the final CRLF) of exactly {@code length} bytes. */
    private static String fieldBlock(int length) {
        String fixed = "Host: a\r\nX: \r\n\r\n";
        return "Host: a\r\nX: " + "v".repeat(length - fixed.length()) + "\r\n\r\n";
    }

    @Test
    void requestLineAtTheLimitPassesAndOneByteMoreIs414() {
        assertEquals(LINE, requestLine(LINE).length());
        assertAccepted(SMALL, requestLine(LINE) + "\r\nHost: a\r\n\r\n");
        assertRejected(SMALL, 414, requestLine(LINE + 1) + "\r\nHost: a\r\n\r\n");
    }

    @Test
    void requestLineLimitCountsTheMethodAndVersionToo() {
        String line = "PROPFIND /" + "a".repeat(LINE - 19) + " HTTP/1.1";
        assertEquals(LINE, line.length());
        assertAccepted(SMALL, line + "\r\nHost: a\r\n\r\n");
        assertRejected(SMALL, 414, line.replace("PROPFIND", "PROPFINDX") + "\r\nHost: a\r\n\r\n");
        assertRejected(SMALL, 414, "GET /" + "a".repeat(200));
        assertRejected(SMALL, 414, "X".repeat(LINE + 1));
    }

    @Test
    void leadingEmptyLinesDoNotCountTowardsTheRequestLine() {
        assertAccepted(SMALL, "\r\n\r\n" + requestLine(LINE) + "\r\nHost: a\r\n\r\n");
    }

    @Test
    void defaultRequestLineLimitIs8KiB() {
        assertAccepted(HttpLimits.DEFAULT, requestLine(8192) + "\r\nHost: a\r\n\r\n");
        assertRejected(HttpLimits.DEFAULT, 414, requestLine(8193) + "\r\nHost: a\r\n\r\n");
    }

    @Test
    void fieldBytesAtTheLimitPassAndOneByteMoreIs431() {
        assertEquals(FIELDS, fieldBlock(FIELDS).length());
        assertAccepted(SMALL, "GET / HTTP/1.1\r\n" + fieldBlock(FIELDS));
        assertRejected(SMALL, 431, "GET / HTTP/1.1\r\n" + fieldBlock(FIELDS + 1));
        assertRejected(SMALL, 431, "GET / HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(500));
    }

    @Test
    void defaultFieldBytesLimitIs16KiB() {
        assertAccepted(HttpLimits.DEFAULT, "GET / HTTP/1.1\r\n" + fieldBlock(16384));
        assertRejected(HttpLimits.DEFAULT, 431, "GET / HTTP/1.1\r\n" + fieldBlock(16385));
    }

    @Test
    void fieldCountAtTheLimitPassesAndOneMoreIs431() {
        assertAccepted(SMALL, "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n");
        assertRejected(SMALL, 431, "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n");
    }

    @Test
    void defaultFieldCountIs100() {
        String ninetyNine = "X: y\r\n".repeat(99);
        assertAccepted(HttpLimits.DEFAULT, "GET / HTTP/1.1\r\nHost: a\r\n" + ninetyNine + "\r\n");
        assertRejected(HttpLimits.DEFAULT, 431, "GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n" + ninetyNine + "\r\n");
    }
}
