package dev.ringside.uring.http;

import java.lang.foreign.MemorySegment;

/**
 * IMF-fixdate (RFC 9110 §5.6.7), e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}: formatting into bytes
 * without allocation, a per-second cache of "now" for Date headers, and parsing for conditional
 * requests.
 *
 * <p>An instance is the cache, one per event loop: it is not thread-safe, and needs no lock.
 */
public final class HttpDate {

    /** Bytes in an IMF-fixdate. */
    public static final int LENGTH = 29;

    private static final byte[] DAYS = "ThuFriSatSunMonTueWed".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final byte[] now = new byte[LENGTH];
    private long nowSecond = Long.MIN_VALUE;

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

    /** {@link #bytes(long)} for the current time. */
    public byte[] now() {
        return bytes(System.currentTimeMillis());
    }

    /**
     * Writes the IMF-fixdate of {@code epochSecond} (years 0-9999) at {@code dst[off..off+29)}.
     * Days are converted with Howard Hinnant's civil_from_days, which needs no table and no loop.
     */
    public static void format(long epochSecond, byte[] dst, int off) {
        long days = Math.floorDiv(epochSecond, 86_400);
        int secs = (int) Math.floorMod(epochSecond, 86_400);
        int dow = (int) Math.floorMod(days, 7); // 1970-01-01 was a Thursday, DAYS[0]
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));

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
     * Epoch seconds of the IMF-fixdate at [from, to) of {@code seg}, or -1 if it is not one (wrong
     * length, names, digits or ranges; the day name must match the date). The obsolete RFC 850 and
     * asctime forms are not accepted: a conditional header we cannot read is ignored, which only
     * costs a full response.
     */
    public static long parse(MemorySegment seg, long from, long to) {
        if (to - from != LENGTH) return -1;
        if (at(seg, from + 3) != ',' || at(seg, from + 4) != ' ' || at(seg, from + 7) != ' '
                || at(seg, from + 11) != ' ' || at(seg, from + 16) != ' ' || at(seg, from + 19) != ':'
                || at(seg, from + 22) != ':' || at(seg, from + 25) != ' ' || at(seg, from + 26) != 'G'
                || at(seg, from + 27) != 'M' || at(seg, from + 28) != 'T') {
            return -1;
        }
        int day = digits(seg, from + 5, 2);
        int month = name(MONTHS, seg, from + 8) + 1;
        int year = digits(seg, from + 12, 4);
        int hour = digits(seg, from + 17, 2);
        int minute = digits(seg, from + 20, 2);
        int second = digits(seg, from + 23, 2);
        if (day < 1 || month < 1 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 60) {
            return -1;
        }
        if (day > daysInMonth(year, month)) return -1;
        long days = daysFromCivil(year, month, day);
        if (name(DAYS, seg, from) != (int) Math.floorMod(days, 7)) return -1;
        // A leap second (60) is accepted as the second after 59.
        return days * 86_400 + hour * 3600L + minute * 60L + second;
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
}
