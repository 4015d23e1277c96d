package dev.ringside.bridge.router;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Servlet 6.1 §12.2 pattern kinds, as the router needs them. */
class UrlPatternsTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "/hello, /hello, true",
            "/hello, /hello/, false",
            "/api/*, /api, true",
            "/api/*, /api/, true",
            "/api/*, /api/x/y, true",
            "/api/*, /apix, false",
            "*.jsp, /a/b.jsp, true",
            "*.jsp, /a.jsp/b, false",
            "*.jsp, /a/b.jspx, false",
            "/*, /anything, true",
            "/, /anything, true",
            "'', /, true",
            "'', /x, false",
    })
    void matching(String pattern, String path, boolean expected) {
        assertEquals(expected, new UrlPatterns().add(pattern).matches(path));
    }
}
