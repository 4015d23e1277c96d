package dev.ringside.uring.http;

import java.lang.foreign.MemorySegment;

/**
 * The request's framing and connection facts, gathered from the fields that carry them as each
 * line completes, and the RFC 9112 rules between them (request smuggling lives here). Kept apart
 * from the scanner so that the byte grammar and the message semantics change separately.
 */
final class MessageFraming {

    long contentLength;
    boolean chunked;
    boolean keepAlive;
    /** "keep-alive" is among the Connection options, whatever the version. */
    boolean keepAliveAsked;
    boolean expectContinue;
    boolean upgrade;

    private int hostCount;
    /** FieldValues.CODING_* summary of all Transfer-Encoding lines; 0 without any. */
    private int codings;
    /** FieldValues.CONNECTION_* options of all Connection lines. */
    private int connection;

    void reset() {
        contentLength = -1;
        chunked = keepAlive = keepAliveAsked = expectContinue = upgrade = false;
        hostCount = 0;
        codings = 0;
        connection = 0;
    }

    /** Takes in the value [vs, ve) of a known field; 0, or the status when it breaks a rule. */
    int field(KnownHeader h, MemorySegment seg, long vs, long ve) {
        switch (h) {
            case HOST -> {
                // RFC 9112 §3.2: more than one Host, or an invalid one, is a 400.
                if (++hostCount > 1 || !FieldValues.validHost(seg, vs, ve)) return 400;
            }
            case CONTENT_LENGTH -> {
                // Two Content-Lengths, even equal, are refused: a smuggling vector with no honest use.
                if (contentLength >= 0) return 400;
                contentLength = FieldValues.contentLength(seg, vs, ve);
                if (contentLength < 0) return 400;
            }
            case TRANSFER_ENCODING -> {
                codings = FieldValues.transferCodings(seg, vs, ve, codings);
                if ((codings & FieldValues.INVALID) != 0) return 400;
            }
            case CONNECTION -> {
                int options = FieldValues.connectionOptions(seg, vs, ve);
                if ((options & FieldValues.INVALID) != 0) return 400;
                connection |= options;
            }
            case EXPECT -> expectContinue |= FieldValues.isContinue(seg, vs, ve);
            case UPGRADE -> upgrade = true;
            default -> {}
        }
        return 0;
    }

    /** Checks the head as a whole once it is complete and derives the facts; 0, or the status to answer. */
    int end(boolean http11) {
        if (http11 && hostCount == 0) return 400;
        if (codings != 0) {
            // RFC 9112 §6.1 and §6.3: an HTTP/1.0 Transfer-Encoding, or one with a Content-Length,
            // or one not ending in a single chunked, leaves the body length unknowable: 400.
            if (!http11 || contentLength >= 0) return 400;
            if ((codings & FieldValues.CODING_EMPTY) != 0) return 400;
            if ((codings & FieldValues.CODING_LAST_CHUNKED) == 0) return 400;
            if ((codings & FieldValues.CODING_CHUNKED_TWICE) != 0) return 400;
            // gzip, chunked and the like are well-formed, but we decode no coding but chunked.
            if ((codings & FieldValues.CODING_OTHER) != 0) return 501;
            chunked = true;
        }
        boolean close = (connection & FieldValues.CONNECTION_CLOSE) != 0;
        keepAliveAsked = (connection & FieldValues.CONNECTION_KEEP_ALIVE) != 0;
        keepAlive = http11 ? !close : !close && (connection & FieldValues.CONNECTION_KEEP_ALIVE) != 0;
        // RFC 9110 §10.1.1 and §7.8: HTTP/1.0 expectations and upgrades are ignored.
        expectContinue &= http11;
        upgrade &= http11 && (connection & FieldValues.CONNECTION_UPGRADE) != 0;
        return 0;
    }
}
