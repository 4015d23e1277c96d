package dev.ringside.samples.servlet;

import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import java.util.logging.Level;
import java.util.logging.Logger;

/** WebSocket {@code /ws/echo}: each text message comes back as-is. */
@ServerEndpoint("/ws/echo")
public class EchoEndpoint {
    private static final Logger LOG = Logger.getLogger(EchoEndpoint.class.getName());

    @OnMessage
    public String onMessage(String message) {
        return message;
    }

    /** A peer that goes away without a close frame is not worth a stack trace. */
    @OnError
    public void onError(Throwable error) {
        LOG.log(Level.FINE, "WebSocket error", error);
    }
}
