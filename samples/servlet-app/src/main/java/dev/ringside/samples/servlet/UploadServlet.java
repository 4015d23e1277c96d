package dev.ringside.samples.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.MultipartConfig;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.util.StringJoiner;

/**
 * {@code POST /upload} ({@code multipart/form-data}) → one JSON object per part, in order:
 * {@code [{"name":"file","filename":"a.txt","size":1234}, ...]} ({@code filename} is null for plain fields).
 */
@WebServlet("/upload")
@MultipartConfig(maxFileSize = 16 * 1024 * 1024, maxRequestSize = 32 * 1024 * 1024, fileSizeThreshold = 64 * 1024)
public class UploadServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException, ServletException {
        StringJoiner json = new StringJoiner(",", "[", "]");
        for (Part part : req.getParts()) {
            String filename = part.getSubmittedFileName();
            json.add("{\"name\":" + Json.string(part.getName())
                    + ",\"filename\":" + (filename == null ? "null" : Json.string(filename))
                    + ",\"size\":" + part.getSize() + "}");
        }
        res.setContentType("application/json;charset=UTF-8");
        res.getWriter().print(json);
    }
}
