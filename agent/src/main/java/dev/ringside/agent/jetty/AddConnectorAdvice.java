package dev.ringside.agent.jetty;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** {@link SetConnectorsAdvice} for {@code Server.addConnector(Connector)} on a running server. */
public final class AddConnectorAdvice {
    private AddConnectorAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object server,
                      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object connector) {
        connector = JettyTakeover.connectorAdded(server, connector);
    }
}
