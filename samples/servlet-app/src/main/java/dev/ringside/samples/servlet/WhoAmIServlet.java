package dev.ringside.samples.servlet;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /secure/whoami} (BASIC auth, role {@code sample}, see web.xml) → "user=NAME". */
@WebServlet("/secure/whoami")
public class WhoAmIServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setContentType("text/plain;charset=UTF-8");
        res.getWriter().print("user=" + req.getRemoteUser() + " sample=" + req.isUserInRole("sample"));
    }
}
