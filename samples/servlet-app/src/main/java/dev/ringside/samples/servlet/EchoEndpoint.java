package dev.ringside.samples.servlet;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/** WebSocket {@code /ws/echo}: each text message comes back as-is. */
@ServerEndpoint("/ws/echo")
public class EchoEndpoint {
    @OnMessage
    public String onMessage(String message) {
        return message;
    }
}
