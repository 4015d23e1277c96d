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
    void bodyDefaultsAre4KiBOfExtensions16KiBOfTrailersAnd10MiBOfData() {
        assertEquals(new HttpLimits(8192, 16384, 100, 4096, 16384, 10 * 1024 * 1024), HttpLimits.DEFAULT);
        assertEquals(new HttpLimits(100, 200, 3, 4096, 16384, 10 * 1024 * 1024), new HttpLimits(100, 200, 3));
        assertEquals(new HttpLimits(100, 200, 3, 1, 2, -1), new HttpLimits(100, 200, 3).withBodyLimits(1, 2, -1));
    }

    @Test
    void bodyLimitsThatCouldNotPassTheSmallestBodyAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HttpLimits(14, 2, 1, -1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new HttpLimits(14, 2, 1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new HttpLimits(14, 2, 1, 0, 2, -2));
        new HttpLimits(14, 2, 1, 0, 2, -1);
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
