package dev.ringside.uring.sys;

/**
 * Byte offsets of the io_uring ABI structs (x86-64 and every other 64-bit Linux: the structs
 * have no architecture-dependent padding). Fields are written at named offsets, as Netty does,
 * so an SQE never needs zeroing and a reader can check each against the header.
 */
public final class IoUringLayouts {
    private IoUringLayouts() {}

    // struct io_uring_params (120 bytes)
    public static final long PARAMS_SIZE = 120;
    public static final long PARAMS_SQ_ENTRIES = 0;
    public static final long PARAMS_CQ_ENTRIES = 4;
    public static final long PARAMS_FLAGS = 8;
    public static final long PARAMS_FEATURES = 20;
    public static final long PARAMS_SQ_OFF = 40;
    public static final long PARAMS_CQ_OFF = 80;

    // struct io_sqring_offsets, relative to PARAMS_SQ_OFF
    public static final long SQ_OFF_HEAD = 0;
    public static final long SQ_OFF_TAIL = 4;
    public static final long SQ_OFF_RING_MASK = 8;
    public static final long SQ_OFF_RING_ENTRIES = 12;
    public static final long SQ_OFF_FLAGS = 16;
    public static final long SQ_OFF_DROPPED = 20;
    public static final long SQ_OFF_ARRAY = 24;

    // struct io_cqring_offsets, relative to PARAMS_CQ_OFF
    public static final long CQ_OFF_HEAD = 0;
    public static final long CQ_OFF_TAIL = 4;
    public static final long CQ_OFF_RING_MASK = 8;
    public static final long CQ_OFF_RING_ENTRIES = 12;
    public static final long CQ_OFF_OVERFLOW = 16;
    public static final long CQ_OFF_CQES = 20;

    // struct io_uring_sqe (64 bytes)
    public static final long SQE_SIZE = 64;
    public static final long SQE_OPCODE = 0;
    public static final long SQE_FLAGS = 1;
    public static final long SQE_IOPRIO = 2;
    public static final long SQE_FD = 4;
    public static final long SQE_OFF = 8;
    public static final long SQE_ADDR = 16;
    public static final long SQE_LEN = 24;
    public static final long SQE_OP_FLAGS = 28;
    public static final long SQE_USER_DATA = 32;
    public static final long SQE_BUF_INDEX = 40;
    public static final long SQE_PERSONALITY = 42;
    public static final long SQE_SPLICE_FD_IN = 44;
    public static final long SQE_ADDR3 = 48;
    public static final long SQE_PAD2 = 56;

    // struct io_uring_cqe (16 bytes)
    public static final long CQE_SIZE = 16;
    public static final long CQE_USER_DATA = 0;
    public static final long CQE_RES = 8;
    public static final long CQE_FLAGS = 12;

    // struct io_uring_probe: 16-byte header, then 8 bytes per op
    public static final long PROBE_HEADER_SIZE = 16;
    public static final long PROBE_LAST_OP = 0;
    public static final long PROBE_OP_SIZE = 8;
    public static final long PROBE_OP_FLAGS = 2;

    // struct io_uring_buf_reg (40 bytes)
    public static final long BUF_REG_SIZE = 40;
    public static final long BUF_REG_RING_ADDR = 0;
    public static final long BUF_REG_RING_ENTRIES = 8;
    public static final long BUF_REG_BGID = 12;

    // struct io_uring_buf (16 bytes); the ring's u16 tail overlays bufs[0].resv at offset 14
    public static final long BUF_SIZE = 16;
    public static final long BUF_ADDR = 0;
    public static final long BUF_LEN = 8;
    public static final long BUF_BID = 12;
    public static final long BUF_RING_TAIL = 14;

    // struct __kernel_timespec
    public static final long TIMESPEC_SIZE = 16;
    public static final long TIMESPEC_SEC = 0;
    public static final long TIMESPEC_NSEC = 8;

    // struct io_uring_getevents_arg (24 bytes)
    public static final long GETEVENTS_ARG_SIZE = 24;
    public static final long GETEVENTS_ARG_TS = 16;
}
