package dev.ringside.bridge.loop;

import dev.ringside.bridge.router.StaticRouter;
import dev.ringside.uring.files.MimeTypes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One web application whose plain files the loops may send: its context path, the router that
 * says which paths are plain files, its document root, and the MIME map and welcome files its
 * container's default servlet uses.
 */
public final class StaticApp {
    private final String contextPath;
    private final byte[] prefix;
    private final StaticRouter router;
    private final Path docBase;
    private final MimeTypes mimeTypes = new MimeTypes();
    private final Set<String> extensions = new HashSet<>();
    private final String[] welcomeFiles;
    private final boolean etags;
    private final boolean precompressed;

    /**
     * @param mimeMap       exactly the container's map for this application, extension to type: no
     *                      defaults of ours, so a name it does not know keeps its answer the container's
     * @param etags         whether the container's default servlet sends ETags (of the runtime's,
     *                      Tomcat's, form)
     * @param precompressed whether it sends {@code x.gz}/{@code x.br} for {@code x} to clients that
     *                      accept them
     */
    public StaticApp(String contextPath, StaticRouter router, Path docBase, Map<String, String> mimeMap,
                     String[] welcomeFiles, boolean etags, boolean precompressed) {
        this.etags = etags;
        this.precompressed = precompressed;
        this.contextPath = contextPath;
        this.prefix = contextPath.getBytes(StandardCharsets.UTF_8);
        this.router = router;
        this.docBase = docBase;
        mimeMap.forEach((extension, type) -> {
            mimeTypes.add(extension, type);
            extensions.add(extension.toLowerCase(Locale.ROOT));
        });
        this.welcomeFiles = welcomeFiles.clone();
    }

    public String contextPath() {
        return contextPath;
    }

    byte[] prefix() {
        return prefix;
    }

    StaticRouter router() {
        return router;
    }

    Path docBase() {
        return docBase;
    }

    MimeTypes mimeTypes() {
        return mimeTypes;
    }

    String[] welcomeFiles() {
        return welcomeFiles;
    }

    boolean etags() {
        return etags;
    }

    boolean precompressed() {
        return precompressed;
    }

    /** Containers send no Content-Type (or guess) for a name their MIME map does not know: such files stay theirs. */
    boolean knowsTypeOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot >= 0 && extensions.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "StaticApp[" + (contextPath.isEmpty() ? "/" : contextPath) + " at " + docBase + "]";
    }
}
