package dev.ringside.samples.servlet;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST|PUT /echo} → the request body as-is (Content-Length or chunked), with the request's
 * Content-Type; {@code X-Echo-Length} says how many bytes were read.
 */
@WebServlet("/echo")
public class EchoServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        echo(req, res);
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse res) throws IOException {
        echo(req, res);
    }

    private static void echo(HttpServletRequest req, HttpServletResponse res) throws IOException {
        byte[] body = req.getInputStream().readAllBytes();
        String type = req.getContentType();
        res.setContentType(type != null ? type : "application/octet-stream");
        res.setHeader("X-Echo-Length", Integer.toString(body.length));
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }
}
