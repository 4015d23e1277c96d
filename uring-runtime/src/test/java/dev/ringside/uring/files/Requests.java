package dev.ringside.uring.files;

import dev.ringside.uring.http.HttpRequestParser;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Test helper: a parsed GET with the given field lines, and the bytes it was parsed from. */
record Requests(HttpRequestParser parser, MemorySegment segment) {
    static Requests get(String... fieldLines) {
        StringBuilder b = new StringBuilder("GET /f HTTP/1.1\r\nHost: x\r\n");
        for (String l : fieldLines) b.append(l).append("\r\n");
        byte[] bytes = b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        MemorySegment seg = Arena.ofAuto().allocate(bytes.length);
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
        HttpRequestParser p = new HttpRequestParser();
        if (p.parse(seg, 0, bytes.length) != HttpRequestParser.COMPLETE) {
            throw new IllegalArgumentException("not a valid request: " + b);
        }
        return new Requests(p, seg);
    }

    static MemorySegment ascii(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(1, bytes.length));
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return seg.asSlice(0, bytes.length);
    }
}
