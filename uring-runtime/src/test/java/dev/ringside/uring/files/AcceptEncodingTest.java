package dev.ringside.uring.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.MemorySegment;

import static dev.ringside.uring.files.AcceptEncoding.*;
import static org.junit.jupiter.api.Assertions.*;

/** Which of a file and its .br/.gz siblings an Accept-Encoding asks for (RFC 9110 §12.5.3). */
class AcceptEncodingTest {
    static int choose(boolean br, boolean gzip, String... values) {
        String[] lines = new String[values.length];
        for (int i = 0; i < values.length; i++) lines[i] = "Accept-Encoding: " + values[i];
        Requests r = Requests.get(lines);
        return AcceptEncoding.choose(r.parser(), r.segment(), br, gzip);
    }

    static String name(int choice) {
        return switch (choice) {
            case BR -> "br";
            case GZIP -> "gzip";
            default -> "identity";
        };
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "gzip, deflate, br, zstd     | br",       // br preferred at equal weight
            "br, gzip                    | br",
            "gzip                        | gzip",
            "br;q=0.5, gzip              | gzip",
            "gzip;q=0.9, br;q=0.8        | gzip",
            "gzip;q=0                    | identity", // q=0: not acceptable
            "br;q=0, gzip;q=0.001        | gzip",
            "GZip, BR                    | br",       // codings are case-insensitive
            "  gzip ;  q=0.5 ,br;Q=0.4   | gzip",     // whitespace and a capital Q
            "*                           | br",
            "*;q=0.5, br;q=0             | gzip",
            "identity                    | identity",
            "deflate, zstd               | identity",
            "identity;q=1, gzip;q=0.5    | identity", // identity explicitly preferred
            "gzip, identity;q=0.5        | gzip",
            "gzip;q=0.5                  | gzip",     // identity not mentioned ranks below any acceptable coding
            "gzip;q=1.0, br;q=1.000      | br",
            "gzip;q=1.5                  | identity", // invalid q: the element is ignored
            "gzip;q=0.1234               | identity",
            "gzip;q=abc, br;q=          | identity",
            "gzip;q                      | identity",
            "gzip;level=9                | gzip",     // other parameters do not matter
            "gzip x                      | identity", // not a list of codings
            "''                          | identity",
            ",,gzip,,                    | gzip",     // empty list elements are allowed
    })
    void choosesByWeight(String value, String expected) {
        assertEquals(expected, name(choose(true, true, value)), value);
    }

    @Test
    void onlyExistingSiblingsAreChosen() {
        assertEquals(GZIP, choose(false, true, "br, gzip"));
        assertEquals(IDENTITY, choose(false, true, "br"));
        assertEquals(BR, choose(true, false, "*"));
        assertEquals(GZIP, choose(false, true, "*"));
        assertEquals(IDENTITY, choose(false, false, "*"));
    }

    @Test
    void everyLineCounts() {
        assertEquals(BR, choose(true, true, "gzip", "br"));
        assertEquals(GZIP, choose(true, true, "gzip", "br;q=0"));
    }

    @Test
    void noHeaderMeansIdentity() {
        Requests r = Requests.get();
        assertEquals(IDENTITY, AcceptEncoding.choose(r.parser(), r.segment(), true, true));
    }

    @ParameterizedTest(name = "q={0} -> {1}")
    @CsvSource({"0,0", "1,1000", "0.5,500", "0.05,50", "0.001,1", "1.000,1000", "0.,0", "1.,1000",
            "1.001,-1", "2,-1", "0.0000,-1", ".5,-1", "-1,-1", "'',-1"})
    void qvalues(String q, int thousandths) {
        MemorySegment seg = Requests.ascii(q);
        assertEquals(thousandths, AcceptEncoding.qvalue(seg, 0, seg.byteSize()));
    }
}
