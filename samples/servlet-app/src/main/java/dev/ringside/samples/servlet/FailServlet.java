package dev.ringside.samples.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /fail} throws; web.xml maps the exception to {@code /error.jsp} (status 500). */
@WebServlet("/fail")
public class FailServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws ServletException {
        throw new SampleFailure("sample failure on purpose");
    }

    /** The exception type web.xml's error page names. */
    public static class SampleFailure extends ServletException {
        public SampleFailure(String message) {
            super(message);
        }
    }
}
