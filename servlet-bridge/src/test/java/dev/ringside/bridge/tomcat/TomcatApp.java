package dev.ringside.bridge.tomcat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An embedded Tomcat with one small application behind two connectors: Tomcat's own NIO
 * connector and a Ringside one. Tests send the same request to both and compare.
 */
final class TomcatApp implements AutoCloseable {
    final Tomcat tomcat = new Tomcat();
    final Connector plain;
    final Connector ringside;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    TomcatApp(Path base) throws Exception {
        tomcat.setBaseDir(base.toString());
        plain = new Connector("HTTP/1.1");
        plain.setPort(0);
        plain.setProperty("address", "127.0.0.1");
        ringside = new Connector(RingsideProtocol.class.getName());
        ringside.setPort(0);
        ringside.setProperty("address", "127.0.0.1");
        ringside.setProperty("compression", "on");
        ringside.setProperty("compressionMinSize", "2048");
        plain.setProperty("compression", "on");
        plain.setProperty("compressionMinSize", "2048");
        tomcat.getService().addConnector(plain);
        tomcat.getService().addConnector(ringside);
        tomcat.setConnector(plain);
        Path docs = java.nio.file.Files.createDirectories(base.resolve("docs"));
        byte[] file = new byte[300_000];
        new java.util.Random(11).nextBytes(file);
        java.nio.file.Files.write(docs.resolve("file.bin"), file);
        java.nio.file.Files.writeString(docs.resolve("small.txt"), "a small static file\n");
        Context ctx = tomcat.addContext("", docs.toString());
        Tomcat.addServlet(ctx, "default", new org.apache.catalina.servlets.DefaultServlet());
        ctx.addServletMappingDecoded("/", "default");
        servlets(ctx);
        tomcat.start();
    }

    int plainPort() {
        return plain.getLocalPort();
    }

    int ringsidePort() {
        return ringside.getLocalPort();
    }

    RingsideProtocol protocol() {
        return (RingsideProtocol) ringside.getProtocolHandler();
    }

    @Override
    public void close() throws Exception {
        later.shutdownNow();
        tomcat.stop();
        tomcat.destroy();
    }

