package dev.ringside.uring.http;

import static dev.ringside.uring.http.Heads.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A head split anywhere across reads, or moved between them, parses as the same head delivered whole. */
class SplitRequestTest {

    static Stream<String> validHeads() {
        return Stream.of(
                ValidRequestTest.BROWSER_GET,
                "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                "HEAD /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n",
                "POST /form?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 27\r\n\r\n",
                "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n",
                "GET /old HTTP/1.0\r\n\r\n",
                "GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                "GET http://example.com:8080/a/b?c=d HTTP/1.1\r\nHost: example.com:8080\r\n\r\n",
                "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
                "\r\nPATCH /%41%2f?q=%7e HTTP/1.1\r\nhost:a\r\nX-Tab:\tv1\tv2 \t\r\nX-Empty:\r\n\r\n");
    }

    @ParameterizedTest
    @MethodSource("validHeads")
    void parsesTheSameFedOneByteAtATime(String head) {
        Heads.Snapshot whole = Heads.whole(head);
        assertEquals(HttpRequestParser.COMPLETE, whole.result());
        assertEquals(whole, Heads.byteByByte(HttpLimits.DEFAULT, head));
    }

    @ParameterizedTest
    @MethodSource("validHeads")
    void parsesTheSameSplitAtEveryByte(String head) {
        Heads.Snapshot whole = Heads.whole(head);
        byte[] all = bytes(head);
        for (int k = 1; k < all.length; k++) {
            MemorySegment seg = Heads.segment(all, 5, 16);
            seg.asSlice(5 + k).fill((byte) '\n'); // not yet received: must not be looked at
            HttpRequestParser p = new HttpRequestParser();
            assertEquals(HttpRequestParser.NEED_MORE, p.parse(seg, 5, 5 + k), "split at " + k);
            MemorySegment.copy(all, k, seg, ValueLayout.JAVA_BYTE, 5 + k, all.length - k);
            int r = p.parse(seg, 5 + k, 5 + all.length);
            assertEquals(whole, Heads.Snapshot.of(p, seg, r), "split at " + k);
            assertEquals(5 + all.length, p.headEnd());
        }
    }

    @ParameterizedTest
    @MethodSource("validHeads")
    void parsesTheSameWhenThePartialHeadIsMovedBetweenReads(String head) {
        Heads.Snapshot whole = Heads.whole(head);
        byte[] all = bytes(head);
        for (int k = 1; k < all.length; k++) {
            MemorySegment receive = Heads.segment(all, 100, 0);
            HttpRequestParser p = new HttpRequestParser();
            assertEquals(HttpRequestParser.NEED_MORE, p.parse(receive, 100, 100 + k));

            // The connection keeps the partial head in its own buffer, at another offset.
            MemorySegment own = Heads.segment(new byte[0], 0, 3 + all.length + 8);
            MemorySegment.copy(receive, 100, own, 3, k);
            p.relocate(3 - 100);
            MemorySegment.copy(all, k, own, ValueLayout.JAVA_BYTE, 3 + k, all.length - k);
            int r = p.parse(own, 3 + k, 3 + all.length);

            assertEquals(whole, Heads.Snapshot.of(p, own, r), "moved after " + k);
            assertEquals(3, p.requestStart());
        }
    }
}
