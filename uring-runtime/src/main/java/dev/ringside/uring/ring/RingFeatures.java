package dev.ringside.uring.ring;

import dev.ringside.uring.sys.IoUringSyscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static dev.ringside.uring.sys.IoUringConstants.*;
import static dev.ringside.uring.sys.IoUringLayouts.*;

/**
 * What a ring turned out to have: the set-up flags the kernel accepted, its feature bits, the
 * opcodes IORING_REGISTER_PROBE reports, and the derived choices (multishot, buffer rings,
 * splice, socket) after the caller's {@link RingOptions} were applied. Immutable; probed once per ring.
 */
public record RingFeatures(int setupFlags, int kernelFeatures, int sqEntries, int cqEntries,
                           long[] supportedOps, KernelVersion kernel, boolean multishotAccept,
                           boolean multishotRecv, boolean bufferRing, boolean splice, boolean socketOp) {

    static RingFeatures probe(int ringFd, int setupFlags, int kernelFeatures, int sqEntries, int cqEntries,
                              RingOptions options) {
        long[] ops = new long[4];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment probe = arena.allocate(PROBE_HEADER_SIZE + PROBE_OP_SIZE * 256, 8);
            if (IoUringSyscalls.register(ringFd, IORING_REGISTER_PROBE, probe, 256) >= 0) {
                int last = Byte.toUnsignedInt(probe.get(ValueLayout.JAVA_BYTE, PROBE_LAST_OP));
                for (int op = 0; op <= last && op < 256; op++) {
                    short flags = probe.get(ValueLayout.JAVA_SHORT,
                            PROBE_HEADER_SIZE + PROBE_OP_SIZE * op + PROBE_OP_FLAGS);
                    if ((flags & IO_URING_OP_SUPPORTED) != 0) {
                        ops[op >>> 6] |= 1L << (op & 63);
                    }
                }
            }
        }
        KernelVersion kernel = KernelVersion.running();
        boolean accept = has(ops, IORING_OP_ACCEPT);
        boolean recv = has(ops, IORING_OP_RECV);
        return new RingFeatures(setupFlags, kernelFeatures, sqEntries, cqEntries, ops, kernel,
                options.multishot() && accept && kernel.atLeast(5, 19),
                options.multishot() && recv && kernel.atLeast(6, 0),
                options.bufferRing() && kernel.atLeast(5, 19),
                options.splice() && has(ops, IORING_OP_SPLICE),
                options.socketOp() && has(ops, IORING_OP_SOCKET));
    }

    private static boolean has(long[] ops, int op) {
        return (ops[op >>> 6] & (1L << (op & 63))) != 0;
    }

    public boolean supports(int opcode) {
        return has(supportedOps, opcode);
    }

    public boolean deferTaskrun() {
        return (setupFlags & IORING_SETUP_DEFER_TASKRUN) != 0;
    }

    public boolean singleIssuer() {
        return (setupFlags & IORING_SETUP_SINGLE_ISSUER) != 0;
    }

    public boolean coopTaskrun() {
        return (setupFlags & IORING_SETUP_COOP_TASKRUN) != 0;
    }

    public boolean extArg() {
        return (kernelFeatures & IORING_FEAT_EXT_ARG) != 0;
    }

    public boolean cqeSkip() {
        return (kernelFeatures & IORING_FEAT_CQE_SKIP) != 0;
    }

    /** The one-line summary for the start log. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("kernel " + kernel);
        if (singleIssuer()) parts.add("SINGLE_ISSUER");
        if (deferTaskrun()) parts.add("DEFER_TASKRUN");
        if (coopTaskrun()) parts.add("COOP_TASKRUN");
        parts.add(multishotAccept ? "multishot accept" : "single-shot accept");
        parts.add(multishotRecv ? "multishot recv" : "single-shot recv");
        parts.add(bufferRing ? "provided-buffer ring" : "per-recv buffers");
        parts.add(splice ? "splice" : "read+send bodies");
        parts.add(socketOp ? "socket op" : "socket(2)");
        return String.join(", ", parts);
    }
}
