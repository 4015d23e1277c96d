package dev.ringside.uring.loop;

import dev.ringside.uring.events.LoopActivityEvent;
import dev.ringside.uring.events.LoopStallEvent;
import dev.ringside.uring.ring.Ring;
import dev.ringside.uring.ring.RingOptions;
import dev.ringside.uring.ring.UserData;
import dev.ringside.uring.sys.Errno;
import dev.ringside.uring.sys.Libc;
import dev.ringside.uring.sys.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.ringside.uring.sys.LinuxConstants.*;

/**
 * One thread, one ring. The loop submits and waits in one {@code io_uring_enter}, hands each
 * completion to its driver, then runs tasks handed in from other threads. A task is queued
 * lock-free and wakes the loop through an eventfd read kept armed in the ring; the eventfd is
 * written only when the loop may be asleep, so a busy loop takes no wake-up syscalls at all.
 */
public final class EventLoop implements Runnable {
    /** Operation code reserved for the loop's own wake-up read. */
    public static final int OP_WAKE = 255;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final int index;
    private final RingOptions ringOptions;
    private final LoopDriver driver;
    private final long shutdownGraceNanos;
    /** Kept in a field: a method reference per drain would be an allocation per loop iteration. */
    private final dev.ringside.uring.ring.CompletionHandler dispatcher = this::dispatch;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Arena arena = Arena.ofShared();
    private final MemorySegment wakeValue = arena.allocate(8, 8);
    private final MemorySegment wakeReadBuf = arena.allocate(8, 8);
    private final MemorySegment wakeCapture = Native.newCaptureState(arena);
    private volatile boolean stopRequested;
    private volatile Throwable startFailure;
    private Ring ring;
    private int wakeFd = -1;
    private boolean wakeArmed;
    private Thread thread;
    private long now;
    private long nowMillis;
    /** The wall clock when the loop last came back from the kernel (a tick at most apart while it lives). */
    private final java.util.concurrent.atomic.AtomicLong lastProgressMillis = new java.util.concurrent.atomic.AtomicLong();

    public EventLoop(int index, RingOptions ringOptions, LoopDriver driver, long shutdownGraceNanos) {
        this.index = index;
        this.ringOptions = ringOptions;
        this.driver = driver;
        this.shutdownGraceNanos = shutdownGraceNanos;
        wakeValue.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    /** Starts the loop's thread and waits until its ring and driver are up (or failed). */
    public void start(String threadName) throws Exception {
        thread = Thread.ofPlatform().name(threadName).daemon(false).unstarted(this);
        thread.start();
        started.await();
        if (startFailure != null) {
            if (startFailure instanceof Exception e) throw e;
            throw new IllegalStateException(startFailure);
        }
    }

    public int index() {
        return index;
    }

    public Ring ring() {
        return ring;
    }

    /** The loop's clock (System.nanoTime at the last wake-up): cheap and monotonic. */
    public long now() {
        return now;
    }

    /** Wall-clock millis at the last wake-up: for Date headers, read once per batch, not per response. */
    public long nowMillis() {
        return nowMillis;
    }

    /** Whether the loop's thread still runs its loop (not stopped, not died). */
    public boolean alive() {
        return thread != null && thread.isAlive() && stopped.getCount() > 0;
    }

    /** When the loop last came back from waiting on its ring, in epoch milliseconds (0 before its first wait). */
    public long lastProgressMillis() {
        return lastProgressMillis.get();
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Fills {@code e} with this loop's batches since {@code last} (and moves {@code last} on); any thread. */
    public void activitySince(long[] last, LoopActivityEvent e) {
        long t = turns, s = submitted, c = completions, w = waitingNanos;
        e.loop = index;
        e.turns = t - last[0];
        e.submitted = s - last[1];
        e.completions = c - last[2];
        e.waiting = w - last[3];
        last[0] = t;
        last[1] = s;
        last[2] = c;
        last[3] = w;
    }

    /** Runs {@code task} on the loop thread, soon. Callable from any thread. */
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && sleeping.compareAndSet(true, false)) {
            Libc.write(wakeCapture, wakeFd, wakeValue, 8);
        }
    }

