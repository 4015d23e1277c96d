package dev.ringside.bridge.jetty;

import dev.ringside.bridge.router.UrlPatterns;
import dev.ringside.bridge.router.WebAppFacts;
import org.eclipse.jetty.server.handler.ContextHandler;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a started ee10 or ee11 servlet context into the router's facts: its servlet mappings (all
 * but Jetty's own DefaultServlet on "/"), the filters that run on a direct request, its security
 * constraints, and its files (a path is a plain file only when it lies in the
 * context's one base directory with no link on the way, so Jetty's alias checks have nothing to
 * decide).
 *
 * <p>The servlet layer lives in the EE environment's class loader, which the connector's loader (the
 * server's) does not see: ee10 and ee11 have the same API in different packages. So it is read by
 * name, through reflection, once per context; a context whose shape is not the one expected is
 * simply not static ({@link #from} returns null).
 */
final class JettyWebAppFacts {
    private static final Set<String> DEFAULT_SERVLETS = Set.of(
            "org.eclipse.jetty.ee10.servlet.DefaultServlet", "org.eclipse.jetty.ee11.servlet.DefaultServlet");
    /**
     * Jetty's WebSocket filter, which its WebSocket initialisers put on {@code /*}: it acts only on
     * upgrade requests, and those never take the static path.
     */
    private static final Set<String> UPGRADE_FILTERS = Set.of(
            "org.eclipse.jetty.ee10.websocket.servlet.WebSocketUpgradeFilter",
            "org.eclipse.jetty.ee11.websocket.servlet.WebSocketUpgradeFilter");
    /**
     * DefaultServlet settings that leave a plain file's answer as the runtime gives it (without ETags
     * or precompressed variants): cache sizes and directory listings (never static anyway) at any
     * value, three others at their default (jetty-home's webdefault sets all of these). Any other
     * setting (a cache-control header, another base, precompressed or path-info-only serving) keeps
     * the app off the static path.
     */
    private static final Set<String> HARMLESS_AT_ANY_VALUE = Set.of("dirAllowed", "maxCacheSize",
            "maxCachedFileSize", "maxCachedFiles", "useFileMappedBuffer", "minMappedFileSize", "maxMappedFileSize",
            "welcomeServlets", "stylesheet");
    private static final Map<String, String> HARMLESS_AT_DEFAULT = Map.of("acceptRanges", "true",
            "etags", "false", // Jetty's ETags are not the runtime's
            "redirectWelcome", "false"); // else "/dir/" is a redirect

    private static final String CONTEXT_DEFAULT_PREFIX = "org.eclipse.jetty.servlet.Default.";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JettyWebAppFacts.class);

    private JettyWebAppFacts() {
    }

    /** The facts of {@code context} with its files under {@code docBase}, or null when it is not a servlet context Ringside understands. */
    static WebAppFacts from(ContextHandler context, Path docBase) {
        try {
            return read(context, docBase);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not an ee10/ee11 servlet context, or one of another shape: Jetty answers all of it.
            LOG.debug("cannot read the servlet layer of {}", context, e);
            return null;
        }
    }

    private static WebAppFacts read(ContextHandler context, Path docBase) throws ReflectiveOperationException {
        Object servletHandler = call(context, "getServletHandler");
        UrlPatterns servlets = new UrlPatterns();
        String defaultServlet = null;
        for (Object mapping : (Object[]) call(servletHandler, "getServletMappings")) {
            String name = (String) call(mapping, "getServletName");
            Object holder = method(servletHandler, "getServlet", String.class).invoke(servletHandler, name);
            for (String spec : (String[]) call(mapping, "getPathSpecs")) {
                if (spec.equals("/") && holder != null && isPlainDefaultServlet(context, holder)) {
                    defaultServlet = name;
                } else {
                    add(servlets, spec);
                }
            }
        }
        if (defaultServlet == null) {
            servlets.matchEverything(); // no plain DefaultServlet on "/": the application answers everything
        }

        UrlPatterns filters = new UrlPatterns();
        Object request = dispatcherType(context, "REQUEST");
        Object[] filterMappings = (Object[]) call(servletHandler, "getFilterMappings");
        for (Object mapping : filterMappings == null ? new Object[0] : filterMappings) {
            if (!(boolean) method(mapping, "appliesTo", request.getClass()).invoke(mapping, request)
                    || isUpgradeFilter(servletHandler, (String) call(mapping, "getFilterName"))) {
                continue;
            }
            String[] specs = (String[]) call(mapping, "getPathSpecs");
            for (String spec : specs == null ? new String[0] : specs) {
                add(filters, spec);
            }
            String[] names = (String[]) call(mapping, "getServletNames");
            for (String name : names == null ? new String[0] : names) {
                if (name.equals("*") || name.equals(defaultServlet)) {
                    filters.matchEverything();
                }
            }
        }

        UrlPatterns constrained = new UrlPatterns();
        Object security = call(context, "getSecurityHandler");
        if (security != null) {
            Method mappings = publicMethod(security, "getConstraintMappings");
            if (mappings == null) {
                constrained.matchEverything(); // a security handler we cannot read guards everything
            } else {
                for (Object mapping : (Collection<?>) mappings.invoke(security)) {
                    if (restrictsGetOrHead(mapping)) {
                        add(constrained, (String) call(mapping, "getPathSpec"));
                    }
                }
            }
        }

        Path realBase = realPath(docBase);
        // No welcome files: Jetty serves "/dir/" by dispatching to the welcome file, and what that
        // adds depends on the webapp's descriptors (jetty-home's gives text/html a charset there, not
        // on "/dir/index.html"), so a directory's answer stays Jetty's.
        return new WebAppFacts(servlets, filters, constrained,
                path -> realBase == null || context.isProtectedTarget(path) ? null : plainFile(realBase, path),
                List.of());
    }

    /**
     * Whether a constraint mapping can stop or redirect a GET or HEAD: one for other methods only
     * (jetty-home's webdefault forbids TRACE on "/"), or one that asks for nothing (no roles, any
     * transport: it can only loosen another), cannot.
     */
    private static boolean restrictsGetOrHead(Object mapping) throws ReflectiveOperationException {
        String method = (String) call(mapping, "getMethod");
        if (method != null && !method.equalsIgnoreCase("GET") && !method.equalsIgnoreCase("HEAD")) {
            return false;
        }
        String[] omitted = (String[]) call(mapping, "getMethodOmissions");
        if (omitted != null && List.of(omitted).containsAll(List.of("GET", "HEAD"))) {
            return false;
        }
        Object constraint = call(mapping, "getConstraint");
        if (constraint == null) {
            return false;
        }
        String authorization = String.valueOf(call(constraint, "getAuthorization"));
        String transport = String.valueOf(call(constraint, "getTransport"));
        return !(authorization.equals("ALLOWED") || authorization.equals("INHERIT")) || transport.equals("SECURE");
    }

    /** A servlet path spec; Jetty's regex and URI-template specs are not servlet patterns, so they claim everything. */
    private static void add(UrlPatterns patterns, String spec) {
        if (spec == null) {
            return;
        }
        if (spec.startsWith("^") || spec.startsWith("regex|") || spec.startsWith("uri-template|")
                || (!spec.isEmpty() && !spec.startsWith("/") && !spec.startsWith("*."))) {
            patterns.matchEverything();
        } else {
            patterns.add(spec);
        }
    }

    private static boolean isPlainDefaultServlet(ContextHandler context, Object holder) throws ReflectiveOperationException {
        if (!DEFAULT_SERVLETS.contains((String) call(holder, "getClassName"))) {
            return false;
        }
        Map<?, ?> own = (Map<?, ?>) call(holder, "getInitParameters");
        for (Map.Entry<?, ?> setting : own.entrySet()) {
            if (!harmless(String.valueOf(setting.getKey()), setting.getValue())) {
                return false;
            }
        }
        // DefaultServlet also reads its settings from the context's init parameters.
        Map<?, ?> contextParams = (Map<?, ?>) call(context, "getInitParams");
        for (Map.Entry<?, ?> param : contextParams.entrySet()) {
            if (param.getKey() instanceof String name && name.startsWith(CONTEXT_DEFAULT_PREFIX)
                    && !harmless(name.substring(CONTEXT_DEFAULT_PREFIX.length()), param.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean harmless(String setting, Object value) {
        String required = HARMLESS_AT_DEFAULT.get(setting);
        return HARMLESS_AT_ANY_VALUE.contains(setting)
                || (required != null && value != null && required.equalsIgnoreCase(value.toString().trim()));
    }

    private static boolean isUpgradeFilter(Object servletHandler, String filterName) throws ReflectiveOperationException {
        Object holder = method(servletHandler, "getFilter", String.class).invoke(servletHandler, filterName);
        return holder != null && UPGRADE_FILTERS.contains((String) call(holder, "getClassName"));
    }

    /** {@code jakarta.servlet.DispatcherType.<name>} as the context's servlet layer sees it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object dispatcherType(ContextHandler context, String name) throws ClassNotFoundException {
        Class<?> type = Class.forName("jakarta.servlet.DispatcherType", false, context.getClass().getClassLoader());
        return Enum.valueOf((Class) type, name);
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        return method(target, method).invoke(target);
    }

    /**
     * The public method as a public class or interface declares it: the object's own class may be
     * package-private or anonymous (Spring Boot's context class is; Jetty's constraints are), and a
     * method reached through such a class cannot be invoked from outside its package.
     */
    private static Method method(Object target, String name, Class<?>... parameters) throws NoSuchMethodException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            Method m = publicDeclaration(c, name, parameters);
            if (m != null) {
                return m;
            }
        }
        throw new NoSuchMethodException(target.getClass().getName() + "." + name);
    }

    private static Method publicDeclaration(Class<?> type, String name, Class<?>... parameters) {
        if (Modifier.isPublic(type.getModifiers())) {
            try {
                return type.getMethod(name, parameters);
            } catch (NoSuchMethodException e) {
                // not on this type: its interfaces or supertypes may have it
            }
        }
        for (Class<?> i : type.getInterfaces()) {
            Method m = publicDeclaration(i, name, parameters);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    private static Method publicMethod(Object target, String name) {
        try {
            return method(target, name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Path realPath(Path dir) {
        if (dir.getFileSystem() != FileSystems.getDefault()) {
            return null; // in a packed WAR or a jar: Jetty serves it
        }
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    /** The regular file at {@code path} under {@code base}, reached without a link (which Jetty would call an alias). */
    private static Path plainFile(Path base, String path) {
        Path file = base.resolve(path.substring(1)).normalize();
        if (!file.startsWith(base) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            return file.toRealPath().equals(file) ? file : null;
        } catch (IOException e) {
            return null;
        }
    }
}
