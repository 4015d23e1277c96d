package dev.ringside.bridge.loop;

import dev.ringside.uring.http.OffLoopWork;
import dev.ringside.uring.sys.Libc;
import dev.ringside.uring.sys.LinuxConstants;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Off the loop: asks an app's router whether a path is a plain file the loop may send (the router
 * reads the container's resources, which may touch the disk), and opens the app's document root
 * the first time one is. Its verdict is remembered for a while ({@link StaticPath}), so the request
 * that waited, handled again, finds it, and so do the requests after it.
 */
final class RouterCheck extends OffLoopWork {
    private static final int O_DIRECTORY = 0200000;

    private final StaticPath path;
    private final StaticApp app;
    private final String relative;
    private final int pathHash;
    private final boolean openRoot;
    private final long startedAt;
    private boolean isStatic;
    private int rootFd = -1;
    private boolean published;

    RouterCheck(StaticPath path, StaticApp app, String relative, int pathHash, boolean openRoot, long startedAt) {
        this.path = path;
        this.app = app;
        this.relative = relative;
        this.pathHash = pathHash;
        this.openRoot = openRoot;
        this.startedAt = startedAt;
    }

    @Override
    protected void run() {
        Path file = app.router().staticFile(relative);
        isStatic = file != null && app.knowsTypeOf(file);
        if (isStatic && openRoot) {
            try (Arena a = Arena.ofConfined()) {
                rootFd = Libc.openat(LinuxConstants.AT_FDCWD, a.allocateFrom(app.docBase().toString()),
                        LinuxConstants.O_RDONLY | O_DIRECTORY | LinuxConstants.O_CLOEXEC, 0);
            }
        }
    }

    @Override
    protected void publish() {
        published = true;
        path.published(this);
    }

    @Override
    protected void retired() {
        // Kept: the verdict serves the next requests for the path until it is too old (StaticPath).
    }

    StaticApp app() {
        return app;
    }

    String relative() {
        return relative;
    }

    int pathHash() {
        return pathHash;
    }

    long startedAt() {
        return startedAt;
    }

    boolean published() {
        return published;
    }

    /** The router said: a plain file of a type the container knows, the loop's to send. */
    boolean isStatic() {
        return isStatic;
    }

    /** The app's root, opened for the loop's file cache, or -1; whoever takes it closes it. */
    int takeRootFd() {
        int fd = rootFd;
        rootFd = -1;
        return fd;
    }

    @Override
    public String toString() {
        return "RouterCheck[" + app.contextPath() + relative + "]";
    }
}
