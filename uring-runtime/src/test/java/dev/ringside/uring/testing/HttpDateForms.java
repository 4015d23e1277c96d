package dev.ringside.uring.testing;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The three forms of an HTTP-date (RFC 9110 §5.6.7) written with java.time, the reference the
 * runtime's own {@code HttpDate} is held to. The IMF-fixdate pattern pads the day: java.time's
 * {@code RFC_1123_DATE_TIME} does not, and is not one.
 */
public final class HttpDateForms {
    public static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    public static final DateTimeFormatter RFC_850 =
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-uu HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    public static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss uuuu", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDateForms() {}

    /** {@code imfFixdate} in the obsolete RFC 850 form. */
    public static String rfc850(String imfFixdate) {
        return RFC_850.format(IMF_FIXDATE.parse(imfFixdate));
    }

    /** {@code imfFixdate} in asctime's form. */
    public static String asctime(String imfFixdate) {
        return ASCTIME.format(IMF_FIXDATE.parse(imfFixdate));
    }
}
