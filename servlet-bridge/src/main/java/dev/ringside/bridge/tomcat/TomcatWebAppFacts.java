package dev.ringside.bridge.tomcat;

import dev.ringside.bridge.router.UrlPatterns;
import dev.ringside.bridge.router.WebAppFacts;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.WebResource;
import org.apache.catalina.Wrapper;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a started Tomcat {@link Context} into the router's facts: its servlet mappings (all but
 * Tomcat's own DefaultServlet on "/"), the filters that run on a direct request, its security
 * constraints, its welcome files, and its resources (a path is a plain file only when Tomcat's
 * own WebResourceRoot resolves it to a regular file on disk, so Tomcat's rules on links,
 * case and resource jars hold unchanged).
 */
public final class TomcatWebAppFacts {
    static final String DEFAULT_SERVLET = "org.apache.catalina.servlets.DefaultServlet";

    private TomcatWebAppFacts() {}

    public static WebAppFacts from(Context context) {
        UrlPatterns servlets = new UrlPatterns();
        String defaultServletName = null;
        for (String pattern : context.findServletMappings()) {
            String name = context.findServletMapping(pattern);
            if (pattern.equals("/") && isContainerDefault(context.findChild(name))) {
                defaultServletName = name;
                continue;
            }
            servlets.add(pattern);
        }
        if (defaultServletName == null) {
            // No container default servlet on "/": the application answers everything itself.
            servlets.matchEverything();
        }

        UrlPatterns filters = new UrlPatterns();
        for (FilterMap map : context.findFilterMaps()) {
            if ((map.getDispatcherMapping() & FilterMap.REQUEST) == 0 || passesPlainRequests(context, map)) {
                continue;
            }
            if (map.getMatchAllUrlPatterns()) {
                filters.matchEverything();
            }
            for (String pattern : map.getURLPatterns()) {
                filters.add(pattern);
            }
            if (map.getMatchAllServletNames()) {
                filters.matchEverything();
            }
            for (String servletName : map.getServletNames()) {
                if (servletName.equals(defaultServletName)) {
                    filters.matchEverything();
                }
            }
        }

        UrlPatterns constrained = new UrlPatterns();
        for (SecurityConstraint constraint : context.findConstraints()) {
            for (SecurityCollection collection : constraint.findCollections()) {
                for (String pattern : collection.findPatterns()) {
                    constrained.add(pattern);
                }
            }
        }

        return new WebAppFacts(servlets, filters, constrained, path -> plainFile(context, path),
                List.of(context.findWelcomeFiles()));
    }

    /**
     * Tomcat's own WebSocket filter, which every app with an endpoint gets on {@code /*}: it acts
     * only on upgrade requests, and those never take the static path (they are tunnelled).
     */
    static final String WEBSOCKET_FILTER = "org.apache.tomcat.websocket.server.WsFilter";

    private static boolean passesPlainRequests(Context context, FilterMap map) {
        org.apache.tomcat.util.descriptor.web.FilterDef def = context.findFilterDef(map.getFilterName());
        return def != null && WEBSOCKET_FILTER.equals(def.getFilterClass());
    }

    /**
     * Whether the context's DefaultServlet on "/" sends precompressed siblings: false when it says
     * nothing or "false" (Tomcat's default), true for "true" (gzip and br, as the runtime does),
     * null for a list of codings of its own.
     */
    static Boolean precompressed(Context context) {
        String name = context.findServletMapping("/");
        if (name == null || !(context.findChild(name) instanceof Wrapper w) || !isContainerDefault(w)) {
            return false; // no DefaultServlet on "/": the router leaves every path to the application
        }
        String value = w.findInitParameter("precompressed");
        if (value == null || value.trim().equalsIgnoreCase("false")) {
            return false;
        }
        return value.trim().equalsIgnoreCase("true") ? Boolean.TRUE : null;
    }

    private static boolean isContainerDefault(Container child) {
        return child instanceof Wrapper w && DEFAULT_SERVLET.equals(w.getServletClass());
    }

    private static Path plainFile(Context context, String path) {
        WebResource resource = context.getResources().getResource(path);
        if (resource == null || !resource.isFile() || resource.getCanonicalPath() == null) {
            return null;
        }
        Path file = Path.of(resource.getCanonicalPath());
        return Files.isRegularFile(file) ? file : null;
    }
}
