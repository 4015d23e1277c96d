package dev.ringside.uring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import dev.ringside.uring.testing.HttpDateForms;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every date Ringside writes is an IMF-fixdate (RFC 9110 §5.6.7), whatever the day of the month;
 * a request's date is read in any of the three forms a recipient must accept. Nothing here reads
 * the clock, the time zone or the locale: "now" is passed in.
 */
class HttpDateTest {

    private static final DateTimeFormatter IMF_FIXDATE = HttpDateForms.IMF_FIXDATE;
    private static final DateTimeFormatter RFC_850 = HttpDateForms.RFC_850;
    private static final DateTimeFormatter ASCTIME = HttpDateForms.ASCTIME;

    /** 2026-12-02T13:00:00Z: the day this suite was red because of an unpadded day. */
    private static final long NOW = Instant.parse("2026-12-02T13:00:00Z").getEpochSecond();

    private static String format(long epochSecond) {
        byte[] b = new byte[HttpDate.LENGTH + 2];
        HttpDate.format(epochSecond, b, 1);
        return new String(b, 1, HttpDate.LENGTH, StandardCharsets.US_ASCII);
    }

    /** Parsed inside a larger segment, so a read past either end would show. */
    private static long parse(String s, long now) {
        MemorySegment seg = Heads.segment("x" + s + "y");
        return HttpDate.parse(seg, 1, 1 + s.length(), now);
    }

    private static long parse(String s) {
        return parse(s, NOW);
    }

