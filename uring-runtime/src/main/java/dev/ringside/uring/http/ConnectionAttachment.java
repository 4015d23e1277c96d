package dev.ringside.uring.http;

/**
 * What a handler keeps with one connection across its requests (see {@link HttpExchange#attach}): a
 * container adapter's description of the connection, made once instead of once per request.
 */
public interface ConnectionAttachment {
    /**
     * On the loop, once, when the connection has closed and its slot is being freed (a worker may
     * still be finishing a request of it: its reads and writes fail). Must not block; an exception
     * is logged and otherwise ignored.
     */
    void connectionClosed();
}
