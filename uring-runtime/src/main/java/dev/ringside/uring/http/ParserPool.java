package dev.ringside.uring.http;

/**
 * Request parsers of one loop, lent to a connection from the first byte of a head until its
 * response is done. An idle keep-alive connection holds none, so idle connections cost a
 * slot, not a parser's field arrays (about 2 KiB at the default limits). The pool grows to
 * the number of connections parsing or answering at once and then allocates no more.
 */
final class ParserPool {
    private final HttpLimits limits;
    private HttpRequestParser[] free = new HttpRequestParser[16];
    private int freeCount;
    private int inUse;

    ParserPool(HttpLimits limits) {
        this.limits = limits;
    }

    HttpRequestParser acquire() {
        inUse++;
        if (freeCount == 0) {
            return new HttpRequestParser(limits);
        }
        HttpRequestParser p = free[--freeCount];
        free[freeCount] = null;
        return p;
    }

    void release(HttpRequestParser p) {
        inUse--;
        p.reset();
        if (freeCount == free.length) {
            free = java.util.Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = p;
    }

    int inUse() {
        return inUse;
    }
}