    @Test
    void theRfcExampleInAllThreeForms() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", format(784_111_777L));
        assertEquals(784_111_777L, parse("Sun, 06 Nov 1994 08:49:37 GMT"));
        assertEquals(784_111_777L, parse("Sunday, 06-Nov-94 08:49:37 GMT"));
        assertEquals(784_111_777L, parse("Sun Nov  6 08:49:37 1994"));
    }

    @ParameterizedTest(name = "every day of {0}")
    @ValueSource(ints = {2024, 2025, 2000, 2100, 1970, 1969})
    void everyDayOfLeapAndCommonYearsIsPaddedAndReadBackInEveryForm(int year) {
        for (LocalDate d = LocalDate.of(year, 1, 1); d.getYear() == year; d = d.plusDays(1)) {
            // 08:09:07 also puts single digits in every time field.
            Instant at = d.atTime(8, 9, 7).toInstant(ZoneOffset.UTC);
            long t = at.getEpochSecond();
            String written = format(t);
            assertEquals(IMF_FIXDATE.format(at), written, d.toString());
            assertEquals(t, parse(written), written);
            assertEquals(t, parse(ASCTIME.format(at)), ASCTIME.format(at));
            // A two-digit year is read near "now": the check uses a "now" in the date's own year.
            long near = d.atStartOfDay().toInstant(ZoneOffset.UTC).getEpochSecond();
            assertEquals(t, parse(RFC_850.format(at), near), RFC_850.format(at));
        }
    }

    @Test
    void roundTripsAgainstJavaTimeOverFiveCenturies() {
        SplittableRandom random = new SplittableRandom(9112);
        long min = Instant.parse("1800-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("2300-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            long t = random.nextLong(min, max);
            String expected = IMF_FIXDATE.format(Instant.ofEpochSecond(t));
            assertEquals(expected, format(t), "epoch second " + t);
            assertEquals(t, parse(expected), expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2000-02-29T12:00:00Z",
        "2100-03-01T00:00:00Z", "2024-12-31T23:59:59Z", "2038-01-19T03:14:08Z", "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "0000-02-29T00:00:00Z"})
    void edgesOfTheRepresentableRange(String iso) {
        long t = Instant.parse(iso).getEpochSecond();
        assertEquals(IMF_FIXDATE.format(Instant.ofEpochSecond(t)), format(t), iso);
        assertEquals(t, parse(format(t)), iso);
    }

    @Test
    void aSecondOutsideFourDigitYearsIsWrittenAsTheNearestOneInside() {
        assertEquals("Fri, 31 Dec 9999 23:59:59 GMT", format(HttpDate.MAX_EPOCH_SECOND + 1));
        assertEquals("Fri, 31 Dec 9999 23:59:59 GMT", format(Long.MAX_VALUE));
        assertEquals("Sat, 01 Jan 0000 00:00:00 GMT", format(HttpDate.MIN_EPOCH_SECOND - 1));
        assertEquals("Sat, 01 Jan 0000 00:00:00 GMT", format(Long.MIN_VALUE));
        assertEquals("Wed, 31 Dec 1969 23:59:59 GMT", format(-1));
    }

    @Test
    void aOneDigitDayAsJavaTimesRfc1123WritesIsReadToo() {
        // Caches still hold such values from before this fix; Tomcat reads them as well.
        assertEquals(784_111_777L, parse("Sun, 6 Nov 1994 08:49:37 GMT"));
        String javaTime = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochSecond(NOW));
        assertEquals("Wed, 2 Dec 2026 13:00:00 GMT", javaTime);
        assertEquals(NOW, parse(javaTime));
    }

    @Test
    void theDayNameNeedNotAgreeWithTheDate() {
        // The grammar does not ask it, and Tomcat's and Jetty's parsers ignore it.
        assertEquals(784_111_777L, parse("Mon, 06 Nov 1994 08:49:37 GMT"));
        assertEquals(784_111_777L, parse("Friday, 06-Nov-94 08:49:37 GMT"));
        assertEquals(784_111_777L, parse("Wed Nov 06 08:49:37 1994"));
    }

    @ParameterizedTest(name = "{0} read on {1} is {2}")
    @CsvSource({
        // More than 50 years ahead of now is the century before (RFC 9110 §5.6.7).
        "'Wednesday, 02-Dec-76 13:00:00 GMT', 2026-12-02T13:00:00Z, 2076-12-02T13:00:00Z",
        "'Wednesday, 02-Dec-76 13:00:01 GMT', 2026-12-02T13:00:00Z, 1976-12-02T13:00:01Z",
        "'Friday, 31-Dec-76 23:59:59 GMT',   2026-12-02T13:00:00Z, 1976-12-31T23:59:59Z",
        "'Tuesday, 29-Feb-00 12:00:00 GMT',  2060-01-01T00:00:00Z, 2000-02-29T12:00:00Z",
        "'Sunday, 01-Jan-77 00:00:00 GMT',   2026-12-02T13:00:00Z, 1977-01-01T00:00:00Z",
        "'Thursday, 01-Jan-70 00:00:00 GMT', 2026-12-02T13:00:00Z, 2070-01-01T00:00:00Z",
        "'Friday, 31-Dec-99 23:59:59 GMT',   2026-12-02T13:00:00Z, 1999-12-31T23:59:59Z",
        "'Saturday, 01-Jan-00 00:00:00 GMT', 2026-12-02T13:00:00Z, 2000-01-01T00:00:00Z",
        "'Friday, 01-Jan-38 00:00:00 GMT',   2038-01-20T00:00:00Z, 2038-01-01T00:00:00Z",
        "'Tuesday, 19-Jan-38 03:14:08 GMT',  1999-06-01T00:00:00Z, 2038-01-19T03:14:08Z",
        "'Friday, 01-Jan-60 00:00:00 GMT',   1999-06-01T00:00:00Z, 1960-01-01T00:00:00Z",
    })
    void aTwoDigitYearIsTheLatestThatIsNotMoreThanFiftyYearsAhead(String value, String now, String expected) {
        assertEquals(Instant.parse(expected).getEpochSecond(), parse(value, Instant.parse(now).getEpochSecond()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Sun, 06 Nov 1994 08:49:37 GM", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 GMT ",
        "sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT ",
        "Sun, 31 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:49:37 GMT", "Sun, 06 Nov 1994 08:60:37 GMT",
        "Sun, 06 Nov 1994 08:49:3x GMT", "Sun, 006 Nov 1994 08:49:37 GMT", "Sun, 0 Nov 1994 08:49:37 GMT",
        "Thu, 29 Feb 2023 00:00:00 GMT", "Sun,_06 Nov 1994 08:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT", "Sun, 06 Nov 1994 8:49:37 GMT", "Sun, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GM", "Sunday, 06-Nov-1994 08:49:37 GMT", "Sunday, 6-Nov-94 08:49:37 GMT",
        "Sunday 06-Nov-94 08:49:37 GMT", "Sun, 06-Nov-94 08:49:37 GMT", "sunday, 06-Nov-94 08:49:37 GMT",
        "Sunday, 06 Nov 94 08:49:37 GMT", "Sunday, 31-Apr-94 08:49:37 GMT", "Funday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 94", "Sun Nov  6 08:49:37 1994 ", "Sun Nov 6  08:49:37 1994",
        "Sun Nov  0 08:49:37 1994", "Sun Nov 31 08:49:37 1994", "Sun Nov  6 08:49:37 GMT", "Sun Xyz  6 08:49:37 1994",
        "Sun, 06 Nov 1994", "Sunday", "", "                             "
    })
    void refusesWhatIsNoHttpDate(String s) {
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

    @Test
    void theWorkersTextIsOneStringASecond() {
        String a = HttpDate.nowText(1_796_216_400_000L);
        assertEquals("Wed, 02 Dec 2026 13:00:00 GMT", a);
        assertSame(a, HttpDate.nowText(1_796_216_400_999L));
        String b = HttpDate.nowText(1_796_216_401_000L);
        assertNotSame(a, b);
        assertEquals("Wed, 02 Dec 2026 13:00:01 GMT", b);
    }
}