    /** Asks the loop to stop: stop accepting, let responses finish for the grace period, close. */
    public void stop() {
        stopRequested = true;
        execute(() -> { });
    }

    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    @Override
    public void run() {
        try {
            ring = new Ring(ringOptions);
            wakeFd = Libc.eventfd(0, EFD_CLOEXEC);
            if (wakeFd < 0) {
                throw new java.io.IOException("eventfd failed: " + Errno.name(wakeFd));
            }
            now = System.nanoTime();
            nowMillis = System.currentTimeMillis();
            driver.start(this);
        } catch (Throwable t) {
            startFailure = t;
            cleanUp();
            started.countDown();
            stopped.countDown();
            return;
        }
        started.countDown();
        try {
            loop();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "loop " + index + " failed", t);
            driver.abort();
            ring.submit();
        } finally {
            driver.close();
            cleanUp();
            stopped.countDown();
        }
    }

    private final java.util.Set<Integer> enterErrorsLogged = new java.util.HashSet<>();
    // Batches, for dev.ringside.LoopActivity: written by the loop alone, read by JFR's periodic thread
    // without synchronisation (longs do not tear on the platforms Ringside runs on; a read may lag a turn).
    private long turns;
    private long submitted;
    private long completions;
    private long waitingNanos;

    private void loop() {
        long lastTick = now;
        long stopDeadline = Long.MAX_VALUE;
        boolean shuttingDown = false;
        while (true) {
            if (!wakeArmed) {
                armWake();
            }
            sleeping.set(true);
            boolean mayBlock = tasks.isEmpty();
            long waitFrom = System.nanoTime();
            int r = ring.submitAndWait(mayBlock ? 1 : 0, TICK_NANOS);
            sleeping.set(false);
            turns++;
            if (r > 0) {
                submitted += r;
            }
            if (r < 0 && r != -Errno.ETIME && r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY) {
                // A loop never dies: its listener would keep being handed connections. Said once
                // per errno; what is prepared stays queued, and the next turn tries again.
                if (enterErrorsLogged.add(r)) {
                    LOG.log(System.Logger.Level.ERROR, "loop " + index + ": io_uring_enter failed: " + Errno.name(r)
                            + "; retrying");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
            now = System.nanoTime();
            waitingNanos += now - waitFrom;
            nowMillis = System.currentTimeMillis();
            lastProgressMillis.lazySet(nowMillis); // no fence on the loop's path: readers may see it late
            int drained = ring.drain(dispatcher);
            completions += drained;
            runTasks();
            if (now - lastTick >= TICK_NANOS) {
                lastTick = now;
                try {
                    driver.tick(now);
                } catch (RuntimeException | LinkageError e) {
                    LOG.log(System.Logger.Level.ERROR, "loop " + index + ": tick failed; the loop serves on", e);
                }
            }
            long turn = System.nanoTime() - now;
            if (turn > LoopStallEvent.STALL_NANOS && LoopStallEvent.on()) {
                LoopStallEvent e = new LoopStallEvent();
                e.loop = index;
                e.turn = turn;
                e.completions = drained;
                e.commit();
            }
            if (stopRequested && !shuttingDown) {
                shuttingDown = true;
                stopDeadline = now + shutdownGraceNanos;
                driver.beginShutdown();
            }
            if (shuttingDown) {
                if (driver.quiescent()) {
                    // Closes of the last connections are prepared but not yet submitted: hand
                    // them to the kernel before the ring goes, or their descriptors would leak.
                    ring.submit();
                    ring.drain(dispatcher);
                    return;
                }
                if (now > stopDeadline) {
                    driver.abort();
                    stopDeadline = Long.MAX_VALUE;
                }
            }
        }
    }

    private void dispatch(long userData, int res, int flags) {
        if (UserData.op(userData) == OP_WAKE) {
            wakeArmed = false;
            return;
        }
        driver.complete(userData, res, flags);
    }

    private void armWake() {
        ring.sq().prepRead(wakeFd, wakeReadBuf.address(), 8, 0, UserData.pack(0, OP_WAKE, 0, 0));
        wakeArmed = true;
    }

    private void runTasks() {
        Runnable t;
        int budget = 1024;
        while (budget-- > 0 && (t = tasks.poll()) != null) {
            try {
                t.run();
            } catch (Throwable e) {
                LOG.log(System.Logger.Level.WARNING, "task failed on loop " + index, e);
            }
        }
    }

    private void cleanUp() {
        if (ring != null) {
            ring.close();
        }
        if (wakeFd >= 0) {
            Libc.close(wakeFd);
            wakeFd = -1;
        }
    }
}
