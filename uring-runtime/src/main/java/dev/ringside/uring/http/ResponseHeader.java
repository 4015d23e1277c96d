package dev.ringside.uring.http;

import java.nio.charset.StandardCharsets;

/** Response field names the runtime writes, each pre-encoded with its ": " separator. */
public enum ResponseHeader {
    ACCEPT_RANGES("Accept-Ranges"),
    ALLOW("Allow"),
    CACHE_CONTROL("Cache-Control"),
    CONNECTION("Connection"),
    CONTENT_ENCODING("Content-Encoding"),
    CONTENT_LENGTH("Content-Length"),
    CONTENT_RANGE("Content-Range"),
    CONTENT_TYPE("Content-Type"),
    DATE("Date"),
    ETAG("ETag"),
    KEEP_ALIVE("Keep-Alive"),
    LAST_MODIFIED("Last-Modified"),
    LOCATION("Location"),
    SERVER("Server"),
    TRANSFER_ENCODING("Transfer-Encoding"),
    VARY("Vary");

    final byte[] prefix;

    ResponseHeader(String name) {
        this.prefix = (name + ": ").getBytes(StandardCharsets.US_ASCII);
    }
}
