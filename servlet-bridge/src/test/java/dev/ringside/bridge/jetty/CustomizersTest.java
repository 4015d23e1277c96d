package dev.ringside.bridge.jetty;

import dev.ringside.uring.testing.RawHttp;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.ProxyCustomizer;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.ringside.bridge.jetty.TestApp.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What deployments add to the {@link HttpConfiguration} a plaintext connector shares (jetty-home's
 * {@code forwarded} module, an embedder's {@code SecureRequestCustomizer} for its HTTPS connector, a
 * PROXY-protocol setup's {@code ProxyCustomizer}) and a request log reading the connection: on Ringside's
 * connector they see the connection Jetty's own connector shows them. Each request is asked of Jetty's
 * own {@code ServerConnector} in the same server too, with the same configuration, and the spec is that
 * both answer (and log) alike.
 */
class CustomizersTest {
    private static final String LOG_FORMAT = "%{local}a:%{local}p %{remote}a:%{remote}p %k %X %s %U";

    private final BlockingQueue<String> logged = new LinkedBlockingQueue<>();
    private JettyOnRingside jetty;

    @BeforeEach
    void start() throws Exception {
        HttpConfiguration http = new HttpConfiguration();
        // A year of Strict-Transport-Security, as an HTTPS deployment sets it.
        http.addCustomizer(new SecureRequestCustomizer(false, 31_536_000, true));
        http.addCustomizer(new ProxyCustomizer());
        http.addCustomizer(new ForwardedRequestCustomizer());
        jetty = JettyOnRingside.besideJettysOwn(http, c -> {});
        jetty.server.setRequestLog(new CustomRequestLog(logged::add, LOG_FORMAT));
        jetty.start();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.close();
    }

    /** One request on a fresh connection: the answer's status, its Strict-Transport-Security, and the lines asked for. */
    private static List<String> ask(int port, String extraHeaders, String... keys) throws IOException {
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET /info HTTP/1.1\r\nHost: app.example:" + port + "\r\n" + extraHeaders + "\r\n");
            RawHttp.Response r = c.read();
            List<String> seen = new ArrayList<>(List.of("status=" + r.status(), "sts=" + r.header("strict-transport-security")));
            Map<String, String> info = lines(r.text());
            for (String k : keys) {
                seen.add(k + "=" + info.get(k));
            }
            return seen;
        }
    }

    @Test
    void aSecureRequestCustomizerLeavesAPlainRequestPlain() throws Exception {
        List<String> jettys = ask(jetty.jettys.getLocalPort(), "", "secure", "scheme");
        // Jetty 12.1 sends its Strict-Transport-Security on plaintext requests too (browsers ignore it there).
        assertEquals(List.of("status=200", "sts=max-age=31536000; includeSubDomains", "secure=false", "scheme=http"), jettys);
        assertEquals(jettys, ask(jetty.port(), "", "secure", "scheme"));
    }

    @Test
    void aForwardedRequestCustomizerTakesTheProxysWordAsOnJettysOwn() throws Exception {
        String[] keys = {"remoteAddr", "secure", "scheme", "serverName", "serverPort"};
        for (String headers : List.of(
                "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\n",
                "Forwarded: for=198.51.100.2;proto=https;host=shop.example:8443\r\n")) {
            List<String> jettys = ask(jetty.jettys.getLocalPort(), headers, keys);
            assertEquals("secure=true", jettys.get(3), jettys::toString);
            assertEquals("serverName=shop.example", jettys.get(5), jettys::toString);
            assertEquals(jettys, ask(jetty.port(), headers, keys), headers);
        }
    }

    @Test
    void aRequestLogWritesTheConnectionsAddressesAndRequestCountAsForJettysOwn() throws Exception {
        for (int port : jetty.ports()) {
            try (RawHttp c = new RawHttp(port)) {
                String socket = "127.0.0.1:" + port + " 127.0.0.1:" + c.socket().getLocalPort();
                for (int i = 1; i <= 3; i++) {
                    c.send("GET /info HTTP/1.1\r\nHost: x\r\n" + (i == 3 ? "Connection: close\r\n" : "") + "\r\n");
                    assertEquals(200, c.read().status());
                    // %k: the connection's requests so far; %X: "+" kept alive, "-" closed after this one.
                    assertEquals(socket + " " + i + " " + (i == 3 ? "-" : "+") + " 200 /info", nextLogLine(), "port " + port);
                }
            }
        }
    }

    /** Jetty logs as a request completes, which may be just after its client has the answer: a bounded wait. */
    private String nextLogLine() throws InterruptedException {
        String line = logged.poll(10, TimeUnit.SECONDS);
        assertNotNull(line, "nothing logged");
        return line;
    }
}
