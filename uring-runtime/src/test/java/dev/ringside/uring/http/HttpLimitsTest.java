package dev.ringside.uring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HttpLimitsTest {

    @Test
    void defaultsAre8KiBLine16KiBFieldsAnd100Fields() {
        assertEquals(new HttpLimits(8192, 16384, 100), HttpLimits.DEFAULT);
        assertEquals(HttpLimits.DEFAULT, new HttpRequestParser().limits());
    }

    @Test
    void limitsThatCouldNotPassTheShortestHeadAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HttpLimits(13, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> new HttpLimits(14, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new HttpLimits(14, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new HttpLimits(Integer.MAX_VALUE, 2, 1));
    }

    @Test
    void theSmallestLimitsAcceptTheSmallestHead() {
        RejectedRequestTest.assertAccepted(new HttpLimits(14, 11, 1), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        RejectedRequestTest.assertRejected(new HttpLimits(14, 10, 1), 431, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    }
}
