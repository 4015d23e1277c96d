package dev.ringside.bridge.loop;

import dev.ringside.uring.http.HttpLimits;

import java.util.concurrent.Executor;

/**
 * The agent's resolved settings as both adapters read them. The bridge runs in the container's
 * class loader and cannot see the agent's classes, so the agent publishes each value as a
 * {@code ringside.*} system property before any adapter is made; without the agent (an embedding
 * application, a test) the defaults below apply.
 */
public final class PublishedSettings {
    private PublishedSettings() {
    }

    /** {@code ringside.threads}: io_uring loops, at least one; default one per processor. */
    public static int loops() {
        return Math.max(1, Integer.getInteger("ringside.threads", Runtime.getRuntime().availableProcessors()));
    }

    /** {@code ringside.fileThreads}: threads for files not yet cached, shared by the loops; default 4. */
    public static int fileThreads() {
        return Math.max(1, Integer.getInteger("ringside.fileThreads", 4));
    }

    /** {@code ringside.maxBodyBytes}: Ringside's own request-body limit; default none (the container decides). */
    public static long maxBodyBytes() {
        return Long.getLong("ringside.maxBodyBytes", HttpLimits.UNLIMITED);
    }

    /** {@code ringside.dispatch}: anything but {@code container} runs each request on a virtual thread of its own. */
    public static boolean virtualDispatch() {
        return !"container".equals(System.getProperty("ringside.dispatch"));
    }

    /** {@code ringside.staticPath}: anything but {@code false} lets the loops send plain files themselves. */
    public static boolean staticPath() {
        return !"false".equalsIgnoreCase(System.getProperty("ringside.staticPath"));
    }

    /**
     * Starts each task on a new virtual thread named {@code name}: a pool thread costs every
     * request a futex wake-up from the loop and a park, while virtual threads queue on one carrier
     * (see {@code docs/benchmarks.md}). A fixed name, so that starting one allocates no String.
     */
    public static Executor virtualThreads(String name) {
        java.util.concurrent.ThreadFactory threads = Thread.ofVirtual().name(name).factory();
        return task -> threads.newThread(task).start();
    }
}
