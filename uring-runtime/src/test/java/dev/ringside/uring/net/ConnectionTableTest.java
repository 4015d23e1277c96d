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
    void aCompletionFromMoreThanSixtyFiveThousandConnectionsAgoIsStillStale() {
        // The busiest slot is reused for every connection at low concurrency (last freed, first
        // taken): a 16-bit generation came round again after 65 536 of them.
        ConnectionTable<Object> table = new ConnectionTable<>(4, i -> new Object());
        int slot = table.allocate();
        long pending = UserData.pack(slot, 3, 0, table.generation(slot));
        table.release(slot);
        for (int i = 1; i < 65_536; i++) {
            assertEquals(slot, table.allocate(), "the slot just freed is taken again");
            table.release(slot);
        }
        assertEquals(slot, table.allocate());
        assertFalse(table.current(UserData.slot(pending), UserData.generation(pending)),
                "65 536 connections later the old operation is still not the slot's current connection's");
    }

    @Test
    void generationsUseAllThirtyTwoBitsAndWrapOnlyThere() {
        ConnectionTable<Object> table = new ConnectionTable<>(1, i -> new Object());
        for (int i = 0; i < 70_000; i++) {
            table.release(table.allocate());
        }
        assertEquals(70_000, table.generation(0));
        long ud = UserData.pack(0, 1, 0, table.generation(0));
        assertTrue(table.current(0, UserData.generation(ud)));
    }

    @Test
    void aTableHasAtMostTheSlotsUserDataCanName() {
        assertEquals(65_536, new ConnectionTable<>(UserData.MAX_SLOTS, i -> null).capacity());
        assertThrows(IllegalArgumentException.class, () -> new ConnectionTable<>(UserData.MAX_SLOTS + 1, i -> null));
    }

    @Test
    void userDataRoundTripsEveryField() {
        long ud = UserData.pack(65_535, 255, 17, 0xFFFF_FFFF);
        assertEquals(65_535, UserData.slot(ud));
        assertEquals(255, UserData.op(ud));
        assertEquals(17, UserData.data(ud));
        assertEquals(0xFFFF_FFFF, UserData.generation(ud));
        long low = UserData.pack(0, 1, 0, 0x8000_0000);
        assertEquals(0, UserData.slot(low));
        assertEquals(0x8000_0000, UserData.generation(low));
    }
}
