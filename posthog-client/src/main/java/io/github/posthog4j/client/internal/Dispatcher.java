package io.github.posthog4j.client.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Hands work to the delivery threads: decides when a consumer wakes (a full batch, the
 * flush interval, a flush, a probe due during an outage), gives out the next batch
 * (handed-back batches first, then the spool, then the in-memory queue) and takes back
 * what a delivery could not finish, at the head of the line with its order and attempt
 * count. Tracks events in flight, and completions for {@code flush}. The producers' side
 * is one volatile read and, when a batch is ready, one signal.
 */
final class Dispatcher {

    private final ReentrantLock lock = new ReentrantLock();

    /**
     * Signalled when consumers may have work: a full batch, a flush, a stop, the end of
     * an outage.
     */
    private final Condition work = this.lock.newCondition();

    /** Signalled when events reached a final state or were handed back, for flush. */
    private final Condition progress = this.lock.newCondition();

    /** The pipeline's current limits (flush-at, interval, batch size). */
    private final Supplier<PipelineLimits> settings;

    private final MemoryQueue memory;

    private final @Nullable SpoolPump spool;

    private final OutageBackoff backoff;

    private final Stats stats;

    /**
     * Batches handed back by unfinished deliveries; delivered before anything else.
     * Guarded by lock.
     */
    private final ArrayDeque<Batch> returned = new ArrayDeque<>();

    private volatile int returnedEvents;

    /** Events taken for delivery and not yet resolved or handed back. */
    private final AtomicLong inFlight = new AtomicLong();

    private volatile int waitingConsumers;

    /**
     * Whether the last take left a full batch behind (or a flush's remainder): a helper
     * consumer may take it.
     */
    private volatile boolean backlog;

    /** Held by the consumer that drains the in-memory queue. */
    private final Object drainLock = new Object();

    /** Helper consumers waiting for a backlog. Guarded by lock for writes. */
    private volatile int waitingHelpers;

    /**
     * Helpers that pack and sleep for a whole flush interval (nothing was queued or in
     * flight when they went to sleep): the next take wakes them, so that they watch the
     * queue while that request is out. Guarded by lock for writes.
     */
    private volatile int sleepingPackers;

    /**
     * While a request is out or events wait, a helper that packs looks at the queue this
     * often: a hanging request (a stalled PostHog) leaves the queue to grow with nobody
     * taking from it.
     */
    static final long PACK_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * Unpacked events that make packing worth it: fewer are taken by the next request
     * long before they matter to a collection.
     */
    static final int PACK_MIN_EVENTS = 1000;

    /**
     * Events packed per hold of the drain lock (a consumer's take waits at most this).
     */
    private static final int PACK_CHUNK = 1000;

    private final AtomicBoolean workSignalled = new AtomicBoolean();

    /**
     * While captures keep arriving, an idle consumer looks for a ready batch this often
     * instead of being woken by a capturing thread: waking a thread costs the caller a
     * system call, and on a busy machine the woken consumer can take the caller's core
     * for a while (the stall benchmark's slowest captures, issue 17).
     */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** Polls that saw no new capture before consumers sleep until they are signalled. */
    private static final int IDLE_POLLS = 25;

    /**
     * Whether idle consumers sleep until a producer signals a ready batch (no captures
     * lately), rather than polling.
     */
    private volatile boolean deepSleep = true;

    /** Captures counted at the last idle wait. Guarded by lock. */
    private long capturedAtLastWait = -1;

    /** Idle waits in a row without a new capture. Guarded by lock. */
    private int idleWaits;

    /**
     * While fewer events than this are completed, consumers send what they have at once
     * (a flush waits).
     */
    private final AtomicLong flushTarget = new AtomicLong();

    /**
     * Set by close once it emptied everything: what is handed back afterwards would never
     * be read again.
     */
    private boolean swept;

    Dispatcher(Supplier<PipelineLimits> settings, MemoryQueue memory, @Nullable SpoolPump spool, OutageBackoff backoff,
            Stats stats) {
        this.settings = settings;
        this.memory = memory;
        this.spool = spool;
        this.backoff = backoff;
        this.stats = stats;
    }

    // ---------------------------------------------------------------- producers

    /**
     * After a capture was queued (or, in spool mode, appended): wakes a consumer when a
     * batch is ready (once per batch, lock-free otherwise).
     */
    void queued() {
        if (this.deepSleep && this.waitingConsumers > 0 && queuedForConsumers() >= this.settings.get().flushAt()
                && this.workSignalled.compareAndSet(false, true)) {
            signalWork();
        }
    }

