package dev.ringside.uring.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static dev.ringside.uring.sys.IoUringLayouts.*;

/**
 * The completion side of a {@link Ring}. The tail is read with acquire (the kernel publishes
 * CQEs before it moves the tail) and the head is stored with release once the batch is consumed,
 * so the kernel never overwrites a CQE we are still reading.
 */
public final class CompletionQueue {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment ringMem;
    private final long headOffset;
    private final long tailOffset;
    private final long overflowOffset;
    private final long cqesOffset;
    private final int mask;
    private final int entries;

    CompletionQueue(MemorySegment ringMem, MemorySegment params, long cqOff) {
        this.ringMem = ringMem;
        this.headOffset = params.get(ValueLayout.JAVA_INT, cqOff + CQ_OFF_HEAD);
        this.tailOffset = params.get(ValueLayout.JAVA_INT, cqOff + CQ_OFF_TAIL);
        this.overflowOffset = params.get(ValueLayout.JAVA_INT, cqOff + CQ_OFF_OVERFLOW);
        this.cqesOffset = params.get(ValueLayout.JAVA_INT, cqOff + CQ_OFF_CQES);
        this.mask = ringMem.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, cqOff + CQ_OFF_RING_MASK));
        this.entries = ringMem.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, cqOff + CQ_OFF_RING_ENTRIES));
    }

    public int entries() {
        return entries;
    }

    public int ready() {
        return (int) INT.getAcquire(ringMem, tailOffset) - (int) INT.getOpaque(ringMem, headOffset);
    }

    /** CQEs the kernel could not post because the CQ was full (it keeps them when it has NODROP). */
    public int overflow() {
        return (int) INT.getOpaque(ringMem, overflowOffset);
    }

    /**
     * Hands every ready CQE to {@code handler}, then frees their slots. A handler may prepare
     * new SQEs; it must not re-enter {@code drain}.
     */
    public int drain(CompletionHandler handler) {
        int head = (int) INT.getOpaque(ringMem, headOffset);
        int tail = (int) INT.getAcquire(ringMem, tailOffset);
        if (head == tail) {
            return 0;
        }
        int n = tail - head;
        try {
            while (head != tail) {
                long cqe = cqesOffset + (long) (head & mask) * CQE_SIZE;
                long userData = ringMem.get(ValueLayout.JAVA_LONG, cqe + CQE_USER_DATA);
                int res = ringMem.get(ValueLayout.JAVA_INT, cqe + CQE_RES);
                int flags = ringMem.get(ValueLayout.JAVA_INT, cqe + CQE_FLAGS);
                // Consumed before it is handled: a handler that throws must not see it again.
                head++;
                handler.complete(userData, res, flags);
            }
        } finally {
            INT.setRelease(ringMem, headOffset, head);
        }
        return n;
    }
}
