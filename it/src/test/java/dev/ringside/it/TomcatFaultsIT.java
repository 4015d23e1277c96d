package dev.ringside.it;

import dev.ringside.it.containers.ContainerProcess;
import dev.ringside.it.containers.TomcatDistribution;

import java.util.Map;

/**
 * {@link FaultsInAgentMode} in the real Tomcat 11 distribution: the agent with two loops, the connector's
 * {@code connectionTimeout} (which the adapter takes as the write timeout of an offloaded answer, and as the
 * head, keep-alive and the loop's send timeouts) at {@link #WRITE_TIMEOUT_MS}.
 */
class TomcatFaultsIT extends FaultsInAgentMode {
    @Override
    ContainerProcess launch() throws Exception {
        return TomcatDistribution.launch("faults", String.join(" ", AGENT),
                Map.of("connectionTimeout", Integer.toString(WRITE_TIMEOUT_MS)));
    }

    @Override
    String name() {
        return "Tomcat";
    }
}
