package dev.ringside.samples.servlet;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mapped to the application's servlets and JSPs in web.xml (not its static assets): each such request gets {@code X-Sample-Filter: on} and
 * {@code X-Sample-Count: n} (requests this filter has seen), so a test can prove the
 * application's own filter chain ran.
 */
public class SampleFilter extends HttpFilter {
    private static final AtomicLong COUNT = new AtomicLong();

    public static long count() {
        return COUNT.get();
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        res.setHeader("X-Sample-Filter", "on");
        res.setHeader("X-Sample-Count", Long.toString(COUNT.incrementAndGet()));
        chain.doFilter(req, res);
    }
}
