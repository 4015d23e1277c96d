package dev.ringside.samples.servlet;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /token/T[?size=N]} → {@code text/plain}, no Content-Length (so chunked): lines
 * {@code T@0000000000\n}, each with the body offset it starts at in ten digits, cut at N bytes
 * (default: one line), so every byte of an answer says whose it is and where it belongs. {@code fail=before} throws before writing (web.xml's 500 error page, whose
 * {@code uri=} shows T); {@code fail=after} throws once the N bytes are written and flushed (the
 * response is committed: the container can only cut it short). {@code async=never} starts async
 * with {@code timeout} ms (default 1000) and never completes it: the container's async timeout
 * answers (500, the same error page).
 */
@WebServlet(urlPatterns = "/token/*", asyncSupported = true)
public class TokenServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException, FailServlet.SampleFailure {
        String token = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
        if ("never".equals(req.getParameter("async"))) {
            String timeout = req.getParameter("timeout");
            req.startAsync().setTimeout(timeout == null ? 1000 : Long.parseLong(timeout));
            return;
        }
        String fail = req.getParameter("fail");
        if ("before".equals(fail)) {
            throw new FailServlet.SampleFailure("token " + token + " failed before writing");
        }
        String size = req.getParameter("size");
        long n = size == null ? token.length() + 12 : Long.parseLong(size);
        res.setContentType("text/plain;charset=UTF-8");
        byte[] at = (token + "@").getBytes(StandardCharsets.UTF_8);
        int line = at.length + 11;
        byte[] block = new byte[Math.max(1, 8192 / line) * line];
        OutputStream out = res.getOutputStream();
        for (long offset = 0; offset < n; offset += block.length) {
            for (int p = 0; p < block.length; p += line) {
                System.arraycopy(at, 0, block, p, at.length);
                long v = offset + p;
                for (int d = p + line - 2; d >= p + at.length; d--, v /= 10) block[d] = (byte) ('0' + v % 10);
                block[p + line - 1] = '\n';
            }
            out.write(block, 0, (int) Math.min(block.length, n - offset));
        }
        if ("after".equals(fail)) {
            out.flush();
            throw new FailServlet.SampleFailure("token " + token + " failed after writing " + n + " bytes");
        }
    }
}
