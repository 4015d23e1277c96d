package dev.ringside.uring.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Each loop's submit-and-wait batches since its last event, once a second: turns, SQEs submitted,
 * completions handled, time waiting in the kernel. Read from the loop's counters without
 * synchronisation (plain longs the loop alone writes): a monitoring figure, late by a turn at most.
 */
@Name("dev.ringside.LoopActivity")
@Label("Loop Activity")
@Category({"Ringside", "Loop"})
@Description("A loop's batches over the last period: turns, SQEs submitted, completions, time waiting")
@StackTrace(false)
@Period("1 s")
public final class LoopActivityEvent extends jdk.jfr.Event {
    @Label("Loop")
    public int loop;

    @Label("Turns")
    public long turns;

    @Label("SQEs Submitted")
    public long submitted;

    @Label("Completions")
    public long completions;

    @Label("Waiting")
    @Timespan(Timespan.NANOSECONDS)
    public long waiting;
}
