package dev.ringside.bridge.tomcat;

import dev.ringside.uring.files.StaticDialect;
import dev.ringside.bridge.loop.StaticApp;
import dev.ringside.bridge.loop.StaticApps;
import dev.ringside.bridge.router.StaticRouter;
import org.apache.catalina.Context;
import org.apache.catalina.Engine;
import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tomcat's web applications for the static path, learned as Tomcat serves them: after a
 * request's first trip through Tomcat the context that answered it is known, and from then on
 * the loops ask its router before handing anything to a worker. Only one Host: with virtual
 * hosts the Host header would pick the context, and Tomcat's mapper is the authority on that.
 */
final class TomcatStaticApps {
    private final StaticApps apps = new StaticApps(StaticDialect.TOMCAT);
    private final Set<Context> seen = ConcurrentHashMap.newKeySet();
    private final Map<Context, StaticApp> learned = new ConcurrentHashMap<>();
    /** The context learned last: most responses come from it, and a field read is cheapest. */
    private volatile Object lastSeen;

    StaticApps apps() {
        return apps;
    }

    /** On a container thread, after Tomcat mapped a request to {@code mapped}. */
    void learn(Object mapped) {
        if (mapped == lastSeen || !apps.enabled() || !(mapped instanceof Context context) || seen.contains(context)
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
        // Exactly the context's map (Tomcat's conf/web.xml merged with the app's).
        Map<String, String> mime = new HashMap<>();
        for (String extension : context.findMimeMappings()) {
            mime.put(extension, context.findMimeMapping(extension));
        }
        Boolean precompressed = TomcatWebAppFacts.precompressed(context);
        if (precompressed == null) {
            return; // a precompressed setting other than true or false: Tomcat's own choice of codings
        }
        StaticApp app = new StaticApp(context.getPath(), new StaticRouter(TomcatWebAppFacts.from(context)), docBase,
                mime, context.findWelcomeFiles(), true, precompressed);
        publish(context, app);
        context.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_STOP_EVENT.equals(event.getType())) {
                publish(context, null);
                lastSeen = null;
                seen.remove(context);
            }
        });
    }

    /**
     * Adds (or with null, removes) one app and publishes the set. Serialised: two contexts learned
     * at once on two threads must not publish their snapshots in the wrong order and lose one.
     */
    private synchronized void publish(Context context, StaticApp app) {
        if (app != null) {
            learned.put(context, app);
        } else {
            learned.remove(context);
        }
        apps.publish(learned.values());
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
        return Files.isDirectory(p) ? p.toAbsolutePath().normalize() : null;
    }
}
