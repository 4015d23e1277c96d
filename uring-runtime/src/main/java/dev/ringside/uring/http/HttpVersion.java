package dev.ringside.uring.http;

/** The two versions a request line may carry; anything else is rejected while parsing. */
public enum HttpVersion {
    HTTP_1_0,
    HTTP_1_1
}
