package dev.ringside.it;

import dev.ringside.it.containers.ContainerProcess;
import dev.ringside.it.containers.JettyDistribution;

import java.util.List;

/**
 * {@link FaultsInAgentMode} in the real jetty-home 12.1 distribution, ee11: the agent with two loops, the
 * connector's idle timeout (which the adapter takes as the read and write timeouts of an offloaded answer,
 * and as the keep-alive timeout) at {@link #WRITE_TIMEOUT_MS}.
 */
class JettyFaultsIT extends FaultsInAgentMode {
    @Override
    ContainerProcess launch() throws Exception {
        return JettyDistribution.launchWithProperties("ee11", "faults", AGENT,
                List.of("jetty.http.idleTimeout=" + WRITE_TIMEOUT_MS));
    }

    @Override
    String name() {
        return "Jetty";
    }
}
