package dev.ringside.uring.net;

import dev.ringside.uring.ring.UserData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ConnectionTableTest {

    @Test
    void aFreedSlotGetsANewGenerationSoOldCompletionsAreStale() {
        ConnectionTable<Object> table = new ConnectionTable<>(2, i -> new Object());
        int slot = table.allocate();
        long inFlight = UserData.pack(slot, 2, 0, table.generation(slot));
        assertTrue(table.current(UserData.slot(inFlight), UserData.generation(inFlight)));
        table.release(slot);
        int again = table.allocate();
        assertEquals(slot, again, "the slot is reused");
        assertFalse(table.current(UserData.slot(inFlight), UserData.generation(inFlight)),
                "a completion submitted for the previous connection is stale");
        assertTrue(table.current(again, table.generation(again)));
    }

    @Test
    void atCapacityAllocateAnswersMinusOneAndNothingBreaks() {
        ConnectionTable<Object> table = new ConnectionTable<>(2, i -> new Object());
        assertTrue(table.allocate() >= 0);
        assertTrue(table.allocate() >= 0);
        assertEquals(-1, table.allocate());
        assertEquals(2, table.inUse());
        table.release(0);
        assertEquals(0, table.allocate());
    }

    @Test
    void generationsWrapWithinSixteenBits() {
        ConnectionTable<Object> table = new ConnectionTable<>(1, i -> new Object());
        for (int i = 0; i < 70_000; i++) {
            table.release(table.allocate());
        }
        assertEquals(70_000 & 0xFFFF, table.generation(0));
        long ud = UserData.pack(0, 1, 0, table.generation(0));
        assertTrue(table.current(0, UserData.generation(ud)));
    }

    @Test
    void userDataRoundTripsEveryField() {
        long ud = UserData.pack(123456, 255, 17, 65535);
        assertEquals(123456, UserData.slot(ud));
        assertEquals(255, UserData.op(ud));
        assertEquals(17, UserData.data(ud));
        assertEquals(65535, UserData.generation(ud));
    }
}
