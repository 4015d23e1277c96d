package dev.ringside.agent;

import dev.ringside.uring.ring.Ring;
import dev.ringside.uring.ring.RingOptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this JVM can use io_uring at all: a small ring is set up and torn down. What can go
 * wrong, each said in words: an old kernel (ENOSYS), {@code kernel.io_uring_disabled} or a
 * seccomp profile (EPERM), native access denied to the JVM ({@code --illegal-native-access=deny}).
 */
public final class UringProbe {
    private UringProbe() {}

    public record Result(boolean available, String description) {}

    public static Result run() {
        try (Ring ring = new Ring(RingOptions.defaults().withEntries(8))) {
            return new Result(true, ring.features().describe());
        } catch (Exception | LinkageError e) {
            return new Result(false, explain(e));
        }
    }

    private static String explain(Throwable e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        try {
            Path sysctl = Path.of("/proc/sys/kernel/io_uring_disabled");
            if (Files.isReadable(sysctl)) {
                String v = Files.readString(sysctl).trim();
                if (!v.equals("0")) {
                    why += " (kernel.io_uring_disabled=" + v + ")";
                }
            }
        } catch (Exception ignored) {
            // the reason we have is good enough
        }
        return why;
    }
}
