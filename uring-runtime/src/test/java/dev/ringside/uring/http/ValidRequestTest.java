package dev.ringside.uring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the parser reports about valid heads. */
class ValidRequestTest {

    static final String BROWSER_GET = "GET /static/css/site.css?v=3 HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "Connection: keep-alive\r\n"
            + "sec-ch-ua: \"Chromium\";v=\"124\", \"Not-A.Brand\";v=\"99\"\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36\r\n"
            + "Accept: text/css,*/*;q=0.1\r\n"
            + "Sec-Fetch-Site: same-origin\r\n"
            + "Sec-Fetch-Mode: no-cors\r\n"
            + "Sec-Fetch-Dest: style\r\n"
            + "Referer: https://www.example.com/index.html\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-GB,en;q=0.9,fr;q=0.8\r\n"
            + "Cookie: session=8f2a9c1e77b04d2f; theme=dark\r\n"
            + "If-None-Match: \"5f3a-1a2b\"\r\n"
            + "\r\n";

    private final HttpRequestParser parser = new HttpRequestParser();

    private MemorySegment parseWhole(String head) {
        MemorySegment seg = Heads.segment(head);
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(seg, 0, seg.byteSize()), head);
        return seg;
    }

    @Test
    void browserGetExposesRequestLineAndEveryFieldAsOffsets() {
        MemorySegment seg = parseWhole(BROWSER_GET);
        assertEquals(HttpMethod.GET, parser.method());
        assertEquals("GET", parser.methodName(seg));
        assertEquals("/static/css/site.css?v=3", parser.target(seg));
        assertEquals("/static/css/site.css", parser.path(seg));
        assertEquals("v=3", parser.query(seg));
        assertEquals(HttpVersion.HTTP_1_1, parser.version());
        assertEquals(13, parser.headerCount());
        assertEquals("sec-ch-ua", parser.headerName(seg, 2));
        assertEquals("\"Chromium\";v=\"124\", \"Not-A.Brand\";v=\"99\"", parser.headerValue(seg, 2));
        assertEquals("www.example.com", parser.headerValue(seg, KnownHeader.HOST));
        assertEquals(11, parser.headerIndex(KnownHeader.COOKIE));
        assertEquals(KnownHeader.COOKIE, parser.headerKind(11));
        assertEquals(KnownHeader.ACCEPT_ENCODING, parser.headerKind(9));
        assertNull(parser.headerKind(3));
        assertEquals(-1, parser.headerIndex(KnownHeader.CONTENT_LENGTH));
        assertEquals(seg.byteSize(), parser.headEnd());
        assertEquals(-1, parser.contentLength());
        assertTrue(parser.keepAlive());
        assertFalse(parser.chunked());
    }

    @Test
    void knownHeadersAreRecognisedWhateverTheirCase() {
        MemorySegment seg = parseWhole("GET / HTTP/1.1\r\nhOsT: a\r\nCONTENT-length: 0\r\nif-unmodified-since: x\r\n"
                + "Transfer-Encodinh: x\r\nIf-Modified-Since: y\r\nIF-RANGE: z\r\nif-match: w\r\n\r\n");
        assertEquals(0, parser.headerIndex(KnownHeader.HOST));
        assertEquals(1, parser.headerIndex(KnownHeader.CONTENT_LENGTH));
        assertEquals(2, parser.headerIndex(KnownHeader.IF_UNMODIFIED_SINCE));
        assertNull(parser.headerKind(3));
        assertEquals(4, parser.headerIndex(KnownHeader.IF_MODIFIED_SINCE));
        assertEquals(5, parser.headerIndex(KnownHeader.IF_RANGE));
        assertEquals(6, parser.headerIndex(KnownHeader.IF_MATCH));
        assertEquals("w", parser.headerValue(seg, KnownHeader.IF_MATCH));
        assertEquals(0, parser.contentLength());
    }

    @Test
    void valuesAreTrimmedOfOptionalWhitespaceOnBothSides() {
        MemorySegment seg = parseWhole("GET / HTTP/1.1\r\nX-A:  \t a b \t \r\nX:\r\nHost: \r\n\r\n");
        assertEquals("a b", parser.headerValue(seg, 0));
        assertEquals("", parser.headerValue(seg, 1));
        assertEquals("", parser.headerValue(seg, 2));
    }

    @Test
    void obsTextIsAllowedInValues() {
        MemorySegment seg = parseWhole("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\u00e9\u00ff\r\n\r\n");
        assertEquals("caf\u00e9\u00ff", parser.headerValue(seg, 1));
    }

    @ParameterizedTest
    @CsvSource({
        "GET, GET", "HEAD, HEAD", "POST, POST", "PUT, PUT", "DELETE, DELETE", "OPTIONS, OPTIONS",
        "PATCH, PATCH", "TRACE, TRACE", "PROPFIND, OTHER", "get, OTHER", "M-SEARCH, OTHER", "GETX, OTHER"
    })
    void methodsAreCaseSensitiveTokens(String name, HttpMethod expected) {
        MemorySegment seg = parseWhole(name + " /x HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(expected, parser.method());
        assertEquals(name, parser.methodName(seg));
    }

    @Test
    void absoluteFormSeparatesAuthorityPathAndQuery() {
        MemorySegment seg = parseWhole("GET HTTPS://[::1]:8443/a%20b?q=1?2 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("HTTPS://[::1]:8443/a%20b?q=1?2", parser.target(seg));
        assertEquals("/a%20b", parser.path(seg));
        assertEquals("q=1?2", parser.query(seg));
    }

    @Test
    void absoluteFormMayHaveAnEmptyPath() {
        MemorySegment seg = parseWhole("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertEquals("", parser.path(seg));
        assertNull(parser.query(seg));
        assertEquals(-1, parser.queryStart());
    }

    @Test
    void asteriskFormForOptionsAndAuthorityFormForConnect() {
        MemorySegment seg = parseWhole("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("*", parser.target(seg));
        parser.reset();
        seg = parseWhole("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
        assertEquals(HttpMethod.CONNECT, parser.method());
        assertEquals("example.com:443", parser.target(seg));
    }

    @Test
    void emptyQueryIsPresentButEmpty() {
        MemorySegment seg = parseWhole("GET /a? HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("", parser.query(seg));
        assertEquals(parser.queryStart(), parser.queryEnd());
    }

    @Test
    void leadingEmptyLinesAreSkipped() {
        MemorySegment seg = parseWhole("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(0, parser.requestStart());
        assertEquals(4, parser.methodStart());
        assertEquals("/", parser.target(seg));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HTTP/1.1 |                                   | true",
        "HTTP/1.1 | Connection: close                 | false",
        "HTTP/1.1 | Connection: keep-alive, CLOSE     | false",
        "HTTP/1.1 | Connection: Keep-Alive            | true",
        "HTTP/1.0 |                                   | false",
        "HTTP/1.0 | Connection: Keep-Alive            | true",
        "HTTP/1.0 | Connection: te,,keep-alive        | true",
        "HTTP/1.0 | Connection: keep-alive, close     | false",
    })
    void keepAliveFollowsVersionAndConnectionOptions(String version, String connection, boolean keepAlive) {
        String field = connection == null ? "" : connection + "\r\n";
        parseWhole("GET / " + version + "\r\nHost: a\r\n" + field + "\r\n");
        assertEquals(keepAlive, parser.keepAlive());
    }

    @Test
    void contentLengthAndChunkedFrameTheBody() {
        parseWhole("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0012345678901\r\n\r\n");
        assertEquals(12345678901L, parser.contentLength());
        assertFalse(parser.chunked());
        parser.reset();
        parseWhole("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,Chunked\r\n\r\n");
        assertTrue(parser.chunked());
        assertEquals(-1, parser.contentLength());
        parser.reset();
        parseWhole("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775807\r\n\r\n");
        assertEquals(Long.MAX_VALUE, parser.contentLength());
    }

    @Test
    void expectContinueOnlyInHttp11() {
        parseWhole("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n");
        assertTrue(parser.expectContinue());
        parser.reset();
        parseWhole("PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n");
        assertFalse(parser.expectContinue());
    }

    @Test
    void upgradeNeedsTheUpgradeConnectionOption() {
        parseWhole("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        assertTrue(parser.upgrade());
        parser.reset();
        parseWhole("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n");
        assertFalse(parser.upgrade());
    }

    @ParameterizedTest
    @CsvSource({"h2c, true", "H2C, true", "websocket, false", "'h2c, websocket', false", "h2, false", "h2cx, false"})
    void aLoneH2cOfferIsToldApartFromOtherUpgrades(String offer, boolean onlyH2c) {
        MemorySegment seg = parseWhole("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: "
                + offer + "\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
        assertTrue(parser.upgrade());
        assertEquals(onlyH2c, parser.upgradeOnlyH2c(seg));
    }

    @Test
    void noUpgradeFieldIsNoH2cOffer() {
        assertFalse(parser.upgradeOnlyH2c(parseWhole("GET / HTTP/1.1\r\nHost: a\r\n\r\n")));
    }

    @Test
    void pipelinedHeadsFollowEachOther() {
        String first = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n";
        String second = "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n";
        MemorySegment seg = Heads.segment(first + second);
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(seg, 0, seg.byteSize()));
        assertEquals("/1", parser.target(seg));
        long next = parser.headEnd();
        assertEquals(first.length(), next);

        parser.reset();
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(seg, next, seg.byteSize()));
        assertEquals(HttpMethod.POST, parser.method());
        assertEquals("/2", parser.target(seg));
        assertEquals(next, parser.methodStart());
        assertEquals(seg.byteSize(), parser.headEnd());
    }

    @Test
    void bytesAfterTheHeadAreLeftUnread() {
        MemorySegment seg = Heads.segment("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n\u0000\u0001\r\nab");
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(seg, 0, seg.byteSize()));
        assertEquals(seg.byteSize() - 6, parser.headEnd());
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(seg, 0, seg.byteSize()), "stays complete until reset");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.com", "example.com:8080", "example.com:", "127.0.0.1:80", "[::1]", "[::1]:8443",
        "[v1.fe80::a+en1]", "a%41b", "xn--bcher-kva.example", "''"})
    void hostIsAnIpLiteralOrRegNameWithAnOptionalPort(String host) {
        MemorySegment seg = parseWhole("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        assertEquals(host, parser.headerValue(seg, KnownHeader.HOST));
    }

    @Test
    void absoluteFormOverHttp10KeepAliveIsAccepted() {
        MemorySegment seg = parseWhole("GET http://example.com/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertEquals("/a", parser.path(seg));
        assertEquals(HttpVersion.HTTP_1_0, parser.version());
        assertTrue(parser.keepAlive());
    }
}
