package dev.ringside.bridge.tomcat;

import dev.ringside.uring.http.OffloadedExchange;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tomcat's sendfile hand-off ({@code org.apache.tomcat.sendfile.*} request attributes, set by
 * DefaultServlet for files above its sendfileSize): the region is mapped and the loop sends it
 * from the page cache, with no copy through Java. The mapping is released as soon as the
 * kernel has taken the bytes (the exchange's write returns only then), not by the GC.
 */
final class SendfileBody {
    /** Per mapping: bounds the address space one response holds at a time. */
    private static final long MAP_STEP = 64L << 20;

    private SendfileBody() {
    }

    static void send(OffloadedExchange exchange, String file, long start, long end) throws IOException {
        try (FileChannel channel = FileChannel.open(Path.of(file), StandardOpenOption.READ)) {
            for (long pos = start; pos < end; pos += MAP_STEP) {
                long len = Math.min(MAP_STEP, end - pos);
                // Confined: only this thread touches the mapping through Java (the loop sends from its
                // address), and closing a shared arena is a handshake with every thread, loops included.
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment region = channel.map(FileChannel.MapMode.READ_ONLY, pos, len, arena);
                    exchange.write(region.asByteBuffer());
                }
            }
        }
    }
}
