package dev.ringside.samples.servlet;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/** {@code GET /session} → the number of times this session has called it: 1, 2, 3, ... */
@WebServlet("/session")
public class SessionServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        HttpSession session = req.getSession(true);
        int count;
        synchronized (session) {
            Integer previous = (Integer) session.getAttribute("count");
            count = previous == null ? 1 : previous + 1;
            session.setAttribute("count", count);
        }
        res.setContentType("text/plain;charset=UTF-8");
        res.getWriter().print(count);
    }
}
