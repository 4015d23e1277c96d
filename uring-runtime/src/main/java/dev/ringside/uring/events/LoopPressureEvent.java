package dev.ringside.uring.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A connection had to wait for one of its loop's resources: a receive buffer (the provided ring ran
 * dry) or a response-head buffer (its complete request deferred). Back-pressure, not failure; many
 * of them say a pool is too small for the load.
 */
@Name("dev.ringside.LoopPressure")
@Label("Loop Pressure")
@Category({"Ringside", "Loop"})
@Description("A connection waits for a receive buffer (starved) or a head buffer (deferred)")
@StackTrace(false)
public final class LoopPressureEvent extends jdk.jfr.Event {
    public static final String STARVED = "starved";
    public static final String DEFERRED = "deferred";
    private static final EventType TYPE = EventType.getEventType(LoopPressureEvent.class);

    @Label("Kind")
    public String kind;

    @Label("Loop Slot")
    public int slot;

    public static boolean on() {
        return TYPE.isEnabled();
    }

    /** Records one, if a recording wants it. */
    public static void record(String kind, int slot) {
        if (on()) {
            LoopPressureEvent e = new LoopPressureEvent();
            e.kind = kind;
            e.slot = slot;
            e.commit();
        }
    }
}
