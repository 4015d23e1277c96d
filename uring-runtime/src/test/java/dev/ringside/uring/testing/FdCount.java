package dev.ringside.uring.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Open descriptors of this process, from /proc/self/fd: the leak check of every test that opens
 * any. The JVM opens jars and random devices lazily while a test runs (class loading, temp
 * directories); those are not ours and are left out.
 */
public final class FdCount {
    private FdCount() {}

    static {
        // The JDK keeps one "pre-close" socket open for good once any java.net socket has been
        // closed (UnixDispatcher); make it exist before any baseline is taken.
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             java.net.Socket client = new java.net.Socket(server.getInetAddress(), server.getLocalPort());
             java.net.Socket accepted = server.accept()) {
            client.getOutputStream().write(1);
            accepted.getInputStream().read();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public static int now() {
        return ours().size();
    }

    /** Descriptors open on {@code dir} or anything beneath it: a test's own files, whatever sockets the JDK pools. */
    public static long under(Path dir) {
        String prefix = " -> " + dir.toAbsolutePath();
        return ours().stream().filter(d -> d.contains(prefix)).count();
    }

    /**
     * Waits (closing is asynchronous: a loop lets go within a tick) until nothing is open on
     * {@code dir} or beneath it, and fails if something still is after 5 s.
     */
    public static void assertNoneLeftUnder(Path dir) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (under(dir) != 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        org.junit.jupiter.api.Assertions.assertEquals(0, under(dir), () -> "descriptors left on " + dir + ": " + ours());
    }

    public static List<String> ours() {
        List<String> out = new ArrayList<>();
        String[] names = new File("/proc/self/fd").list();
        if (names == null) {
            return out;
        }
        for (String n : names) {
            String target;
            try {
                target = Files.readSymbolicLink(Path.of("/proc/self/fd", n)).toString();
            } catch (IOException e) {
                continue; // closed while listing (the listing's own descriptor, for one)
            }
            if (target.endsWith(".jar") || target.startsWith("/dev/") || target.startsWith("/proc/")
                    || target.contains("/jre/lib/") || target.contains("/lib/modules")) {
                continue;
            }
            out.add(n + " -> " + target);
        }
        return out;
    }
}
