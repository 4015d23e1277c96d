package dev.ringside.uring.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * A test's files are given a fixed modification time, so what a test sees in Last-Modified never
 * depends on the day it runs. The default is on the 2nd of a month, at single-digit hours, minutes
 * and seconds: every field an IMF-fixdate pads (RFC 9110 §5.6.7) needs its padding here.
 */
public final class PinnedMtime {
    /** Monday, 02 Mar 2026 08:09:07.250 GMT. */
    public static final Instant AT = Instant.parse("2026-03-02T08:09:07.250Z");
    /** {@link #AT} as an IMF-fixdate. */
    public static final String AT_TEXT = "Mon, 02 Mar 2026 08:09:07 GMT";

    private PinnedMtime() {}

    /** Every regular file under {@code root} (links followed) now says it was last modified at {@link #AT}. */
    public static void pinAll(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && !Files.isSymbolicLink(f)) {
                    Files.setLastModifiedTime(f, FileTime.from(AT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
