package dev.ringside.uring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Valid chunked bodies decode to their data, the same whole, split at any byte, or one byte at a time. */
class ChunkedBodyTest {

    static Stream<Arguments> validBodies() {
        return Stream.of(
                Arguments.of("5\r\nhello\r\n0\r\n\r\n", "hello"),
                Arguments.of("1\r\na\r\n2\r\nbc\r\n3\r\ndef\r\n0\r\n\r\n", "abcdef"),
                Arguments.of("0\r\n\r\n", ""),
                Arguments.of("A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n", "0123456789abcdefghij"),
                Arguments.of("0005\r\nhello\r\n000\r\n\r\n", "hello"),
                Arguments.of("000000000000000a\r\n0123456789\r\n0\r\n\r\n", "0123456789"),
                Arguments.of("4\r\n\r\n\r\n\r\n0\r\n\r\n", "\r\n\r\n"),
                Arguments.of("3\r\n\0\u00ff\n\r\n0\r\n\r\n", "\0\u00ff\n"),
                Arguments.of("5;name\r\nhello\r\n5;a=b;c=\"q d\\\"\"\r\nworld\r\n0;last=yes\r\n\r\n", "helloworld"),
                Arguments.of("5 ;a = b\t;\tc ; d=\"\"\r\nhello\r\n0 ; x\r\n\r\n", "hello"),
                Arguments.of("1;a=\"\u00e9\\\u00e9\\\t\"\r\nx\r\n0\r\n\r\n", "x"),
                Arguments.of("3\r\nabc\r\n0\r\nX-Checksum: 123\r\nX-Empty:\r\nX-Tab:\tv\t\r\nx:\u00ff\r\n\r\n", "abc"));
    }

    @ParameterizedTest
    @MethodSource("validBodies")
    void decodesTheDataAndEndsJustAfterTheBody(String body, String data) {
        ChunkedBodies.Outcome whole = ChunkedBodies.whole(body);
        assertEquals(new ChunkedBodies.Outcome(ChunkedDecoder.DONE, 0, data, body.length(), data.length()), whole);
        // The next pipelined request is left alone.
        assertEquals(whole, ChunkedBodies.whole(body + "GET / HTTP/1.1\r\n\r\n"));
    }

    @ParameterizedTest
    @MethodSource("validBodies")
    void decodesTheSameOneByteAtATime(String body, String data) {
        assertEquals(ChunkedBodies.whole(body), ChunkedBodies.byteByByte(HttpLimits.DEFAULT, body));
    }

    @ParameterizedTest
    @MethodSource("validBodies")
    void decodesTheSameSplitAtEveryByte(String body, String data) {
        ChunkedBodies.Outcome whole = ChunkedBodies.whole(body);
        byte[] all = Heads.bytes(body);
        for (int k = 1; k < all.length; k++) {
            assertEquals(whole, ChunkedBodies.decode(HttpLimits.DEFAULT, all, new int[] {k}), "split at " + k);
        }
    }

    @Test
    void aTruncatedBodyNeedsMoreAndHasHandedOutTheDataSoFar() {
        assertEquals(new ChunkedBodies.Outcome(ChunkedDecoder.NEED_MORE, 0, "hel", -1, 3),
                ChunkedBodies.whole("5\r\nhel"));
        assertEquals(new ChunkedBodies.Outcome(ChunkedDecoder.NEED_MORE, 0, "hello", -1, 5),
                ChunkedBodies.whole("5\r\nhello\r\n0\r\nX: y\r\n"));
    }

    @Test
    void aChunkArrivingInPiecesIsHandedOutAsItArrives() {
        MemorySegment seg = Heads.segment("5\r\nhello\r\n0\r\n\r\nNEXT");
        ChunkedDecoder d = new ChunkedDecoder(HttpLimits.DEFAULT);
        assertEquals(ChunkedDecoder.DATA, d.decode(seg, 0, 5));
        assertEquals(3, d.dataStart());
        assertEquals(5, d.dataEnd());
        assertEquals(ChunkedDecoder.NEED_MORE, d.decode(seg, d.consumedTo(), 5));
        assertEquals(ChunkedDecoder.DATA, d.decode(seg, 5, seg.byteSize()));
        assertEquals(5, d.dataStart());
        assertEquals(8, d.dataEnd());
        assertEquals(5, d.bodyBytes());
        assertEquals(ChunkedDecoder.DONE, d.decode(seg, d.consumedTo(), seg.byteSize()));
        assertEquals(15, d.consumedTo());
        assertEquals(ChunkedDecoder.DONE, d.decode(seg, d.consumedTo(), seg.byteSize()), "DONE until reset");
        d.reset();
        assertEquals(0, d.bodyBytes());
        assertEquals(ChunkedDecoder.DATA, d.decode(seg, 0, seg.byteSize()));
    }

    @Test
    void unconsumedBytesMayBeMovedBetweenCalls() {
        String body = "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n";
        MemorySegment receive = Heads.segment(body);
        ChunkedDecoder d = new ChunkedDecoder(HttpLimits.DEFAULT);
        assertEquals(ChunkedDecoder.DATA, d.decode(receive, 0, 12));
        assertEquals("abc", ChunkedBodies.string(receive, d.dataStart(), d.dataEnd()));
        long consumed = d.consumedTo();

        // The connection keeps what is left in its own buffer, at another offset, and reads on.
        MemorySegment own = Heads.segment(Heads.bytes(body.substring((int) consumed)), 100, 0);
        d.relocate(100 - consumed);
        assertEquals(100, d.consumedTo());
        assertEquals(ChunkedDecoder.DATA, d.decode(own, d.consumedTo(), own.byteSize()));
        assertEquals("defg", ChunkedBodies.string(own, d.dataStart(), d.dataEnd()));
        assertEquals(ChunkedDecoder.DONE, d.decode(own, d.consumedTo(), own.byteSize()));
        assertEquals(own.byteSize(), d.consumedTo());
        assertEquals(7, d.bodyBytes());
    }
}
