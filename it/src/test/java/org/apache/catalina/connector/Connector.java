package org.apache.catalina.connector;

/**
 * Stands in for Tomcat's connector class, by name only: the agent's container watch must
 * notice a class of this name in whatever loader defines it. (The real Tomcat arrives with
 * the Tomcat adapter's integration tests.)
 */
public class Connector {
    public String describe() {
        return "connector stand-in";
    }
}
