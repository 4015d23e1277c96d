package dev.ringside.bridge.jetty;

import dev.ringside.uring.files.StaticDialect;
import dev.ringside.bridge.loop.StaticApp;
import dev.ringside.bridge.loop.StaticApps;
import dev.ringside.bridge.router.StaticRouter;
import dev.ringside.bridge.router.WebAppFacts;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.resource.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jetty's servlet contexts for the static path. The connector reads the server's handler tree when
 * it starts (Jetty starts its handlers, and deploys its webapps, before its connectors) and again
 * every second, so a context deployed later is found too.
 *
 * <p>A context is static-capable only where a request reaches it by path alone, through nothing
 * that could change a file's answer: the server's handler is the context itself, or a
 * {@link ContextHandlerCollection} (longest context path wins, as in {@link StaticApps}), or a
 * sequence whose first handler leads there; inside it, only Jetty's session, security and servlet
 * handlers. Virtual hosts anywhere on the server send every request to Jetty.
 */
final class JettyStaticApps {
    private static final Logger LOG = LoggerFactory.getLogger(JettyStaticApps.class);
    /** Jetty's own wrappers inside a servlet context that leave a plain file's answer alone. */
    private static final Set<String> INNER_HANDLERS = Set.of(
            "org.eclipse.jetty.ee10.servlet.SessionHandler", "org.eclipse.jetty.ee11.servlet.SessionHandler",
            "org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler",
            "org.eclipse.jetty.ee11.servlet.security.ConstraintSecurityHandler",
            "org.eclipse.jetty.ee10.servlet.ServletHandler", "org.eclipse.jetty.ee11.servlet.ServletHandler");

    private final StaticApps apps = new StaticApps(StaticDialect.JETTY);
    /** Contexts read already, static-capable or not, until they stop. */
    private final Set<ContextHandler> seen = ConcurrentHashMap.newKeySet();
    private final Map<ContextHandler, StaticApp> learned = new ConcurrentHashMap<>();
    private boolean virtualHosts;

    StaticApps apps() {
        return apps;
    }

    /** Whether {@code context} has been read since it started (its files may be the loop's or not). */
    boolean hasRead(ContextHandler context) {
        return seen.contains(context);
    }

    synchronized void scan(Server server) {
        if (!apps.enabled()) {
            return; // ringside.staticPath=false: every request is Jetty's
        }
        List<ContextHandler> contexts = server.getDescendants(ContextHandler.class);
        // A context taken out of the tree without stopping is no longer reached.
        learned.keySet().retainAll(contexts);
        seen.retainAll(contexts);
        virtualHosts = false;
        for (ContextHandler context : contexts) {
            virtualHosts |= !context.getVirtualHosts().isEmpty();
            if (context.isStarted() && context.isAvailable() && seen.add(context)) {
                learn(server, context);
            }
        }
        publish();
    }

    /** With virtual hosts the Host header picks among contexts: Jetty's mapping decides every request. */
    private void publish() {
        apps.publish(virtualHosts ? List.of() : learned.values());
    }

    private void learn(Server server, ContextHandler context) {
        String name = context.getContextPath();
        Path docBase = docBase(context.getBaseResource());
        String refusal = context.getBaseResource() == null ? "it has no resource base"
                : docBase == null ? "its files are not one directory on disk (a packed WAR, or several bases)"
                : !reachedByPath(server.getHandler(), context) ? "other handlers stand between the server and it"
                : !plainInside(context) ? "handlers other than Jetty's session, security and servlet ones are inside it"
                : null;
        WebAppFacts facts = refusal == null ? JettyWebAppFacts.from(context, docBase) : null;
        if (refusal == null && facts == null) {
            refusal = "its servlet layer is not one Ringside reads (ee10 or ee11)";
        } else if (facts != null && (facts.claimedByServlets().matchesEverything() || facts.filtered().matchesEverything()
                || facts.constrained().matchesEverything())) {
            refusal = "the application touches every path (no plain DefaultServlet on /, or a filter or constraint on /*)";
        }
        if (refusal != null) {
            LOG.info("Ringside leaves the files of context {} to Jetty: {}", name, refusal);
        } else {
            String contextPath = name.equals("/") ? "" : name;
            StaticApp app = new StaticApp(contextPath, new StaticRouter(facts), docBase,
                    context.getMimeTypes().getMimeMap(), facts.welcomeFiles().toArray(String[]::new),
                    false, false); // as JettyWebAppFacts requires of DefaultServlet: no ETags, no precompressed variants
            learned.put(context, app);
            LOG.info("Ringside sends the plain files of context {} from {} itself (what no servlet, filter or "
                    + "constraint of it touches)", name, docBase);
        }
        context.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(LifeCycle event) {
                forget(context);
                context.removeEventListener(this);
            }
        });
    }

    private synchronized void forget(ContextHandler context) {
        if (learned.remove(context) != null) {
            publish();
        }
        seen.remove(context);
    }

    private static boolean reachedByPath(Handler from, ContextHandler target) {
        if (from == target) {
            return true;
        }
        if (from instanceof ContextHandlerCollection collection) {
            return collection.getHandlers().stream().anyMatch(h -> reachedByPath(h, target));
        }
        // Any other sequence tries its handlers in order: only the first is sure to see the request.
        if (from instanceof Handler.Sequence sequence && sequence.getClass() == Handler.Sequence.class) {
            List<Handler> handlers = sequence.getHandlers();
            return !handlers.isEmpty() && reachedByPath(handlers.getFirst(), target);
        }
        return false;
    }

    private static boolean plainInside(ContextHandler context) {
        for (Handler h = context.getHandler(); h != null; ) {
            if (!INNER_HANDLERS.contains(h.getClass().getName())) {
                return false;
            }
            h = h instanceof Handler.Singleton inner ? inner.getHandler() : null;
        }
        return true;
    }

    /** One directory on the default file system (not a WAR, not several bases combined), or null. */
    private static Path docBase(Resource base) {
        if (base == null || !base.isDirectory()) {
            return null;
        }
        Path p = base.getPath();
        if (p == null || p.getFileSystem() != java.nio.file.FileSystems.getDefault() || !Files.isDirectory(p)
                || !base.getClass().getName().endsWith("PathResource")) {
            return null;
        }
        return p.toAbsolutePath().normalize();
    }
}
