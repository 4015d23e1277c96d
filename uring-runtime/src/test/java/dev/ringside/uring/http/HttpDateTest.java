package dev.ringside.uring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IMF-fixdate agrees with java.time's RFC 1123 formatter, both ways. */
class HttpDateTest {

    /** RFC_1123_DATE_TIME writes single-digit days as "6 Nov"; IMF-fixdate wants "06 Nov". */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ROOT).withZone(ZoneOffset.UTC);

    private static String format(long epochSecond) {
        byte[] b = new byte[HttpDate.LENGTH + 2];
        HttpDate.format(epochSecond, b, 1);
        return new String(b, 1, HttpDate.LENGTH, StandardCharsets.US_ASCII);
    }

    private static long parse(String s) {
        MemorySegment seg = Heads.segment("x" + s + "y");
        return HttpDate.parse(seg, 1, 1 + s.length());
    }

    @Test
    void theRfcExample() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", format(784_111_777L));
        assertEquals(784_111_777L, parse("Sun, 06 Nov 1994 08:49:37 GMT"));
    }

    @Test
    void roundTripsAgainstJavaTimeOverFourCenturies() {
        SplittableRandom random = new SplittableRandom(9112);
        long min = Instant.parse("1800-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("2300-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            long t = random.nextLong(min, max);
            String expected = IMF_FIXDATE.format(Instant.ofEpochSecond(t));
            assertEquals(expected, format(t), "epoch second " + t);
            assertEquals(t, parse(expected), expected);
            assertEquals(Instant.ofEpochSecond(t), Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(expected)));
        }
    }

    @Test
    void edgesOfDaysAndLeapYears() {
        for (String iso : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2000-02-29T12:00:00Z",
                "2100-03-01T00:00:00Z", "2024-12-31T23:59:59Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"}) {
            long t = Instant.parse(iso).getEpochSecond();
            assertEquals(IMF_FIXDATE.format(Instant.ofEpochSecond(t)), format(t), iso);
            assertEquals(t, parse(format(t)), iso);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Sun, 06 Nov 1994 08:49:37 GM", "Sun, 06 Nov 1994 08:49:37 UTC", "Mon, 06 Nov 1994 08:49:37 GMT",
        "sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT ",
        "Sun, 31 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:49:37 GMT", "Sun, 06 Nov 1994 08:60:37 GMT",
        "Sun, 06 Nov 1994 08:49:3x GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
        "Thu, 29 Feb 2023 00:00:00 GMT", "Sun,_06 Nov 1994 08:49:37 GMT", ""
    })
    void refusesWhatIsNotAnImfFixdate(String s) {
        assertEquals(-1, parse(s));
    }

    @Test
    void theCacheReformatsOnlyWhenTheSecondChanges() {
        HttpDate cache = new HttpDate();
        byte[] a = cache.bytes(784_111_777_000L);
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", new String(a, StandardCharsets.US_ASCII));
        assertSame(a, cache.bytes(784_111_777_999L));
        assertEquals("Sun, 06 Nov 1994 08:49:38 GMT", new String(cache.bytes(784_111_778_000L), StandardCharsets.US_ASCII));
    }
}
