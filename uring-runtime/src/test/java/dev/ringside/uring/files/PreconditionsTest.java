package dev.ringside.uring.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static dev.ringside.uring.files.Preconditions.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Conditional requests against a file last modified at 1994-11-06 08:49:37.250 GMT, whose tag is
 * W/"11-784111777250": RFC 9110 §13.2.2's order, with Tomcat 11's answers where the RFC leaves room.
 */
class PreconditionsTest {
    static final byte[] ETAG = "W/\"11-784111777250\"".getBytes(StandardCharsets.ISO_8859_1);
    static final long MTIME = 784111777250L;
    static final String AT = "Sun, 06 Nov 1994 08:49:37 GMT";
    static final String BEFORE = "Sun, 06 Nov 1994 08:49:36 GMT";
    static final String AFTER = "Sun, 06 Nov 1994 08:49:38 GMT";
    /** The same second in the two obsolete forms a recipient must read (RFC 9110 §5.6.7). */
    static final String AT_RFC850 = "Sunday, 06-Nov-94 08:49:37 GMT";
    static final String AT_ASCTIME = "Sun Nov  6 08:49:37 1994";
    static final String BEFORE_RFC850 = "Sunday, 06-Nov-94 08:49:36 GMT";
    static final String BEFORE_ASCTIME = "Sun Nov  6 08:49:36 1994";
    /** The wall clock, pinned: it decides only the century of a two-digit year. */
    static final long NOW = 1_796_216_400_000L; // 2026-12-02T13:00:00Z

    static int eval(String... fields) {
        Requests r = Requests.get(fields);
        return evaluate(r.parser(), r.segment(), ETAG, MTIME, NOW);
    }

    static int evalMissing(String... fields) {
        Requests r = Requests.get(fields);
        return evaluate(r.parser(), r.segment(), null, 0, NOW);
    }

    @Test
    void noConditionsProceed() {
        assertEquals(PROCEED, eval());
    }

