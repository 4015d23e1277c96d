package dev.ringside.uring.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;

import static dev.ringside.uring.files.ByteRanges.*;
import static org.junit.jupiter.api.Assertions.*;

/** Range values against a 100-byte file, answered as Tomcat 11's DefaultServlet answers them. */
class ByteRangesTest {
    private final ByteRanges ranges = new ByteRanges();

    private int eval(String value, long length) {
        MemorySegment seg = Requests.ascii(value);
        return ranges.evaluate(seg, 0, seg.byteSize(), length);
    }

    @ParameterizedTest(name = "{0} -> bytes {1}-{2}")
    @CsvSource(delimiter = '|', value = {
            "bytes=0-0        | 0  | 0",
            "bytes=0-99       | 0  | 99",
            "bytes=10-19      | 10 | 19",
            "bytes=10-        | 10 | 99",
            "bytes=-10        | 90 | 99",
            "bytes=-1000      | 0  | 99",   // a suffix longer than the file is the whole file
            "bytes=50-1000    | 50 | 99",   // an end past the file is clipped
            "bytes=99-        | 99 | 99",
            "bytes = 1 - 2    | 1  | 2",    // Tomcat's parser skips whitespace around every token
            "bytes=0-1,2-3    | 0  | 3",    // touching ranges merge into one
            "bytes=5-9,0-6    | 0  | 9",    // overlapping ranges merge, in any order
            "bytes=0-0,0-0    | 0  | 0",    // two duplicates are one overlap: allowed
            "Bytes=2-3        | 2  | 3",    // units are case-insensitive (RFC 9110 §14.1)
    })
    void satisfiableRanges(String value, long first, long last) {
        assertEquals(ONE, eval(value, 100), value);
        assertEquals(first, ranges.first());
        assertEquals(last, ranges.last());
    }

    @ParameterizedTest(name = "{0} -> 416")
    @ValueSource(strings = {
            "bytes=100-",           // starts at the end
            "bytes=200-300",        // starts beyond the end
            "bytes=-0",             // an empty suffix
            "bytes=5-4",            // start after end: invalid syntax, and Tomcat answers that with 416 too
            "bytes=-",              // neither start nor end
            "bytes=",               // no range at all
            "bytes=0-1,",           // an empty element
            "bytes=0-1;x",          // trailing garbage
            "bytes=a-b",
            "bytes=0-9223372036854775808",  // overflows a long
            "bytes=99999999999999999999-",
            "bytes 0-1",            // no '='
            "=0-1",                 // no unit
            "foo=garbage",          // garbage is 416 even with a unit we would ignore
            "bytes=0-1,200-300",    // one unsatisfiable range spoils them all
            "bytes=0-5,1-6,2-7",    // three ranges with two overlaps
            "bytes=0-0,0-0,0-0",    // three duplicates
    })
    void unsatisfiableOrInvalid(String value) {
        assertEquals(UNSATISFIABLE, eval(value, 100), value);
    }

    @ParameterizedTest(name = "{0} is ignored")
    @ValueSource(strings = {"items=0-1", "bytes2=0-1"})
    void unknownUnitsAreIgnored(String value) {
        assertEquals(IGNORE, eval(value, 100));
    }

    @Test
    void anEmptyFileIgnoresRange() {
        assertEquals(IGNORE, eval("bytes=0-0", 0));
        assertEquals(IGNORE, eval("garbage", 0));
    }

    @Test
    void disjointRangesAreSeveralWhichTheHandlerAnswersWithTheWholeFile() {
        assertEquals(SEVERAL, eval("bytes=0-1,3-4", 100));
        assertEquals(SEVERAL, eval("bytes=-1,0-0", 100));
        assertEquals(SEVERAL, eval("bytes=0-1,5-9,1-2", 100), "one overlap among three is allowed");
    }

    @Test
    void manyRangesGrowTheArrays() {
        StringBuilder b = new StringBuilder("bytes=");
        for (int i = 0; i < 50; i++) b.append(i == 0 ? "" : ",").append(2 * i).append('-').append(2 * i);
        assertEquals(SEVERAL, eval(b.toString(), 1000));
        StringBuilder touching = new StringBuilder("bytes=");
        for (int i = 49; i >= 0; i--) touching.append(i == 49 ? "" : ",").append(i).append('-').append(i);
        assertEquals(ONE, eval(touching.toString(), 1000));
        assertEquals(0, ranges.first());
        assertEquals(49, ranges.last());
    }

    @Test
    void largeFilesAndOffsets() {
        long big = 10L << 40;
        assertEquals(ONE, eval("bytes=" + (big - 1) + "-", big));
        assertEquals(big - 1, ranges.first());
        assertEquals(ONE, eval("bytes=-" + Long.MAX_VALUE, big));
        assertEquals(0, ranges.first());
        assertEquals(big - 1, ranges.last());
    }
}
