package dev.ringside.bridge.tomcat;

import dev.ringside.bridge.router.StaticRouter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static dev.ringside.bridge.router.StaticRouter.Route.APP;
import static dev.ringside.bridge.router.StaticRouter.Route.STATIC;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The router reads a real, started Tomcat context (its default and JSP servlets from Tomcat's
 * own defaults, the application's servlets, filters and constraints) and sends to the static
 * path only what Tomcat's DefaultServlet would have answered untouched.
 */
class StaticRouterOnTomcatTest {
    @TempDir
    Path base;
    @TempDir
    Path docBase;
    private Tomcat tomcat;

    @AfterEach
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
            tomcat = null;
        }
    }

    private StaticRouter routerFor(Consumer<Context> app) throws Exception {
        for (String f : new String[]{"index.html", "css/site.css", "docs/index.html", "secure/a.html", "page.jsp",
                "jsp-welcome/index.jsp", "WEB-INF/web.xml", "api/data.json"}) {
            Path p = docBase.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.endsWith(".xml")
                    ? "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.1\"/>" : f);
        }
        stop(); // a test may build more than one
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        Context ctx = tomcat.addWebapp("", docBase.toString());
        // Nothing on the test class path is a web fragment: skip the scan (fast, and independent of it).
        org.apache.tomcat.util.scan.StandardJarScanner scanner = new org.apache.tomcat.util.scan.StandardJarScanner();
        scanner.setScanClassPath(false);
        ctx.setJarScanner(scanner);
        // The Jetty tests' WebSocket initializer is on the same class path; it is Jetty's, not this app's.
        ctx.setContainerSciFilter("org\\.eclipse\\.jetty\\..*");
        // After Tomcat's own configuration (its default web.xml), as an application's web.xml would.
        ctx.addLifecycleListener(event -> {
            if (org.apache.catalina.Lifecycle.CONFIGURE_START_EVENT.equals(event.getType())) {
                app.accept(ctx);
            }
        });
        tomcat.start();
        return new StaticRouter(TomcatWebAppFacts.from(ctx));
    }

    private static void servlet(Context ctx, String name, String... patterns) {
        Wrapper w = Tomcat.addServlet(ctx, name, new HttpServlet() { });
        for (String p : patterns) {
            ctx.addServletMappingDecoded(p, name);
        }
        assertNotNull(w);
    }

    private static void filter(Context ctx, String name, String pattern) {
        FilterDef def = new FilterDef();
        def.setFilterName(name);
        def.setFilter((Filter) (req, res, chain) -> chain.doFilter(req, res));
        ctx.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName(name);
        map.addURLPattern(pattern);
        ctx.addFilterMap(map);
    }

    @Test
    void plainFilesThatNothingTouchesAreStatic() throws Exception {
        StaticRouter router = routerFor(ctx -> {
            servlet(ctx, "hello", "/hello");
            filter(ctx, "api", "/api/*");
            SecurityConstraint c = new SecurityConstraint();
            SecurityCollection coll = new SecurityCollection();
            coll.addPattern("/secure/*");
            c.addCollection(coll);
            c.addAuthRole("admin");
            ctx.addConstraint(c);
            LoginConfig login = new LoginConfig();
            login.setAuthMethod("BASIC");
            ctx.setLoginConfig(login);
        });
        assertEquals(STATIC, router.route("/index.html"));
        assertEquals(STATIC, router.route("/css/site.css"));
        assertEquals(docBase.resolve("css/site.css").toRealPath(), router.staticFile("/css/site.css"));
        assertEquals(STATIC, router.route("/docs/"), "a welcome file that is itself static");
        assertEquals(STATIC, router.route("/"), "the root's welcome file");

        assertEquals(APP, router.route("/hello"), "an application servlet");
        assertEquals(APP, router.route("/api/data.json"), "a file a filter applies to");
        assertEquals(APP, router.route("/secure/a.html"), "a file under a security constraint");
        assertEquals(APP, router.route("/page.jsp"), "Tomcat's JSP servlet claims *.jsp");
        assertEquals(APP, router.route("/jsp-welcome/"), "a welcome file that is a JSP");
        assertEquals(APP, router.route("/WEB-INF/web.xml"));
        assertEquals(APP, router.route("/missing.html"), "a missing file: the application's 404 page");
        assertEquals(APP, router.route("/docs"), "the redirect to /docs/ is the container's");
    }

    @Test
    void aFilterOnEverythingLeavesNothingStatic() throws Exception {
        StaticRouter router = routerFor(ctx -> filter(ctx, "all", "/*"));
        assertEquals(APP, router.route("/index.html"));
        assertEquals(APP, router.route("/css/site.css"));
    }

    @Test
    void tomcatsWebSocketFilterOnEverythingLeavesPlainFilesStatic() throws Exception {
        // What WsSci adds to every app with a WebSocket endpoint; it only acts on upgrades,
        // and upgrades never take the static path.
        StaticRouter router = routerFor(ctx -> {
            filter(ctx, "Tomcat WebSocket (JSR356) Filter", "/*");
            ctx.findFilterDef("Tomcat WebSocket (JSR356) Filter").setFilterClass(TomcatWebAppFacts.WEBSOCKET_FILTER);
        });
        assertEquals(STATIC, router.route("/css/site.css"));
        StaticRouter other = routerFor(ctx -> filter(ctx, "an app's own", "/*"));
        assertEquals(APP, other.route("/css/site.css"), "any other filter on /* still counts");
    }

    @Test
    void aFrontControllerOnTheDefaultMappingTakesEverything() throws Exception {
        // Spring's DispatcherServlet on "/": the container's DefaultServlet no longer answers anything.
        StaticRouter router = routerFor(ctx -> servlet(ctx, "dispatcher", "/"));
        assertEquals(APP, router.route("/index.html"));
    }
}
