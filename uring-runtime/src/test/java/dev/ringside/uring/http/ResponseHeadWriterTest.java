package dev.ringside.uring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Response heads come out byte for byte as HTTP/1.1 spells them, or not at all. */
class ResponseHeadWriterTest {

    /** 2024-02-29T13:05:09.750Z */
    private static final long MILLIS = 1_709_211_909_750L;

    private final ResponseHeadWriter w = new ResponseHeadWriter();
    private final MemorySegment seg = Arena.ofAuto().allocate(512);

    private String written(long from, long to) {
        return new String(seg.asSlice(from, to - from).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.ISO_8859_1);
    }

    @Test
    void staticFileHead() {
        long p = w.statusLine(seg, 7, seg.byteSize(), 200);
        p = w.date(seg, p, seg.byteSize(), MILLIS);
        p = w.header(seg, p, seg.byteSize(), ResponseHeader.CONTENT_TYPE, "text/css".getBytes(StandardCharsets.US_ASCII));
        p = w.header(seg, p, seg.byteSize(), ResponseHeader.CONTENT_LENGTH, 1_234_567_890_123L);
        p = w.header(seg, p, seg.byteSize(), ResponseHeader.ETAG, "\"5f3a-1a2b\"".getBytes(StandardCharsets.US_ASCII));
        p = w.header(seg, p, seg.byteSize(), "X-Custom".getBytes(StandardCharsets.US_ASCII), new byte[] {'v'});
        p = w.end(seg, p, seg.byteSize());
        String expected = "HTTP/1.1 200 OK\r\n"
                + "Date: Thu, 29 Feb 2024 13:05:09 GMT\r\n"
                + "Content-Type: text/css\r\n"
                + "Content-Length: 1234567890123\r\n"
                + "ETag: \"5f3a-1a2b\"\r\n"
                + "X-Custom: v\r\n"
                + "\r\n";
        assertEquals(expected, written(7, p));
        assertEquals(7 + expected.length(), p);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 204, 206, 301, 302, 304, 400, 403, 404, 405, 408, 412, 413, 414, 416, 431, 500, 501,
            503, 505})
    void commonStatusesHaveTheirReasonPhrase(int status) {
        long p = w.statusLine(seg, 0, seg.byteSize(), status);
        assertEquals("HTTP/1.1 " + status + " " + StatusLines.reason(status) + "\r\n", written(0, p));
        assertEquals(false, StatusLines.reason(status).isEmpty());
    }

    @Test
    void anUncommonStatusHasAnEmptyReason() {
        assertEquals("HTTP/1.1 299 \r\n", written(0, w.statusLine(seg, 0, seg.byteSize(), 299)));
    }

    @Test
    void decimalsOfEveryWidth() {
        for (long v : new long[] {0, 7, 10, 99, 100, 65_536, Long.MAX_VALUE}) {
            long p = w.header(seg, 0, seg.byteSize(), ResponseHeader.CONTENT_LENGTH, v);
            assertEquals("Content-Length: " + v + "\r\n", written(0, p));
        }
    }

    @Test
    void valueCopiedFromAnotherSegment() {
        MemorySegment src = Heads.segment("xx/index.htmlyy");
        long p = w.header(seg, 0, seg.byteSize(), ResponseHeader.LOCATION, src, 2, 13);
        assertEquals("Location: /index.html\r\n", written(0, p));
    }

    @Test
    void whatDoesNotFitIsMinusOneAndStaysMinusOne() {
        String head = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        for (int limit = 0; limit < head.length(); limit++) {
            long p = w.statusLine(seg, 0, limit, 404);
            p = w.header(seg, p, limit, ResponseHeader.CONTENT_LENGTH, 0);
            p = w.end(seg, p, limit);
            assertEquals(-1, p, "limit " + limit);
        }
        long p = w.statusLine(seg, 0, head.length(), 404);
        p = w.header(seg, p, head.length(), ResponseHeader.CONTENT_LENGTH, 0);
        assertEquals(head.length(), w.end(seg, p, head.length()));
    }

    @Test
    void errorResponseWithoutBody() {
        long p = w.errorResponse(seg, 0, seg.byteSize(), 431, false);
        String s = written(0, p).replaceFirst("Date: [A-Za-z0-9:, ]{25} GMT\r\n", "Date: *\r\n");
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large\r\nDate: *\r\nConnection: close\r\n"
                + "Content-Length: 0\r\n\r\n", s);
    }

    @Test
    void errorResponseWithShortBody() {
        long p = w.errorResponse(seg, 0, seg.byteSize(), 505, true);
        String s = written(0, p);
        assertEquals(true, s.endsWith("\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 31\r\n\r\n505 HTTP Version Not Supported\n"), s);
        assertEquals(-1, w.errorResponse(seg, 0, s.length() - 1, 505, true));
    }
}
