package dev.ringside.uring.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The "elsewhere" run (a second surefire execution, see the parent pom) really is elsewhere: a zone
 * that is 14 hours ahead of UTC, and a locale in which "I".toLowerCase() is not "i". Without
 * this, a typo in the pom would leave that run testing nothing new.
 */
class ElsewhereTest {
    @Test
    void theElsewhereRunHasAnotherZoneAndADotlessI() {
        assumeTrue(Boolean.getBoolean("ringside.test.elsewhere"), "not the elsewhere run");
        assertEquals(ZoneId.of("Pacific/Kiritimati"), ZoneId.systemDefault());
        assertEquals("Pacific/Kiritimati", System.getenv("TZ"));
        assertEquals("tr", Locale.getDefault().getLanguage());
        assertEquals("\u0131", "I".toLowerCase(), "the locale's lower case of I is dotless");
    }
}
