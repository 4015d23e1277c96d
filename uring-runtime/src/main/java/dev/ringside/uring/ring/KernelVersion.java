package dev.ringside.uring.ring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The running kernel's version. Opcode support is probed, but flags within an opcode
 * (multishot receive, for one) are not visible to IORING_REGISTER_PROBE, so those are keyed on
 * the version that introduced them.
 */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {

    public static KernelVersion running() {
        try {
            return parse(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        } catch (IOException | RuntimeException e) {
            return new KernelVersion(0, 0);
        }
    }

    static KernelVersion parse(String release) {
        String[] parts = release.split("[.\\-+]", 3);
        return new KernelVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    @Override
    public int compareTo(KernelVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
