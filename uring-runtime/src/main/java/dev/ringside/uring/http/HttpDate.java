package dev.ringside.uring.http;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * HTTP dates (RFC 9110 §5.6.7). Every date Ringside writes is an IMF-fixdate, e.g.
 * {@code Sun, 06 Nov 1994 08:49:37 GMT}, formatted here into bytes without allocation and without
 * any JDK formatter (whose RFC 1123 pattern does not pad the day). A request's dates are read in
 * all three forms a recipient must accept: IMF-fixdate, the obsolete RFC 850 form
 * ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime ({@code Sun Nov  6 08:49:37 1994}).
 *
 * <p>An instance is the per-second cache of "now" of one event loop: it is not thread-safe, and
 * needs no lock. Workers use {@link #nowText(long)}, which is.
 */
public final class HttpDate {

    /** Bytes in an IMF-fixdate. */
    public static final int LENGTH = 29;

    /** The first and last second an IMF-fixdate can say (its year has four digits). */
    public static final long MIN_EPOCH_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
    public static final long MAX_EPOCH_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private static final long SECONDS_PER_DAY = 86_400;

    private static final byte[] DAYS = "ThuFriSatSunMonTueWed".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] LONG_DAYS = {
        bytes("Thursday"), bytes("Friday"), bytes("Saturday"), bytes("Sunday"),
        bytes("Monday"), bytes("Tuesday"), bytes("Wednesday")
    };
    private static final byte[] MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec".getBytes(StandardCharsets.US_ASCII);

    private final byte[] now = new byte[LENGTH];
    private long nowSecond = Long.MIN_VALUE;

    private record Rendered(long second, String text) {}

    /** The last second rendered for {@link #nowText}: a stale read only formats the same second again. */
    private static volatile Rendered shared = new Rendered(Long.MIN_VALUE, "");

    /**
     * The IMF-fixdate of {@code epochMillis}, reformatted only when its second differs from the
     * last call's. The array is this cache's own, overwritten on the next second: copy it out, do
     * not keep it.
     */
    public byte[] bytes(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != nowSecond) {
            format(second, now, 0);
            nowSecond = second;
        }
        return now;
    }

    /**
     * The IMF-fixdate of {@code epochMillis} as a String, for any thread: one String a second is
     * made and shared (as Tomcat's {@code FastHttpDateFormat.getCurrentDate} does).
     */
    public static String nowText(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        Rendered r = shared;
        if (r.second != second) {
            r = new Rendered(second, text(second));
            shared = r;
        }
        return r.text;
    }

    /** The IMF-fixdate of {@code epochSecond} as a String (for header lines built once, not per request). */
    public static String text(long epochSecond) {
        byte[] b = new byte[LENGTH];
        format(epochSecond, b, 0);
        return new String(b, StandardCharsets.US_ASCII);
    }

    /**
     * Writes the IMF-fixdate of {@code epochSecond} at {@code dst[off..off+29)}. A second outside
     * years 0000-9999 (a file's mtime can be anything) is written as the nearest one inside, so the
     * field is always a valid date. Days are converted with Howard Hinnant's civil_from_days, which
     * needs no table and no loop.
     */
    public static void format(long epochSecond, byte[] dst, int off) {
        long t = Math.clamp(epochSecond, MIN_EPOCH_SECOND, MAX_EPOCH_SECOND);
        long days = Math.floorDiv(t, SECONDS_PER_DAY);
        int secs = (int) Math.floorMod(t, SECONDS_PER_DAY);
        int dow = (int) Math.floorMod(days, 7); // 1970-01-01 was a Thursday, DAYS[0]
        int ymd = civilFromDays(days);
        int year = ymd / 10_000, month = ymd / 100 % 100, day = ymd % 100;

        System.arraycopy(DAYS, dow * 3, dst, off, 3);
        dst[off + 3] = ',';
        dst[off + 4] = ' ';
        two(day, dst, off + 5);
        dst[off + 7] = ' ';
        System.arraycopy(MONTHS, (month - 1) * 3, dst, off + 8, 3);
        dst[off + 11] = ' ';
        two(year / 100, dst, off + 12);
        two(year % 100, dst, off + 14);
        dst[off + 16] = ' ';
        two(secs / 3600, dst, off + 17);
        dst[off + 19] = ':';
        two(secs / 60 % 60, dst, off + 20);
        dst[off + 22] = ':';
        two(secs % 60, dst, off + 23);
        dst[off + 25] = ' ';
        dst[off + 26] = 'G';
        dst[off + 27] = 'M';
        dst[off + 28] = 'T';
    }

    private static void two(int v, byte[] dst, int off) {
        dst[off] = (byte) ('0' + v / 10);
        dst[off + 1] = (byte) ('0' + v % 10);
    }

    /**
     * Epoch seconds of the HTTP-date at [from, to) of {@code seg}, or -1 if it is none. Accepted:
     * <ul>
     *   <li>IMF-fixdate, and the same with a one-digit day ({@code Sun, 6 Nov 1994 …}), which
     *       java.time's RFC 1123 formatter writes (so did Ringside's file cache once: caches still
     *       hold such values) and Tomcat reads;</li>
     *   <li>RFC 850, whose two-digit year is the latest one that is not more than 50 years ahead
     *       of {@code nowEpochSecond} (RFC 9110 §5.6.7);</li>
     *   <li>asctime, its day padded with a space or a zero.</li>
     * </ul>
     * Names are case-sensitive as the grammar says; the day name must be one but need not agree
     * with the date (the grammar does not ask it, and Tomcat and Jetty ignore it); a date that does
     * not exist (30 Feb, 24:00) is none. A leap second (60) is read as the second after 59.
     */
    public static long parse(MemorySegment seg, long from, long to, long nowEpochSecond) {
        long len = to - from;
        if (len < 23) return -1;
        if (at(seg, from + 3) == ',') return imfFixdate(seg, from, len);
        if (at(seg, from + 3) == ' ') return asctime(seg, from, len);
        return rfc850(seg, from, to, nowEpochSecond);
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}, or {@code Sun, 6 Nov 1994 08:49:37 GMT}. */
    private static long imfFixdate(MemorySegment seg, long from, long len) {
        if (name(DAYS, seg, from) < 0 || at(seg, from + 4) != ' ') return -1;
        int dayDigits = (int) (len - (LENGTH - 2));
        if (dayDigits != 1 && dayDigits != 2) return -1;
        long p = from + 5;
        int day = digits(seg, p, dayDigits);
        p += dayDigits;
        if (at(seg, p) != ' ' || at(seg, p + 4) != ' ' || at(seg, p + 9) != ' ') return -1;
        int month = name(MONTHS, seg, p + 1) + 1;
        int year = digits(seg, p + 5, 4);
        if (!gmt(seg, p + 19)) return -1;
        return epochSecond(year, month, day, seg, p + 10);
    }

    /** {@code Sun Nov  6 08:49:37 1994} (or {@code Nov 06}). */
    private static long asctime(MemorySegment seg, long from, long len) {
        if (len != 24 || name(DAYS, seg, from) < 0 || at(seg, from + 7) != ' ' || at(seg, from + 10) != ' '
                || at(seg, from + 19) != ' ') {
            return -1;
        }
        int month = name(MONTHS, seg, from + 4) + 1;
        int day = at(seg, from + 8) == ' ' ? digits(seg, from + 9, 1) : digits(seg, from + 8, 2);
        int year = digits(seg, from + 20, 4);
        return epochSecond(year, month, day, seg, from + 11);
    }

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}. */
    private static long rfc850(MemorySegment seg, long from, long to, long nowEpochSecond) {
        long comma = -1;
        for (byte[] dayName : LONG_DAYS) {
            if (to - from > dayName.length && at(seg, from + dayName.length) == ',' && same(dayName, seg, from)) {
                comma = from + dayName.length;
                break;
            }
        }
        if (comma < 0 || to - comma != 24) return -1;
        if (at(seg, comma + 1) != ' ' || at(seg, comma + 4) != '-' || at(seg, comma + 8) != '-'
                || at(seg, comma + 11) != ' ' || !gmt(seg, comma + 21)) {
            return -1;
        }
        int day = digits(seg, comma + 2, 2);
        int month = name(MONTHS, seg, comma + 5) + 1;
        int yy = digits(seg, comma + 9, 2);
        long timeOfDay = timeOfDay(seg, comma + 12);
        if (yy < 0 || day < 1 || month < 1 || timeOfDay < 0) return -1;
        // The latest year with these two digits that is not more than 50 years ahead of now.
        long now = Math.clamp(nowEpochSecond, MIN_EPOCH_SECOND, MAX_EPOCH_SECOND);
        long nowDays = Math.floorDiv(now, SECONDS_PER_DAY);
        int ymd = civilFromDays(nowDays);
        int nowYear = ymd / 10_000, nowMonth = ymd / 100 % 100, nowDay = ymd % 100;
        long latest = daysFromCivil(nowYear + 50, nowMonth, Math.min(nowDay, daysInMonth(nowYear + 50, nowMonth)))
                * SECONDS_PER_DAY + (now - nowDays * SECONDS_PER_DAY);
        for (int year = nowYear / 100 * 100 + 100 + yy; year >= nowYear - 100; year -= 100) {
            if (year < 0 || day > daysInMonth(year, month)) continue; // 29-Feb-00 may be 2000 but not 2100
            long t = daysFromCivil(year, month, day) * SECONDS_PER_DAY + timeOfDay;
            if (t <= latest) return t;
        }
        return -1;
    }

    /** Seconds of the date and the {@code HH:mm:ss} at {@code time}, or -1 if either is not real. */
    private static long epochSecond(int year, int month, int day, MemorySegment seg, long time) {
        long timeOfDay = timeOfDay(seg, time);
        if (timeOfDay < 0 || day < 1 || month < 1 || year < 0 || day > daysInMonth(year, month)) return -1;
        return daysFromCivil(year, month, day) * SECONDS_PER_DAY + timeOfDay;
    }

    /** Seconds since midnight of the {@code HH:mm:ss} at {@code time}, or -1; a leap second (60) counts as the next. */
    private static long timeOfDay(MemorySegment seg, long time) {
        if (at(seg, time + 2) != ':' || at(seg, time + 5) != ':') return -1;
        int hour = digits(seg, time, 2);
        int minute = digits(seg, time + 3, 2);
        int second = digits(seg, time + 6, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return -1;
        return hour * 3600L + minute * 60L + second;
    }

    /**
     * Hinnant's civil_from_days for days since 1970-01-01 in years 0-9999, packed as
     * {@code year * 10000 + month * 100 + day} so that it allocates nothing.
     */
    private static int civilFromDays(long days) {
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        return year * 10_000 + month * 100 + day;
    }

    private static boolean gmt(MemorySegment seg, long at) {
        return at(seg, at - 1) == ' ' && at(seg, at) == 'G' && at(seg, at + 1) == 'M' && at(seg, at + 2) == 'T';
    }

    private static byte at(MemorySegment seg, long offset) {
        return HttpBytes.at(seg, offset);
    }

    private static int digits(MemorySegment seg, long from, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int d = at(seg, from + i) - '0';
            if (d < 0 || d > 9) return -1;
            v = v * 10 + d;
        }
        return v;
    }

    /** Index of the three-letter name at {@code from} in {@code names}, case-sensitive, or -1. */
    private static int name(byte[] names, MemorySegment seg, long from) {
        byte a = at(seg, from), b = at(seg, from + 1), c = at(seg, from + 2);
        for (int i = 0; i < names.length; i += 3) {
            if (names[i] == a && names[i + 1] == b && names[i + 2] == c) return i / 3;
        }
        return -1;
    }

    private static boolean same(byte[] word, MemorySegment seg, long from) {
        for (int i = 0; i < word.length; i++) {
            if (at(seg, from + i) != word[i]) return false;
        }
        return true;
    }

    private static int daysInMonth(int year, int month) {
        if (month == 2) return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
        return (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
    }

    /** Hinnant's days_from_civil: days since 1970-01-01. */
    private static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
