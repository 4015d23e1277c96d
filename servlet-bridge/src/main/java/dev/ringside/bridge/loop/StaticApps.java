package dev.ringside.bridge.loop;

import dev.ringside.uring.files.StaticDialect;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Collection;

/**
 * The web applications whose plain files the runtime may send itself. A container adapter
 * publishes the applications it knows (Tomcat: after each app's first answer; Jetty: once its
 * context has started), without those about to stop; loops read the current array without a
 * lock. Only applications reached by path alone belong here: where virtual hosts pick the
 * application, the container's mapper is the authority and every request goes to it.
 */
public final class StaticApps {
    private static final StaticApp[] NONE = new StaticApp[0];
    private volatile StaticApp[] apps = NONE;
    /** Goes up with each publication, so a loop notices apps that are gone with one read. */
    private volatile int version;
    /**
     * {@code ringside.staticPath=false} (the agent publishes its setting there) sends every request
     * to the container, for those who need each one in its access log or statistics.
     */
    private final boolean enabled = PublishedSettings.staticPath();
    private final StaticDialect dialect;

    /** @param dialect how the container's default servlet answers, so the loop answers as it would */
    public StaticApps(StaticDialect dialect) {
        this.dialect = dialect;
    }

    StaticDialect dialect() {
        return dialect;
    }

    /** Whether the static path is on at all; when it is not, {@link #publish} is ignored. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * On a container thread: from now on the loops serve these applications' plain files, and
     * those of no other (an application about to stop is left out, so its paths are the
     * container's again).
     */
    public void publish(Collection<StaticApp> now) {
        if (enabled) {
            apps = now.toArray(NONE);
            version++; // one publisher at a time: the adapters serialise publish
        }
    }

    int version() {
        return version;
    }

    /** Whether {@code app} is among those published now. */
    boolean contains(StaticApp app) {
        for (StaticApp a : apps) {
            if (a == app) {
                return true;
            }
        }
        return false;
    }

    /**
     * On a loop: the application a request path belongs to (the longest context path that is a
     * whole-segment prefix of it), or null.
     */
    StaticApp match(MemorySegment seg, long pathStart, long pathEnd) {
        StaticApp best = null;
        for (StaticApp a : apps) {
            byte[] prefix = a.prefix();
            int n = prefix.length;
            if (pathEnd - pathStart <= n || (best != null && best.prefix().length >= n)) {
                continue;
            }
            if (seg.get(ValueLayout.JAVA_BYTE, pathStart + n) != '/') {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = seg.get(ValueLayout.JAVA_BYTE, pathStart + i) == prefix[i];
            }
            if (same) {
                best = a;
            }
        }
        return best;
    }

    public boolean isEmpty() {
        return apps.length == 0;
    }
}