    @ParameterizedTest(name = "If-Match: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "*                          | 0",
            "\"11-784111777250\"          | 412",  // strong comparison: our weak tag never matches
            "W/\"11-784111777250\"        | 412",  // a weak tag never matches strongly
            "\"other\", \"x\"              | 412",
            "\"unterminated             | 400",
            "11-784111777250            | 400",  // not quoted
            "\"a\",                       | 400",  // an empty element
            "*, \"a\"                     | 400",
    })
    void ifMatch(String value, int expected) {
        assertEquals(expected, eval("If-Match: " + value));
    }

    @Test
    void ifMatchStarWithAnotherLineIsInvalid() {
        assertEquals(BAD_REQUEST, eval("If-Match: *", "If-Match: \"a\""));
    }

    @ParameterizedTest(name = "If-None-Match: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "W/\"11-784111777250\"              | 304",
            "\"11-784111777250\"                | 304",  // weak comparison ignores W/
            "\"a\", W/\"11-784111777250\"        | 304",  // any tag of the list
            "\"a\" ,\t\"11-784111777250\"        | 304",
            "*                                | 304",
            "\"11-784111777251\"                | 0",
            "w/\"11-784111777250\"              | 400",  // W/ is case-sensitive
            "\"a\" \"b\"                         | 400",
            "\"a\",,\"b\"                        | 400",
    })
    void ifNoneMatch(String value, int expected) {
        assertEquals(expected, eval("If-None-Match: " + value));
    }

    @Test
    void ifNoneMatchReadsEveryLine() {
        assertEquals(NOT_MODIFIED, eval("If-None-Match: \"a\"", "If-None-Match: W/\"11-784111777250\""));
        assertEquals(BAD_REQUEST, eval("If-None-Match: *", "If-None-Match: \"a\""));
    }

    @ParameterizedTest(name = "If-Modified-Since: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            AT + "   | 304",  // the same second: not modified (dates have no milliseconds)
            AFTER + "| 304",
            BEFORE + "| 0",
            "garbage | 0",   // an unreadable date is ignored
            AT_RFC850 + "  | 304",  // the obsolete forms are read
            AT_ASCTIME + " | 304",
            BEFORE_RFC850 + "  | 0",
            BEFORE_ASCTIME + " | 0",
    })
    void ifModifiedSince(String value, int expected) {
        assertEquals(expected, eval("If-Modified-Since: " + value));
    }

    @Test
    void ifModifiedSinceTwiceIsIgnored() {
        assertEquals(PROCEED, eval("If-Modified-Since: " + AT, "If-Modified-Since: " + AT));
    }

    @ParameterizedTest(name = "If-Unmodified-Since: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            AT + "   | 0",
            AFTER + "| 0",
            BEFORE + "| 412",
            "garbage | 0",
            AT_RFC850 + "      | 0",
            AT_ASCTIME + "     | 0",
            BEFORE_RFC850 + "  | 412",
            BEFORE_ASCTIME + " | 412",
    })
    void ifUnmodifiedSince(String value, int expected) {
        assertEquals(expected, eval("If-Unmodified-Since: " + value));
    }

    @Test
    void precedence() {
        // If-Match decides, and If-Unmodified-Since is then not looked at.
        assertEquals(PROCEED, eval("If-Match: *", "If-Unmodified-Since: " + BEFORE));
        assertEquals(PRECONDITION_FAILED, eval("If-Match: \"x\"", "If-None-Match: *"));
        // If-None-Match decides, and If-Modified-Since is then not looked at.
        assertEquals(PROCEED, eval("If-None-Match: \"x\"", "If-Modified-Since: " + AFTER));
        assertEquals(NOT_MODIFIED, eval("If-None-Match: *", "If-Modified-Since: " + BEFORE));
        // A failed If-Unmodified-Since wins over a matching If-None-Match.
        assertEquals(PRECONDITION_FAILED, eval("If-Unmodified-Since: " + BEFORE, "If-None-Match: *"));
    }

    @Test
    void withoutARepresentation() {
        assertEquals(PRECONDITION_FAILED, evalMissing("If-Match: *"));
        assertEquals(PRECONDITION_FAILED, evalMissing("If-Match: \"a\""));
        assertEquals(PROCEED, evalMissing("If-None-Match: *"));
        assertEquals(PROCEED, evalMissing("If-Modified-Since: " + AFTER));
        assertEquals(PROCEED, evalMissing("If-Unmodified-Since: " + BEFORE));
        assertEquals(BAD_REQUEST, evalMissing("If-None-Match: nonsense"));
    }

    static int ifRange(String... fields) {
        Requests r = Requests.get(fields);
        return Preconditions.ifRange(r.parser(), r.segment(), ETAG, MTIME, NOW);
    }

    @Test
    void ifRangeDecidesBetweenRangeAndTheWholeFile() {
        assertEquals(RANGE, ifRange());
        assertEquals(RANGE, ifRange("If-Range: " + AT));
        assertEquals(FULL, ifRange("If-Range: " + BEFORE));
        assertEquals(FULL, ifRange("If-Range: " + AFTER));
        // Entity tags compare strongly: a weak one never matches, so the whole file is sent.
        assertEquals(FULL, ifRange("If-Range: W/\"11-784111777250\""));
        assertEquals(FULL, ifRange("If-Range: \"11-784111777250\""));
        Requests strong = Requests.get("If-Range: \"abc\"");
        assertEquals(RANGE, Preconditions.ifRange(strong.parser(), strong.segment(),
                "\"abc\"".getBytes(StandardCharsets.ISO_8859_1), MTIME, NOW));
    }

    @Test
    void ifRangeReadsTheObsoleteDateFormsToo() {
        assertEquals(RANGE, ifRange("If-Range: " + AT_RFC850));
        assertEquals(RANGE, ifRange("If-Range: " + AT_ASCTIME));
        assertEquals(FULL, ifRange("If-Range: " + BEFORE_RFC850));
        assertEquals(FULL, ifRange("If-Range: " + BEFORE_ASCTIME));
    }

    @Test
    void aFileModifiedEarlyInTheMonthRevalidatesWithTheDateItWasSentWith() {
        // 2026-12-02T12:00:53.400Z: the day of the month has one digit, the IMF-fixdate two.
        long mtime = 1_796_212_853_400L;
        String lastModified = dev.ringside.uring.http.HttpDate.text(mtime / 1000);
        assertEquals("Wed, 02 Dec 2026 12:00:53 GMT", lastModified);
        Requests r = Requests.get("If-Modified-Since: " + lastModified);
        assertEquals(NOT_MODIFIED, evaluate(r.parser(), r.segment(), ETAG, mtime, NOW));
        Requests range = Requests.get("If-Range: " + lastModified);
        assertEquals(RANGE, Preconditions.ifRange(range.parser(), range.segment(), ETAG, mtime, NOW));
    }

    @Test
    void anIfRangeThatIsNeitherATagNorADateIsABadRequest() {
        assertEquals(BAD_REQUEST, ifRange("If-Range: tomorrow"));
        assertEquals(BAD_REQUEST, ifRange("If-Range: \"a\", \"b\""));
        assertEquals(BAD_REQUEST, ifRange("If-Range: \"a"));
        assertEquals(BAD_REQUEST, ifRange("If-Range: " + AT, "If-Range: " + AT));
    }
}
