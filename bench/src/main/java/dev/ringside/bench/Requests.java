package dev.ringside.bench;

import java.nio.charset.StandardCharsets;

/** The request heads both parsers are measured on. */
final class Requests {

    static final String BROWSER = "GET /static/css/site.css?v=3 HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "Connection: keep-alive\r\n"
            + "sec-ch-ua: \"Chromium\";v=\"124\", \"Not-A.Brand\";v=\"99\"\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36\r\n"
            + "Accept: text/css,*/*;q=0.1\r\n"
            + "Sec-Fetch-Site: same-origin\r\n"
            + "Sec-Fetch-Mode: no-cors\r\n"
            + "Sec-Fetch-Dest: style\r\n"
            + "Referer: https://www.example.com/index.html\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-GB,en;q=0.9,fr;q=0.8\r\n"
            + "Cookie: session=8f2a9c1e77b04d2f; theme=dark\r\n"
            + "\r\n";

    static final String TINY = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    static final String POST = "POST /api/orders HTTP/1.1\r\n"
            + "Host: shop.example.com\r\n"
            + "Content-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: 348\r\n"
            + "\r\n";

    private Requests() {}

    static byte[] bytes(String name) {
        String head = switch (name) {
            case "browser" -> BROWSER;
            case "tiny" -> TINY;
            case "post" -> POST;
            default -> throw new IllegalArgumentException(name);
        };
        return head.getBytes(StandardCharsets.ISO_8859_1);
    }
}
