package dev.ringside.bridge.loop;

import dev.ringside.uring.files.CachedFile;
import dev.ringside.uring.http.HttpExchange;
import dev.ringside.uring.http.HttpServerDriver;
import dev.ringside.uring.http.RequestHandler;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * What one loop does with each parsed request for a container: an upgrade becomes a tunnel to
 * the container's own connector on loopback (its upgrade protocols, WebSocket first, need its
 * own socket layer, so the connection is handed over whole); a plain file the app would not
 * touch is sent by the runtime; everything else is offloaded to a container thread.
 */
public final class LoopHandler implements RequestHandler, HttpServerDriver.FileReleaser {
    private final InetSocketAddress upgrades;
    private final StaticPath files;
    private final Consumer<HttpExchange> container;
    private final boolean h2cUpgrades;

    /**
     * @param upgrades    the container's own connector on loopback that upgrade requests are
     *                    tunnelled to; null when there is none (upgrades go to the container
     *                    like any request, and it answers them as plain HTTP/1.1)
     * @param h2cUpgrades whether that connector speaks h2c, so that a lone {@code Upgrade: h2c}
     *                    is worth a tunnel
     * @param container   takes the requests the loop does not answer itself (typically
     *                    offloading them to the container's threads)
     */
    public LoopHandler(InetSocketAddress upgrades, boolean h2cUpgrades, StaticApps apps,
                       Consumer<HttpExchange> container) {
        this.upgrades = upgrades;
        this.h2cUpgrades = h2cUpgrades;
        this.files = new StaticPath(apps);
        this.container = container;
    }

    @Override
    public void handle(HttpExchange exchange) {
        // A lone h2c offer to a connector without h2c is answered as plain HTTP/1.1, as the container would.
        if (upgrades != null && exchange.request().upgrade()
                && (h2cUpgrades || !exchange.request().upgradeOnlyH2c(exchange.segment()))) {
            exchange.tunnel(upgrades);
        } else if (!files.tryServe(exchange)) {
            container.accept(exchange);
        }
    }

    @Override
    public void tick() {
        files.tick();
    }

    @Override
    public void release(CachedFile file) {
        files.release(file);
    }

    @Override
    public int openFiles() {
        return files.openFiles();
    }

    @Override
    public void close() {
        files.close();
    }
}
