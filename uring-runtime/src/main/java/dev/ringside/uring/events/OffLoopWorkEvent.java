package dev.ringside.uring.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * Work the loop handed to a file thread (a file not yet cached, a re-check, a router's verdict),
 * from its start to its result back on the loop: how long the requests waiting for it waited.
 */
@Name("dev.ringside.OffLoopWork")
@Label("Off-Loop Work")
@Category({"Ringside", "Loop"})
@Description("What a loop handed to a file thread instead of blocking on it, and the requests that waited")
@StackTrace(false)
@Threshold("20 ms")
public final class OffLoopWorkEvent extends jdk.jfr.Event {
    private static final EventType TYPE = EventType.getEventType(OffLoopWorkEvent.class);

    @Label("Work")
    public String work;

    @Label("Requests Waiting")
    public int waiters;

    public static boolean on() {
        return TYPE.isEnabled();
    }
}
