package dev.ringside.bench;

import dev.ringside.uring.http.ResponseHeadWriter;
import dev.ringside.uring.http.ResponseHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Rendering the head of a typical static-file 200 into off-heap memory. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class ResponseHeadBenchmark {

    private static final byte[] CSS = "text/css; charset=utf-8".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_MODIFIED = "Thu, 29 Feb 2024 13:05:09 GMT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ETAG = "W/\"48213-1709211909000\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES = "bytes".getBytes(StandardCharsets.US_ASCII);

    private final ResponseHeadWriter writer = new ResponseHeadWriter();
    private Arena arena;
    private MemorySegment segment;
    public long size = 48_213;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        segment = arena.allocate(1024, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public long staticFile200() {
        ResponseHeadWriter w = writer;
        MemorySegment seg = segment;
        long lim = seg.byteSize();
        long p = w.statusLine(seg, 0, lim, 200);
        p = w.date(seg, p, lim);
        p = w.header(seg, p, lim, ResponseHeader.CONTENT_TYPE, CSS);
        p = w.header(seg, p, lim, ResponseHeader.CONTENT_LENGTH, size);
        p = w.header(seg, p, lim, ResponseHeader.LAST_MODIFIED, LAST_MODIFIED);
        p = w.header(seg, p, lim, ResponseHeader.ETAG, ETAG);
        p = w.header(seg, p, lim, ResponseHeader.ACCEPT_RANGES, BYTES);
        return w.end(seg, p, lim);
    }
}
