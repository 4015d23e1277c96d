package dev.ringside.uring.ring;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static dev.ringside.uring.sys.IoUringLayouts.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The submission queue against a kernel that takes nothing when asked (as one does with EBUSY
 * while its completions overflow): preparing never fails, and what did not fit enters the ring
 * in order as the kernel makes room. The ring's memory is laid out here as the kernel lays it out.
 */
class SubmissionQueueTest {
    private static final int ENTRIES = 8;
    private static final long HEAD = 0, TAIL = 4, MASK = 8, COUNT = 12, FLAGS = 16, ARRAY = 64;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment ringMem = arena.allocate(ARRAY + 4L * ENTRIES, 8);
    private final MemorySegment sqes = arena.allocate(SQE_SIZE * ENTRIES, 64);
    private final List<Long> consumed = new ArrayList<>();
    private int submits;
    private boolean kernelTakes;

    /** The kernel's side: takes every published SQE when it is willing, else none. */
    private int kernelSubmit(SubmissionQueue sq) {
        submits++;
        sq.publish();
        if (!kernelTakes) {
            return 0;
        }
        int head = ringMem.get(ValueLayout.JAVA_INT, HEAD);
        int tail = ringMem.get(ValueLayout.JAVA_INT, TAIL);
        for (; head != tail; head++) {
            consumed.add(sqes.get(ValueLayout.JAVA_LONG, (long) (head & (ENTRIES - 1)) * SQE_SIZE + SQE_USER_DATA));
        }
        ringMem.set(ValueLayout.JAVA_INT, HEAD, head);
        return 0;
    }

    private SubmissionQueue queue() {
        MemorySegment params = arena.allocate(PARAMS_SQ_OFF + 64, 8);
        params.set(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + SQ_OFF_HEAD, (int) HEAD);
        params.set(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + SQ_OFF_TAIL, (int) TAIL);
        params.set(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + SQ_OFF_RING_MASK, (int) MASK);
        params.set(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + SQ_OFF_RING_ENTRIES, (int) COUNT);
        params.set(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + SQ_OFF_FLAGS, (int) FLAGS);
        params.set(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + SQ_OFF_ARRAY, (int) ARRAY);
        ringMem.set(ValueLayout.JAVA_INT, MASK, ENTRIES - 1);
        ringMem.set(ValueLayout.JAVA_INT, COUNT, ENTRIES);
        SubmissionQueue[] sq = new SubmissionQueue[1];
        sq[0] = new SubmissionQueue(() -> kernelSubmit(sq[0]), ringMem, sqes, params, PARAMS_SQ_OFF);
        return sq[0];
    }

    @Test
    void aFullRingTheKernelWillNotTakeFromKeepsWhatIsPreparedInOrder() {
        SubmissionQueue sq = queue();
        for (long i = 0; i < 3 * ENTRIES + 3; i++) {
            sq.prepNop(i); // before: "submission queue still full after submit", and the loop died
        }
        assertEquals(2 * ENTRIES + 3, sq.pending(), "a ring's worth handed over (not taken), the rest waiting");
        assertEquals(2 * ENTRIES + 3, sq.backlogged());
        assertEquals(1, submits, "the full ring was submitted once; then the backlog keeps the order");

        kernelTakes = true;
        while (sq.pending() > 0) {
            kernelSubmit(sq);
        }
        List<Long> inOrder = new ArrayList<>();
        for (long i = 0; i < 3 * ENTRIES + 3; i++) {
            inOrder.add(i);
        }
        assertEquals(inOrder, consumed);

        sq.prepNop(99); // and the ring is used directly again
        kernelSubmit(sq);
        assertEquals(99L, consumed.getLast());
        assertEquals(2 * ENTRIES + 3, sq.backlogged());
    }

    @Test
    void aFullRingIsSubmittedAndTheNextSqeGoesStraightIn() {
        SubmissionQueue sq = queue();
        kernelTakes = true;
        for (long i = 0; i < 5 * ENTRIES; i++) {
            sq.prepNop(i);
        }
        assertEquals(0, sq.backlogged(), "each time the ring filled, the kernel took it");
        kernelSubmit(sq);
        assertEquals(5 * ENTRIES, consumed.size());
    }
}
