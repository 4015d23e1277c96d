package dev.ringside.bench;

import dev.ringside.uring.http.HttpRequestParser;
import dev.ringside.uring.http.KnownHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Ringside's request-head parser against Jetty 12.1's on the same bytes, both from off-heap
 * memory: Ringside from a MemorySegment, Jetty from a direct ByteBuffer. Each invocation parses
 * one whole head from a reset parser; the buffers are allocated once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class HttpParserBenchmark {

    @Param({"browser", "tiny", "post"})
    public String request;

    private Arena arena;
    private MemorySegment segment;
    private long length;
    private final HttpRequestParser ringside = new HttpRequestParser();

    private ByteBuffer direct;
    private JettyHandler handler;
    private HttpParser jetty;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] head = Requests.bytes(request);
        length = head.length;
        arena = Arena.ofShared();
        segment = arena.allocate(4096, 64);
        MemorySegment.copy(head, 0, segment, ValueLayout.JAVA_BYTE, 0, head.length);
        direct = ByteBuffer.allocateDirect(head.length);
        direct.put(head).flip();
        handler = new JettyHandler();
        jetty = new HttpParser(handler);
        // Both parsers must accept the head, or the comparison is meaningless.
        ringside.reset();
        if (ringside.parse(segment, 0, length) != HttpRequestParser.COMPLETE) throw new IllegalStateException("ringside");
        if (!jetty.parseNext(direct) || !handler.complete) throw new IllegalStateException("jetty");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void ringside(Blackhole bh) {
        HttpRequestParser p = ringside;
        p.reset();
        bh.consume(p.parse(segment, 0, length));
        bh.consume(p.headEnd());
        bh.consume(p.targetEnd());
        bh.consume(p.headerCount());
        bh.consume(p.headerIndex(KnownHeader.HOST));
        bh.consume(p.contentLength());
        bh.consume(p.keepAlive());
    }

    @Benchmark
    public void jetty(Blackhole bh) {
        HttpParser p = jetty;
        p.reset();
        ByteBuffer b = direct;
        b.position(0); // re-read the same bytes: no allocation outside the parser
        bh.consume(p.parseNext(b));
        bh.consume(handler.uri);
        bh.consume(handler.fields);
        bh.consume(handler.complete);
    }

    /** Records only what keeps the parse observable; Jetty's own work (Strings, fields) stays. */
    static final class JettyHandler implements HttpParser.RequestHandler {
        String uri;
        HttpField last;
        int fields;
        boolean complete;

        @Override
        public void startRequest(String method, String uri, HttpVersion version) {
            this.uri = uri;
            fields = 0;
            complete = false;
        }

        @Override
        public void parsedHeader(HttpField field) {
            last = field;
            fields++;
        }

        @Override
        public boolean headerComplete() {
            complete = true;
            return true; // return from parseNext at the end of the head, as Ringside's parse does
        }

        @Override
        public boolean content(ByteBuffer item) {
            return false;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            return true;
        }

        @Override
        public void earlyEOF() {}
    }
}
