package dev.ringside.samples.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /async[?delay=ms][&timeout=ms]} — starts async, and a timer thread completes the
 * response "async done" after {@code delay} (default 50 ms). If {@code timeout} (default 5000 ms)
 * comes first, the timeout handler answers 503 "async timeout".
 */
@WebServlet(urlPatterns = "/async", asyncSupported = true)
public class AsyncServlet extends HttpServlet {
    private ScheduledExecutorService timer;

    @Override
    public void init() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sample-async-timer");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) {
        long delay = longParam(req, "delay", 50);
        long timeout = longParam(req, "timeout", 5000);
        AtomicBoolean done = new AtomicBoolean();
        AsyncContext async = req.startAsync();
        async.setTimeout(timeout);
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) throws IOException {
                if (done.compareAndSet(false, true)) {
                    HttpServletResponse r = (HttpServletResponse) event.getAsyncContext().getResponse();
                    r.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                    r.setContentType("text/plain;charset=UTF-8");
                    r.getWriter().print("async timeout");
                    event.getAsyncContext().complete();
                }
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
                done.set(true);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        String requester = Thread.currentThread().getName();
        timer.schedule(() -> {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                HttpServletResponse r = (HttpServletResponse) async.getResponse();
                r.setContentType("text/plain;charset=UTF-8");
                r.setHeader("X-Async-Started-On", requester);
                r.setHeader("X-Async-Completed-On", Thread.currentThread().getName());
                r.getWriter().print("async done");
            } catch (IOException | RuntimeException e) {
                log("async write failed", e);
            } finally {
                async.complete();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private static long longParam(HttpServletRequest req, String name, long dflt) {
        String v = req.getParameter(name);
        return v == null || v.isEmpty() ? dflt : Long.parseLong(v);
    }
}
