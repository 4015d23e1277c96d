package dev.ringside.uring.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code Date: ...\r\n} header line, re-rendered at most once a second into the same array
 * (an IMF-fixdate always has the same length), so a response copies it and allocates nothing.
 */
final class DateLine {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(ZoneOffset.UTC);

    private final byte[] line = new byte["Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n".length()];
    private long second = Long.MIN_VALUE;

    DateLine() {
        refresh(System.currentTimeMillis());
    }

    /** Returns the line for this moment, re-rendering it if the second changed. */
    byte[] refresh(long epochMillis) {
        long s = Math.floorDiv(epochMillis, 1000);
        if (s != second) {
            second = s;
            String text = "Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(s)) + "\r\n";
            byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(b, 0, line, 0, line.length);
        }
        return line;
    }

    byte[] bytes() {
        return line;
    }
}
