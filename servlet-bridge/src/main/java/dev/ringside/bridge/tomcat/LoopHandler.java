package dev.ringside.bridge.tomcat;

import dev.ringside.uring.files.CachedFile;
import dev.ringside.uring.http.HttpExchange;
import dev.ringside.uring.http.HttpServerDriver;
import dev.ringside.uring.http.RequestHandler;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * What one loop does with each parsed request for Tomcat: an upgrade becomes a tunnel to
 * Tomcat's own endpoint on loopback (Coyote's upgrade protocols need a socket wrapper, so the
 * connection is handed over whole); a plain file the app would not touch is sent by the
 * runtime; everything else is offloaded to a container thread.
 */
final class LoopHandler implements RequestHandler, HttpServerDriver.FileReleaser {
    private final InetSocketAddress tomcat;
    private final StaticPath files;
    private final Consumer<HttpExchange> container;
    private final boolean h2cUpgrades;

    LoopHandler(InetSocketAddress tomcat, boolean h2cUpgrades, StaticRoutes routes,
                Consumer<HttpExchange> container) {
        this.tomcat = tomcat;
        this.h2cUpgrades = h2cUpgrades;
        this.files = new StaticPath(routes);
        this.container = container;
    }

    @Override
    public void handle(HttpExchange exchange) {
        // A lone h2c offer to a connector without h2c is answered as plain HTTP/1.1, as Tomcat would.
        if (exchange.request().upgrade() && (h2cUpgrades || !exchange.request().upgradeOnlyH2c(exchange.segment()))) {
            exchange.tunnel(tomcat);
        } else if (!files.tryServe(exchange)) {
            container.accept(exchange);
        }
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
