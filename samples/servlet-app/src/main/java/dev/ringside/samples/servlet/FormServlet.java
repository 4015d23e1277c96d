package dev.ringside.samples.servlet;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * {@code POST /form} ({@code application/x-www-form-urlencoded}) → the parameters as JSON,
 * names sorted, each with its list of values: {@code {"a":["1"],"b":["x y"]}}.
 */
@WebServlet("/form")
public class FormServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        req.setCharacterEncoding("UTF-8");
        StringJoiner json = new StringJoiner(",", "{", "}");
        for (Map.Entry<String, String[]> e : new TreeMap<>(req.getParameterMap()).entrySet()) {
            StringJoiner values = new StringJoiner(",", "[", "]");
            for (String v : e.getValue()) {
                values.add(Json.string(v));
            }
            json.add(Json.string(e.getKey()) + ":" + values);
        }
        res.setContentType("application/json;charset=UTF-8");
        res.getWriter().print(json);
    }
}
