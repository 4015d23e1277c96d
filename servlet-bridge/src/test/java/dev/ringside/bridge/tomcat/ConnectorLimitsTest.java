package dev.ringside.bridge.tomcat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The head limits the app configured on its connector are the limits Ringside enforces, each
 * exactly at its edge: maxHttpHeaderSize bounds the request line (414 past it) and the field
 * lines (431 past it), maxHeaderCount the number of fields (431 past it); every rejection
 * closes the connection and never reaches a servlet.
 */
class ConnectorLimitsTest {
    private static final int HEADER_SIZE = 2048;
    private static final int HEADER_COUNT = 10;

    @TempDir
    Path base;
    private Tomcat tomcat;
    private Connector connector;
    private volatile int served;

    @BeforeEach
    void start() throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        connector = new Connector(RingsideProtocol.class.getName());
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxHttpHeaderSize", Integer.toString(HEADER_SIZE));
        connector.setProperty("maxHeaderCount", Integer.toString(HEADER_COUNT));
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", base.toString());
        Tomcat.addServlet(ctx, "ok", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                served++;
                resp.getWriter().write("ok");
            }
        });
        ctx.addServletMappingDecoded("/*", "ok");
        tomcat.start();
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    private String exchange(String head) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), connector.getLocalPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** A request line of exactly {@code length} bytes (CRLF not counted). */
    private static String requestLine(int length) {
        String fixed = "GET /" + " HTTP/1.1";
        return "GET /" + "a".repeat(length - fixed.length()) + " HTTP/1.1";
    }

    /** Field lines of exactly {@code bytes} bytes including the empty line's CRLF. */
    private static String fields(int bytes) {
        String close = "Connection: close\r\n";
        String host = "Host: x\r\n";
        int pad = bytes - close.length() - host.length() - "X-Pad: \r\n".length() - 2;
        return host + close + "X-Pad: " + "p".repeat(pad) + "\r\n\r\n";
    }

    @Test
    void requestLineAtTheLimitPassesOneMoreIs414() throws Exception {
        assertTrue(exchange(requestLine(HEADER_SIZE) + "\r\n" + fields(100)).startsWith("HTTP/1.1 200 "));
        String r = exchange(requestLine(HEADER_SIZE + 1) + "\r\n" + fields(100));
        assertTrue(r.startsWith("HTTP/1.1 414 "), r);
        assertEquals(1, served);
    }

    @Test
    void fieldsAtTheLimitPassOneMoreByteIs431() throws Exception {
        assertTrue(exchange("GET /x HTTP/1.1\r\n" + fields(HEADER_SIZE)).startsWith("HTTP/1.1 200 "));
        String r = exchange("GET /x HTTP/1.1\r\n" + fields(HEADER_SIZE + 1));
        assertTrue(r.startsWith("HTTP/1.1 431 "), r);
        assertEquals(1, served);
    }

    @Test
    void headerCountAtTheLimitPassesOneMoreIs431() throws Exception {
        StringBuilder ok = new StringBuilder("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
        for (int i = 2; i < HEADER_COUNT; i++) {
            ok.append("X-").append(i).append(": v\r\n");
        }
        assertTrue(exchange(ok + "\r\n").startsWith("HTTP/1.1 200 "));
        String r = exchange(ok + "X-Last: v\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 431 "), r);
        assertEquals(1, served);
    }
}