    void signalWork() {
        this.lock.lock();
        try {
            this.work.signalAll();
        }
        finally {
            this.lock.unlock();
        }
    }

    // ---------------------------------------------------------------- consumers

    /** How a consumer's wait ended. */
    enum Turn {

        /** The engine stops. */
        STOP,

        /** There is a batch to take. */
        SEND,

        /** A helper has nothing to send and the queue has a backlog to pack. */
        PACK

    }

    /**
     * Waits until a consumer has something to send, or must stop. The first consumer of a
     * pipeline sends every batch, partial ones when they are due; the others are
     * <em>helpers</em>: they sleep (no polling) and take work only when a consumer's take
     * left a full batch behind (or part of what a flush waits for), so that a second
     * request is in flight only when there is a backlog. Helpers never probe during an
     * outage. A helper that packs also packs a backlog that nobody takes (in memory mode:
     * {@link #pack}).
     * @param stopping whether the engine stops
     * @param helper whether the caller is a helper consumer
     * @param packs whether the caller is a helper that packs the in-memory queue
     * @return {@link Turn#SEND} with work to take, {@link Turn#PACK} with a backlog to
     * pack, {@link Turn#STOP} when the engine stops
     */
    Turn awaitWork(BooleanSupplier stopping, boolean helper, boolean packs) throws InterruptedException {
        this.lock.lock();
        try {
            while (!stopping.getAsBoolean()) {
                if (helper) {
                    Turn turn = helperTurn(packs && this.spool == null);
                    if (turn != null) {
                        return turn;
                    }
                    continue;
                }
                // helpers are not counted: a capturing thread signals only a sleeping
                // first consumer
                this.waitingConsumers++;
                try {
                    this.workSignalled.set(false);
                    PipelineLimits s = this.settings.get();
                    long size = queuedForConsumers();
                    boolean hasWork = size > 0 || !this.returned.isEmpty();
                    long intervalMillis = s.flushInterval().toMillis();
                    if (this.backoff.isActive()) {
                        long waitNanos = this.backoff.nanosUntilProbe();
                        if (hasWork && waitNanos <= 0) {
                            this.backoff.probeTaken();
                            return Turn.SEND;
                        }
                        this.work.awaitNanos(hasWork ? waitNanos : TimeUnit.MILLISECONDS.toNanos(intervalMillis));
                        continue;
                    }
                    if (!this.returned.isEmpty() || size >= s.flushAt() || (size > 0 && urgent())) {
                        return Turn.SEND;
                    }
                    if (size == 0) {
                        idleWait(TimeUnit.MILLISECONDS.toNanos(intervalMillis), s.flushAt());
                        continue;
                    }
                    long due = Math.min(intervalMillis, oldestMillis() + intervalMillis - System.currentTimeMillis());
                    if (due <= 0) {
                        return Turn.SEND;
                    }
                    idleWait(TimeUnit.MILLISECONDS.toNanos(due), s.flushAt());
                }
                finally {
                    this.waitingConsumers--;
                }
            }
            return Turn.STOP;
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * A helper's turn: {@link Turn#SEND} when a take left a backlog behind (a full batch,
     * or part of what a flush waits for) and no outage is on; {@link Turn#PACK} when it
     * packs and at least {@link #PACK_MIN_EVENTS} unpacked events wait with nobody taking
     * them; otherwise a sleep until a take, a flush, a stop or the end of an outage
     * signals, or the flush interval passes (a packing helper looks again every
     * {@link #PACK_CHECK_NANOS} while events wait or a request is out). Partial batches,
     * probes and the batch the first consumer is about to take are never a helper's.
     * Called with the lock held.
     * @param packs whether this helper packs
     * @return the turn, or null after a sleep
     */
    private @Nullable Turn helperTurn(boolean packs) throws InterruptedException {
        this.waitingHelpers++;
        try {
            PipelineLimits s = this.settings.get();
            long size = queuedForConsumers();
            if (this.backlog && !this.backoff.isActive()
                    && (size >= s.flushAt() || ((size > 0 || !this.returned.isEmpty()) && urgent()))) {
                this.backlog = false;
                return Turn.SEND;
            }
            if (packs && this.memory.unpacked() >= PACK_MIN_EVENTS) {
                return Turn.PACK;
            }
            long sleep = TimeUnit.MILLISECONDS.toNanos(s.flushInterval().toMillis());
            boolean watch = packs && (size > 0 || this.inFlight.get() > 0);
            if (packs && !watch) {
                this.sleepingPackers++;
                try {
                    this.work.awaitNanos(sleep);
                }
                finally {
                    this.sleepingPackers--;
                }
            }
            else {
                this.work.awaitNanos(watch ? Math.min(sleep, PACK_CHECK_NANOS) : sleep);
            }
            return null;
        }
        finally {
            this.waitingHelpers--;
        }
    }

    /**
     * A helper's {@link Turn#PACK}: packs the in-memory queue's unpacked events, oldest
     * first, a chunk per hold of the drain lock (consumers take between chunks, and
     * always in order).
     * @param serializer an event's JSON, or null to keep it whole (never throws)
     * @return how many events were packed
     */
    int pack(Function<QueuedEvent, byte @Nullable []> serializer) {
        int total = 0;
        int max = this.settings.get().maxBatchSize();
        while (total < max && this.memory.unpacked() >= PACK_MIN_EVENTS) {
            int n;
            synchronized (this.drainLock) {
                n = this.memory.pack(PACK_CHUNK, serializer);
            }
            if (n == 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /**
     * A consumer's wait for a batch to fill: short polls while captures keep arriving
     * (producers do not signal then), else a sleep until signalled or {@code maxNanos}.
     * Called with the lock held.
     */
    private void idleWait(long maxNanos, int flushAt) throws InterruptedException {
        long captured = this.stats.captured.sum();
        if (captured != this.capturedAtLastWait) {
            this.capturedAtLastWait = captured;
            this.idleWaits = 0;
        }
        else {
            this.idleWaits++;
        }
        if (this.idleWaits < IDLE_POLLS) {
            this.deepSleep = false;
            this.work.awaitNanos(Math.min(maxNanos, POLL_NANOS));
            return;
        }
        this.deepSleep = true;
        // a producer that filled a batch before it saw deepSleep did not signal: look
        // again
        if (queuedForConsumers() >= flushAt) {
            return;
        }
        this.work.awaitNanos(maxNanos);
    }

    private long queuedForConsumers() {
        SpoolPump s = this.spool;
        return (s != null) ? s.unread() : this.memory.size();
    }

    private long oldestMillis() {
        SpoolPump s = this.spool;
        if (s != null) {
            return s.lastReadMillis();
        }
        return this.memory.oldestMillis(System.currentTimeMillis());
    }

    /**
     * Gives out the next batch: handed-back work first, then the spool, then (in memory
     * mode, or when {@code fromMemory}) the in-memory queue.
     * @param fromMemory whether to take from the in-memory queue in spool mode too (an
     * inline drain, when the spool writer is not running)
     * @return the batch (its events now in flight), or null when there is none
     */
    @Nullable Batch take(boolean fromMemory) {
        Batch handedBack;
        this.lock.lock();
        try {
            handedBack = this.returned.pollFirst();
            if (handedBack != null) {
                this.returnedEvents -= handedBack.size();
                this.memory.heldBack(handedBack, false);
                this.inFlight.addAndGet(handedBack.size());
            }
        }
        finally {
            this.lock.unlock();
        }
        if (handedBack != null) {
            wakeHelpersForBacklog();
            return handedBack;
        }
        int max = this.settings.get().maxBatchSize();
        SpoolPump s = this.spool;
        if (s != null) {
            // counted in flight before reading, so that pending() never under-reports
            this.inFlight.addAndGet(max);
            Batch read = null;
            try {
                read = s.read(max);
            }
            finally {
                this.inFlight.addAndGet(((read != null) ? read.size() : 0) - max);
            }
            if (read != null || !fromMemory) {
                wakeHelpersForBacklog();
                return read;
            }
        }
        List<QueuedEvent> events;
        int n;
        // one consumer drains at a time, so that batches are consecutive runs of the
        // queue (capturing threads never take this lock)
        synchronized (this.drainLock) {
            int want = Math.min(max, Math.max(this.memory.size(), 1));
            events = new ArrayList<>(want);
            this.inFlight.addAndGet(want);
            n = this.memory.drainTo(events, want);
            this.inFlight.addAndGet(n - want);
        }
        wakeHelpersForBacklog();
        return (n == 0) ? null : new Batch(events, 0);
    }

    /**
     * On a consumer's thread, after it took a batch: when a full batch is still waiting
     * and a helper sleeps, wakes it, so that the backlog travels in parallel (the
     * capturing threads never pay for this wake-up).
     */
    private void wakeHelpersForBacklog() {
        long left = queuedForConsumers();
        this.backlog = left >= this.settings.get().flushAt() || (left > 0 && urgent());
        if ((this.backlog || this.sleepingPackers > 0) && this.waitingHelpers > 0) {
            signalWork();
        }
    }

    /**
     * @return the next batch for a consumer of the running engine (spool mode reads the
     * spool only)
     */
    @Nullable Batch take() {
        return take(this.spool == null);
    }

    /**
     * Puts unfinished batches back at the head of the line, in order, with their attempt
     * counts.
     * @param batches the batches (their events were in flight)
     * @return memory-only events that could not go back because close already emptied
     * everything (the caller counts them as dropped)
     */
    int giveBack(List<Batch> batches) {
        if (batches.isEmpty()) {
            return 0;
        }
        this.lock.lock();
        try {
            int orphaned = 0;
            for (int i = batches.size() - 1; i >= 0; i--) {
                Batch b = batches.get(i);
                this.inFlight.addAndGet(-b.size());
                if (this.swept) {
                    orphaned += b.memoryOnlyCount();
                    continue;
                }
                this.returned.addFirst(b);
                this.returnedEvents += b.size();
                this.memory.heldBack(b, true);
            }
            this.progress.signalAll();
            return orphaned;
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Events reached a final state (sent, or dropped after they were accepted).
     * @param n how many
     * @param wereInFlight whether they had been taken for delivery
     */
    void resolved(int n, boolean wereInFlight) {
        if (wereInFlight) {
            this.inFlight.addAndGet(-n);
        }
        this.stats.completed.add(n);
        this.lock.lock();
        try {
            this.progress.signalAll();
        }
        finally {
            this.lock.unlock();
        }
    }

    // ---------------------------------------------------------------- flush and close

    /**
     * @return whether a flush waits for events not completed yet
     */
    boolean urgent() {
        return this.stats.completed.sum() < this.flushTarget.get();
    }

    /**
     * Lets the running engine send everything accepted up to {@code target} now, and
     * waits until it did, the deadline passed, the engine stopped, or delivery failed for
     * now: a batch used its retries, or (during an outage) the probe this flush asked for
     * failed. The events stay queued then; nothing is thrown.
     * @return whether every event up to the target completed
     */
    boolean flushRunning(long target, long deadlineNanos, BooleanSupplier running) throws InterruptedException {
        long failedBefore = this.backoff.failedProbes();
        boolean outageBefore = this.backoff.isActive();
        this.lock.lock();
        try {
            this.flushTarget.accumulateAndGet(target, Math::max);
            this.backoff.probeSoon();
            this.work.signalAll();
            while (this.stats.completed.sum() < target && running.getAsBoolean()) {
                if (this.backoff.failedProbes() != failedBefore || (!outageBefore && this.backoff.isActive())) {
                    return false;
                }
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                this.progress.awaitNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return this.stats.completed.sum() >= target;
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * What close found left: memory-only events (handed back or still queued), and how
     * many handed-back events were read from the spool (they stay on disk,
     * unacknowledged).
     *
     * @param memoryOnly the memory-only events, oldest first
     * @param spooled handed-back events that live in the spool
     */
    record Leftovers(List<QueuedEvent> memoryOnly, int spooled) {
    }

    /**
     * Close: takes every handed-back batch and every queued event, and marks the line
     * closed (later hand-backs are orphans).
     * @return what was left
     */
    Leftovers sweep() {
        List<QueuedEvent> memoryOnly = new ArrayList<>();
        int spooled = 0;
        this.lock.lock();
        try {
            this.swept = true;
            for (Batch b : this.returned) {
                this.memory.heldBack(b, false);
                for (QueuedEvent e : b.events) {
                    if (e.inMemoryOnly()) {
                        memoryOnly.add(e);
                    }
                    else {
                        spooled++;
                    }
                }
            }
            this.returned.clear();
            this.returnedEvents = 0;
        }
        finally {
            this.lock.unlock();
        }
        this.memory.drainTo(memoryOnly, Integer.MAX_VALUE);
        return new Leftovers(memoryOnly, spooled);
    }

    /**
     * @return events waiting anywhere: queued, on the way to or in the spool, handed
     * back, or in flight
     */
    long pending() {
        SpoolPump s = this.spool;
        return this.memory.size() + ((s != null) ? s.unread() : 0) + (long) this.returnedEvents
                + Math.max(0, this.inFlight.get());
    }

}
