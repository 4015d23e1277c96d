package dev.ringside.uring.http;

/** Operation codes in user_data for the HTTP driver's SQEs (see {@link dev.ringside.uring.ring.UserData}). */
final class Ops {
    private Ops() {}

    static final int ACCEPT = 1;
    static final int RECV = 2;
    static final int SEND = 3;
    static final int SPLICE_IN = 4;
    static final int SPLICE_OUT = 5;
    static final int READ_BODY = 6;
    static final int CANCEL = 7;
    static final int CLOSE = 8;
    static final int SHUTDOWN = 9;
}
