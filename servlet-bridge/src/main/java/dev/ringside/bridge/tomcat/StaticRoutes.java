package dev.ringside.bridge.tomcat;

import dev.ringside.bridge.router.StaticRouter;
import dev.ringside.uring.files.MimeTypes;
import org.apache.catalina.Context;
import org.apache.catalina.Engine;
import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web applications whose plain files the runtime may send itself, learned as Tomcat
 * serves them: after a request's first trip through Tomcat the context that answered it is
 * known, and from then on the loop asks its {@link StaticRouter} before handing anything to a
 * worker. Only one Host: with virtual hosts the Host header would have to pick the context,
 * and Tomcat's mapper is the authority on that, so then every request goes to Tomcat.
 *
 * <p>Learning happens on container threads and publishes a new immutable array; loops read
 * the array without a lock.
 */
final class StaticRoutes {
    /** One web application: its context path and what its router and file handler need. */
    record App(String contextPath, byte[] prefix, StaticRouter router, Path docBase, MimeTypes mimeTypes,
               Set<String> extensions, String[] welcomeFiles) {
        /** Tomcat sends no Content-Type for a name its MIME map does not know: such files stay Tomcat's. */
        boolean knowsTypeOf(Path file) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            return dot >= 0 && extensions.contains(name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static final App[] NONE = new App[0];
    private volatile App[] apps = NONE;
    private final Set<Context> seen = ConcurrentHashMap.newKeySet();
    /** The context learned last: most responses come from it, and a field read is cheapest. */
    private volatile Object lastSeen;

    /** On a container thread, after Tomcat mapped a request to {@code context}. */
    void learn(Object mapped) {
        if (mapped == lastSeen || !(mapped instanceof Context context) || seen.contains(context)
                || !seen.add(context)) {
            return; // known: the common case, one read per response
        }
        lastSeen = context;
        if (!(context.getParent() instanceof Host host) || !(host.getParent() instanceof Engine engine)
                || engine.findChildren().length != 1 || !context.getState().isAvailable()) {
            return;
        }
        Path docBase = docBase(context);
        if (docBase == null) {
            return; // a packed WAR or no directory at all: Tomcat serves its resources
        }
        // Exactly the context's map (Tomcat's conf/web.xml merged with the app's), no defaults of ours.
        MimeTypes mime = new MimeTypes();
        Set<String> extensions = new java.util.HashSet<>();
        for (String extension : context.findMimeMappings()) {
            mime.add(extension, context.findMimeMapping(extension));
            extensions.add(extension.toLowerCase(java.util.Locale.ROOT));
        }
        App app = new App(context.getPath(), context.getPath().getBytes(StandardCharsets.UTF_8),
                new StaticRouter(TomcatWebAppFacts.from(context)), docBase, mime, Set.copyOf(extensions),
                context.findWelcomeFiles());
        synchronized (this) {
            App[] next = Arrays.copyOf(apps, apps.length + 1);
            next[apps.length] = app;
            apps = next;
        }
        context.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_STOP_EVENT.equals(event.getType())) {
                forget(app, context);
            }
        });
    }

    private synchronized void forget(App app, Context context) {
        apps = Arrays.stream(apps).filter(a -> a != app).toArray(App[]::new);
        lastSeen = null;
        seen.remove(context);
    }

    /**
     * On a loop: the application a request path belongs to (the longest context path that is a
     * whole-segment prefix of it), or null.
     */
    App match(MemorySegment seg, long pathStart, long pathEnd) {
        App best = null;
        for (App a : apps) {
            int n = a.prefix.length;
            if (pathEnd - pathStart <= n || (best != null && best.prefix.length >= n)) {
                continue;
            }
            if (seg.get(ValueLayout.JAVA_BYTE, pathStart + n) != '/') {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = seg.get(ValueLayout.JAVA_BYTE, pathStart + i) == a.prefix[i];
            }
            if (same) {
                best = a;
            }
        }
        return best;
    }

    boolean isEmpty() {
        return apps.length == 0;
    }

    private static Path docBase(Context context) {
        String base = context.getDocBase();
        if (base == null) {
            return null;
        }
        Path p = Path.of(base);
        if (!p.isAbsolute() && context.getParent() instanceof Host host) {
            p = host.getAppBaseFile().toPath().resolve(p);
        }
        return java.nio.file.Files.isDirectory(p) ? p.toAbsolutePath().normalize() : null;
    }
}
