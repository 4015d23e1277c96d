package dev.ringside.uring.ring;

/**
 * What a ring may use. Every {@code true} here is a wish: the ring takes it only where the
 * kernel has it and falls back otherwise. Tests set a wish to {@code false} to force the fallback.
 *
 * @param entries        submission queue size (power of two; the kernel rounds up)
 * @param cqMultiplier   completion queue size as a multiple of {@code entries}; multishot
 *                       operations post many CQEs per SQE
 * @param taskrunFlags   SINGLE_ISSUER + DEFER_TASKRUN (or COOP_TASKRUN where older)
 * @param multishot      multishot ACCEPT and RECV
 * @param bufferRing     provided-buffer rings (IORING_REGISTER_PBUF_RING) for receives
 * @param splice         IORING_OP_SPLICE for file bodies (else read + send)
 * @param socketOp       IORING_OP_SOCKET for outgoing sockets (else the socket(2) call)
 */
public record RingOptions(int entries, int cqMultiplier, boolean taskrunFlags, boolean multishot,
                          boolean bufferRing, boolean splice, boolean socketOp) {

    public static RingOptions defaults() {
        return new RingOptions(1024, 4, true, true, true, true, true);
    }

    public RingOptions withEntries(int e) {
        return new RingOptions(e, cqMultiplier, taskrunFlags, multishot, bufferRing, splice, socketOp);
    }

    public RingOptions withTaskrunFlags(boolean v) {
        return new RingOptions(entries, cqMultiplier, v, multishot, bufferRing, splice, socketOp);
    }

    public RingOptions withMultishot(boolean v) {
        return new RingOptions(entries, cqMultiplier, taskrunFlags, v, bufferRing, splice, socketOp);
    }

    public RingOptions withBufferRing(boolean v) {
        return new RingOptions(entries, cqMultiplier, taskrunFlags, multishot, v, splice, socketOp);
    }

    public RingOptions withSplice(boolean v) {
        return new RingOptions(entries, cqMultiplier, taskrunFlags, multishot, bufferRing, v, socketOp);
    }

    public RingOptions withSocketOp(boolean v) {
        return new RingOptions(entries, cqMultiplier, taskrunFlags, multishot, bufferRing, splice, v);
    }
}
