package dev.ringside.bridge.router;

import java.nio.file.Path;

/**
 * Decides, per request path, whether the runtime may answer from disk (the static fast path)
 * or the request goes to the application's own pipeline. A path is static only when the
 * application would have answered it from its container's default servlet and nothing of the
 * application could have touched the answer: no servlet mapping other than the default claims
 * it, no filter applies to it, no security constraint covers it, it is not under WEB-INF or
 * META-INF, and it is a plain file on disk (not in a packed WAR or a jar). Everything else goes
 * to the application, including missing files, so its own error pages answer.
 */
public final class StaticRouter {
    public enum Route { STATIC, APP }

    private final WebAppFacts facts;

    public StaticRouter(WebAppFacts facts) {
        this.facts = facts;
    }

    /** The route for a decoded, normalised, context-relative path ("/css/site.css"). */
    public Route route(String path) {
        return staticFile(path) != null ? Route.STATIC : Route.APP;
    }

    /** The file the fast path would send for {@code path}, or null when the application must answer. */
    public Path staticFile(String path) {
        if (!path.startsWith("/") || isProtected(path) || touchedByApplication(path)) {
            return null;
        }
        if (path.endsWith("/")) {
            // The container serves a welcome file for a directory; it is static only if that
            // file is, by the same rules (a welcome file may well be a JSP).
            for (String welcome : facts.welcomeFiles()) {
                String candidate = path + welcome;
                if (facts.files().fileFor(candidate) != null) {
                    return touchedByApplication(candidate) ? null : facts.files().fileFor(candidate);
                }
            }
            return null;
        }
        return facts.files().fileFor(path);
    }

    private boolean touchedByApplication(String path) {
        return facts.claimedByServlets().matches(path) || facts.filtered().matches(path)
                || facts.constrained().matches(path);
    }

    private static boolean isProtected(String path) {
        String upper = path.toUpperCase(java.util.Locale.ROOT);
        return upper.startsWith("/WEB-INF/") || upper.equals("/WEB-INF") || upper.startsWith("/META-INF/")
                || upper.equals("/META-INF");
    }
}
