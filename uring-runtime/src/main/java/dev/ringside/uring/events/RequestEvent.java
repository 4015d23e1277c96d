package dev.ringside.uring.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * One request, from its complete head to its answer's last byte (or the connection's close): how
 * the loop routed it, its status and the bytes sent. Made only while a recording has the event on
 * ({@link #on()}, a field read per request otherwise); above the threshold (20 ms by default) only
 * the slow ones are kept, so a default recording costs little (docs/benchmarks.md).
 */
@Name("dev.ringside.Request")
@Label("Request")
@Category({"Ringside", "HTTP"})
@Description("A request answered through Ringside's loop: static, offloaded, tunnelled or rejected")
@StackTrace(false)
@Threshold("20 ms")
public final class RequestEvent extends jdk.jfr.Event {
    public static final String STATIC = "static";
    public static final String OFFLOADED = "offloaded";
    public static final String TUNNELLED = "tunnelled";
    public static final String REJECTED = "rejected";

    private static final EventType TYPE = EventType.getEventType(RequestEvent.class);

    @Label("Route")
    @Description("static (the loop answered), offloaded (the container's pipeline), tunnelled (an upgrade relayed), rejected (the loop refused it)")
    public String route;

    @Label("Method")
    public String method;

    @Label("Path")
    public String path;

    @Label("Status")
    @Description("The final status sent; 0 when none was (a tunnel's backend answered, or the connection ended first)")
    public int status;

    @Label("Bytes Sent")
    @DataAmount
    public long bytes;

    @Label("Completed")
    @Description("The answer went out whole (false: the connection ended first)")
    public boolean completed;

    /** Whether a recording has this event on: the loop then makes one per request. */
    public static boolean on() {
        return TYPE.isEnabled();
    }
}
