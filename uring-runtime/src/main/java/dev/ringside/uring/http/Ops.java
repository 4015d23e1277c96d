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
    // A tunnel's steps, on the client connection's slot; data = the direction (Tunnel.UP, Tunnel.DOWN).
    static final int TUNNEL_SOCKET = 10;
    static final int TUNNEL_CONNECT = 11;
    static final int TUNNEL_RECV = 12;
    static final int TUNNEL_SEND = 13;
    static final int TUNNEL_SHUTDOWN = 14;
}