    private void servlets(Context ctx) {
        add(ctx, "hello", "/hello", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().write("hello " + req.getParameter("name") + " " + req.getHeader("X-Thing"));
            }
        });
        add(ctx, "thread", "/thread", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().write("virtual=" + Thread.currentThread().isVirtual());
            }
        });
        add(ctx, "echo", "/echo", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("application/octet-stream");
                req.getInputStream().transferTo(resp.getOutputStream());
            }
        });
        add(ctx, "form", "/form", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().write("a=" + req.getParameter("a") + " b=" + req.getParameter("b"));
            }
        });
        add(ctx, "big", "/big", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                int n = Integer.parseInt(req.getParameter("n"));
                resp.setContentType("application/octet-stream");
                if (req.getParameter("length") != null) {
                    resp.setContentLengthLong(n);
                }
                ServletOutputStream out = resp.getOutputStream();
                byte[] block = new byte[4099];
                for (int i = 0; i < block.length; i++) {
                    block[i] = (byte) (i * 31);
                }
                for (int left = n; left > 0; left -= block.length) {
                    out.write(block, 0, Math.min(left, block.length));
                    if (req.getParameter("flush") != null) {
                        out.flush();
                    }
                }
            }
        });
        add(ctx, "text", "/text", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().write("compressible ".repeat(1000));
            }
        });
        add(ctx, "session", "/session", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                HttpSession s = req.getSession();
                Integer n = (Integer) s.getAttribute("n");
                n = n == null ? 1 : n + 1;
                s.setAttribute("n", n);
                resp.getWriter().write("visits=" + n);
            }
        });
        add(ctx, "who", "/who", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write(req.getRemoteAddr() + " " + (req.getRemotePort() > 0) + " "
                        + req.getLocalAddr() + " " + req.getLocalPort() + " " + req.getLocalName() + " "
                        + req.isSecure() + " " + req.getScheme() + " " + req.getServerName() + " "
                        + req.getServerPort() + " " + req.getProtocol() + " " + req.getMethod() + " "
                        + req.getRequestURI() + " " + req.getQueryString());
            }
        });
        add(ctx, "fail", "/fail", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                throw new IllegalStateException("on purpose");
            }
        });
        add(ctx, "error", "/error-page", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().write("error page for " + req.getAttribute("jakarta.servlet.error.status_code"));
            }
        });
        ErrorPage page = new ErrorPage();
        page.setErrorCode(500);
        page.setLocation("/error-page");
        ctx.addErrorPage(page);
        add(ctx, "async", "/async", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                AsyncContext a = req.startAsync();
                later.schedule(() -> {
                    try {
                        a.getResponse().getWriter().write("async done");
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                    a.complete();
                }, 20, TimeUnit.MILLISECONDS);
            }
        }).setAsyncSupported(true);
        add(ctx, "dispatch", "/async-dispatch", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                AsyncContext a = req.startAsync();
                later.schedule(() -> a.dispatch("/hello"), 10, TimeUnit.MILLISECONDS);
            }
        }).setAsyncSupported(true);
        add(ctx, "timeout", "/async-timeout", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                AsyncContext a = req.startAsync();
                a.setTimeout(300);
                a.addListener(new AsyncListener() {
                    @Override
                    public void onTimeout(AsyncEvent e) throws IOException {
                        HttpServletResponse r = (HttpServletResponse) e.getAsyncContext().getResponse();
                        r.setStatus(504);
                        r.getWriter().write("timed out");
                        e.getAsyncContext().complete();
                    }

                    @Override
                    public void onComplete(AsyncEvent e) {
                    }

                    @Override
                    public void onError(AsyncEvent e) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent e) {
                    }
                });
            }
        }).setAsyncSupported(true);
        add(ctx, "nbread", "/nb-read", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                AsyncContext a = req.startAsync();
                ServletInputStream in = req.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                in.setReadListener(new ReadListener() {
                    final byte[] buf = new byte[1000];

                    @Override
                    public void onDataAvailable() throws IOException {
                        while (in.isReady()) {
                            int n = in.read(buf);
                            if (n < 0) {
                                return;
                            }
                            got.write(buf, 0, n);
                        }
                    }

                    @Override
                    public void onAllDataRead() throws IOException {
                        a.getResponse().getWriter().write("read " + got.size() + " bytes, sum "
                                + sum(got.toByteArray()));
                        a.complete();
                    }

                    @Override
                    public void onError(Throwable t) {
                        a.complete();
                    }
                });
            }
        }).setAsyncSupported(true);
        add(ctx, "nbwrite", "/nb-write", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                AsyncContext a = req.startAsync();
                ServletOutputStream out = resp.getOutputStream();
                int total = Integer.parseInt(req.getParameter("n"));
                out.setWriteListener(new WriteListener() {
                    int left = total;

                    @Override
                    public void onWritePossible() throws IOException {
                        byte[] block = new byte[8192];
                        java.util.Arrays.fill(block, (byte) 'w');
                        while (out.isReady()) {
                            if (left == 0) {
                                a.complete();
                                return;
                            }
                            int n = Math.min(left, block.length);
                            out.write(block, 0, n);
                            left -= n;
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        a.complete();
                    }
                });
            }
        }).setAsyncSupported(true);
        FilterDef fd = new FilterDef();
        fd.setFilterName("stamp");
        fd.setFilter((Filter) (req, resp, chain) -> {
            ((HttpServletResponse) resp).setHeader("X-Filtered", "yes");
            chain.doFilter(req, resp);
        });
        ctx.addFilterDef(fd);
        FilterMap fm = new FilterMap();
        fm.setFilterName("stamp");
        fm.addURLPattern("/*");
        ctx.addFilterMap(fm);
    }

    private static org.apache.catalina.Wrapper add(Context ctx, String name, String pattern, HttpServlet s) {
        org.apache.catalina.Wrapper w = Tomcat.addServlet(ctx, name, s);
        ctx.addServletMappingDecoded(pattern, name);
        return w;
    }

    static long sum(byte[] b) {
        long s = 0;
        for (byte x : b) {
            s = s * 31 + x;
        }
        return s;
    }

    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
