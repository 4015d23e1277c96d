package dev.ringside.uring.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A loop turn (from coming back from its ring to going back to it) that took longer than
 * {@link #STALL_NANOS}: every connection of that loop waited that long. Made only then.
 */
@Name("dev.ringside.LoopStall")
@Label("Loop Stall")
@Category({"Ringside", "Loop"})
@Description("A loop turn that took longer than 10 ms: completions handled and tasks run in it")
@StackTrace(false)
public final class LoopStallEvent extends jdk.jfr.Event {
    public static final long STALL_NANOS = 10_000_000L;
    private static final EventType TYPE = EventType.getEventType(LoopStallEvent.class);

    @Label("Loop")
    public int loop;

    @Label("Turn")
    @Timespan(Timespan.NANOSECONDS)
    public long turn;

    @Label("Completions")
    public int completions;

    public static boolean on() {
        return TYPE.isEnabled();
    }
}
