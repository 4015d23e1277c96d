package dev.ringside.bridge.router;

import java.nio.file.Path;
import java.util.List;

/**
 * What the router knows of one web application, read from the container once the context has
 * started.
 *
 * @param claimedByServlets paths an application servlet would serve (every mapping but the
 *                          container's own default servlet on "/"); a front controller on "/"
 *                          or "/*" claims everything
 * @param filtered          paths a filter applies to on a direct request (REQUEST dispatch)
 * @param constrained       paths under a security constraint
 * @param files             where a path is a plain file on disk, if it is
 * @param welcomeFiles      tried in order for a path ending in '/'
 */
public record WebAppFacts(UrlPatterns claimedByServlets, UrlPatterns filtered, UrlPatterns constrained,
                          ResourceFiles files, List<String> welcomeFiles) {

    /** Finds the plain file behind a path, or says there is none. */
    @FunctionalInterface
    public interface ResourceFiles {
        /** The regular file on disk that the container's default servlet would send for {@code path}, or null. */
        Path fileFor(String path);
    }
}
