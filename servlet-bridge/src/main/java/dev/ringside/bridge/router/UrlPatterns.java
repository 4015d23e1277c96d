package dev.ringside.bridge.router;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A set of servlet URL patterns (Servlet 6.1 §12.2) and whether a request path matches any of
 * them: exact ({@code /hello}), path prefix ({@code /api/*}), extension ({@code *.jsp}), the
 * context root ({@code ""}), and everything ({@code /*}; and {@code /}, the default mapping, when
 * it is counted).
 */
public final class UrlPatterns {
    private final Set<String> exact = new HashSet<>();
    private final List<String> prefixes = new ArrayList<>();
    private final Set<String> extensions = new HashSet<>();
    private boolean everything;
    private boolean contextRoot;

    /** Adds one pattern as it appears in web.xml or an annotation. */
    public UrlPatterns add(String pattern) {
        if (pattern == null) {
            return this;
        }
        if (pattern.isEmpty()) {
            contextRoot = true;
        } else if (pattern.equals("/*") || pattern.equals("/") || pattern.equals("*")) {
            everything = true;
        } else if (pattern.endsWith("/*")) {
            prefixes.add(pattern.substring(0, pattern.length() - 2));
        } else if (pattern.startsWith("*.")) {
            extensions.add(pattern.substring(2));
        } else {
            exact.add(pattern);
        }
        return this;
    }

    public UrlPatterns matchEverything() {
        everything = true;
        return this;
    }

    /** Whether every path matches: "/*", "/" when counted, or {@link #matchEverything()}. */
    public boolean matchesEverything() {
        return everything;
    }

    public boolean isEmpty() {
        return !everything && !contextRoot && exact.isEmpty() && prefixes.isEmpty() && extensions.isEmpty();
    }

    /** Whether {@code path} (context-relative, starting with '/') is matched by any pattern. */
    public boolean matches(String path) {
        if (everything || exact.contains(path)) {
            return true;
        }
        if (contextRoot && path.equals("/")) {
            return true;
        }
        for (String prefix : prefixes) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash && extensions.contains(path.substring(dot + 1));
    }
}
