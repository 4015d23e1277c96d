package dev.ringside.uring.buffer;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class BufferPoolTest {

    @Test
    void handsOutEachChunkOnceThenSaysExhaustedInsteadOfFailing() {
        try (Arena arena = Arena.ofConfined()) {
            BufferPool pool = new BufferPool(arena, 1024, 4);
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                int c = pool.acquire();
                assertTrue(c >= 0);
                assertTrue(seen.add(c));
            }
            assertEquals(-1, pool.acquire(), "exhausted pool answers -1");
            assertEquals(4, pool.inUse());
            pool.release(2);
            assertEquals(2, pool.acquire(), "a released chunk is reused");
            for (int c : seen) pool.release(c);
            assertEquals(0, pool.inUse());
            assertEquals(4, pool.highWater());
        }
    }

    @Test
    void chunksDoNotOverlap() {
        try (Arena arena = Arena.ofConfined()) {
            BufferPool pool = new BufferPool(arena, 512, 3);
            int a = pool.acquire(), b = pool.acquire();
            assertEquals(512, Math.abs(pool.offset(a) - pool.offset(b)));
            assertEquals(pool.slab().address() + pool.offset(b), pool.address(b));
            assertEquals(0, pool.slab().address() % 4096, "slab is page aligned");
        }
    }

    @Test
    void doubleReleaseIsABugAndSaysSo() {
        try (Arena arena = Arena.ofConfined()) {
            BufferPool pool = new BufferPool(arena, 64, 2);
            int c = pool.acquire();
            pool.release(c);
            assertThrows(IllegalStateException.class, () -> pool.release(c));
        }
    }
}
