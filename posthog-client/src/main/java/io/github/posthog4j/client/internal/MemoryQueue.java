package io.github.posthog4j.client.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The client's in-memory queue: captured events, in order, bounded by the queue's
 * capacity in events and by a budget of heap bytes (each event's
 * {@link QueuedEvent#estimatedBytes}, {@link EventSizeEstimate}). Events handed back by
 * an unfinished delivery count towards both too ({@link #heldBack}), so an outage fills
 * the queue and then refuses new captures, rather than holding more than the capacity.
 * Never blocks a producer, nor takes a lock: a lock-free linked queue and counters (a
 * producer never waits for a consumer that holds a lock and was descheduled). The bounds
 * can change at run time: events above a lowered bound are kept, and captures are refused
 * until it is respected. The oldest events may be packed ({@link #pack}): kept
 * serialised, ahead of the linked queue, in order.
 */
final class MemoryQueue {

    private final ConcurrentLinkedQueue<QueuedEvent> queue = new ConcurrentLinkedQueue<>();

    /**
     * Memory-only events handed back and not yet taken again (changed by consumers only):
     * the queue's size is {@link #held} less these, so a capture touches one counter
     * fewer.
     */
    private final AtomicInteger handedBack = new AtomicInteger();

    /** Events queued plus memory-only events handed back and not yet taken again. */
    private final AtomicInteger held = new AtomicInteger();

    /** Estimated heap bytes of the events counted by {@link #held}. */
    private final AtomicLong heldBytes = new AtomicLong();

    /**
     * The oldest events, taken off the linked queue by {@link #pack}, in runs; all older
     * than the linked queue's. Guarded by itself, which a capturing thread never takes.
     */
    private final ArrayDeque<PackedEvents> packed = new ArrayDeque<>();

    /** Events in {@link #packed}. Written under its lock. */
    private volatile int packedEvents;

    /**
     * When the oldest packed event was captured, or {@link Long#MAX_VALUE} when none is.
     * Written under the lock of packed.
     */
    private volatile long packedSinceMillis = Long.MAX_VALUE;

    private volatile int capacity;

    private volatile long byteCapacity = Long.MAX_VALUE;

    MemoryQueue(int capacity) {
        this.capacity = capacity;
    }

    /**
     * @return whether a capture would be refused now (checked before any work is done for
     * it)
     */
    boolean isFull() {
        return this.held.get() >= this.capacity || this.heldBytes.get() >= this.byteCapacity;
    }

    /**
     * Appends an event.
     * @param e the event
     * @return false when the queue is full (the event was not added)
     */
    boolean offer(QueuedEvent e) {
        if (this.held.incrementAndGet() > this.capacity) {
            this.held.decrementAndGet();
            return false;
        }
        int bytes = e.estimatedBytes;
        // an event larger than the whole budget still gets in alone
        if (this.heldBytes.addAndGet(bytes) > this.byteCapacity && bytes < this.heldBytes.get()) {
            this.heldBytes.addAndGet(-bytes);
            this.held.decrementAndGet();
            return false;
        }
        this.queue.offer(e);
        return true;
    }

    /**
     * Takes an event back out if it is still queued (a capture that raced close). An
     * event already packed stays, and is taken with the rest.
     * @param e the event
     * @return whether it was removed
     */
    boolean remove(QueuedEvent e) {
        if (this.queue.remove(e)) {
            this.held.decrementAndGet();
            this.heldBytes.addAndGet(-e.estimatedBytes);
            return true;
        }
        return false;
    }

    /**
     * Moves up to {@code max} events, oldest first, into {@code into}.
     * @return how many
     */
    int drainTo(List<QueuedEvent> into, int max) {
        int n = 0;
        long bytes = 0;
        synchronized (this.packed) {
            PackedEvents run;
            int fromRuns = 0;
            try {
                while (n < max && (run = this.packed.peekFirst()) != null) {
                    while (n < max && run.remaining() > 0) {
                        QueuedEvent e = run.poll();
                        into.add(e);
                        bytes += e.estimatedBytes;
                        n++;
                        fromRuns++;
                    }
                    if (run.remaining() > 0) {
                        break;
                    }
                    this.packed.pollFirst();
                }
            }
            catch (OutOfMemoryError ex) {
                // an event taken out of a run is allocated: without memory, this batch
                // ends here and the rest stays packed
                max = n;
            }
            finally {
                if (fromRuns > 0) {
                    this.packedEvents -= fromRuns;
                    this.packedSinceMillis = oldestPacked();
                }
            }
            QueuedEvent e;
            while (n < max && (e = this.queue.poll()) != null) {
                into.add(e);
                bytes += e.estimatedBytes;
                n++;
            }
        }
        this.held.addAndGet(-n);
        this.heldBytes.addAndGet(-bytes);
        return n;
    }

    /**
     * Packs events off the head of the linked queue into runs, in order (those that
     * cannot be packed keep their place, whole). They stay counted as held; a packed
     * event counts its packed cost ({@link PackedEvents#cost}) instead of its estimate. A
     * run is allocated before an event is taken off the linked queue, and nothing
     * allocates after, but the serialiser (whose failure keeps the event whole): an
     * allocation failure loses no event.
     * @param max the most events to move
     * @param serializer an event's JSON, or null to keep the event whole
     * @return how many events moved
     */
    int pack(int max, Function<QueuedEvent, byte @Nullable []> serializer) {
        synchronized (this.packed) {
            int n = 0;
            long bytesDelta = 0;
            QueuedEvent head = this.queue.peek();
            if (head != null && this.packedSinceMillis == Long.MAX_VALUE) {
                // the flush interval's clock, before the head leaves the linked queue
                this.packedSinceMillis = head.capturedAtMillis;
            }
            try {
                while (n < max && (head = this.queue.peek()) != null) {
                    // everything an event needs is allocated before it leaves the linked
                    // queue
                    PackedEvents run = this.packed.peekLast();
                    if (run == null || !run.hasRoom()) {
                        run = new PackedEvents();
                        this.packed.addLast(run);
                    }
                    if (PackedEvents.packable(head)) {
                        run.readyForJson();
                    }
                    QueuedEvent e = this.queue.poll();
                    if (e == null) {
                        break;
                    }
                    n++;
                    byte[] json = null;
                    try {
                        json = PackedEvents.packable(e) ? serializer.apply(e) : null;
                    }
                    catch (RuntimeException | Error ex) {
                        // kept whole: its request serialises it again, and reports what
                        // fails
                    }
                    if (json != null && run.add(e, json)) {
                        bytesDelta += PackedEvents.cost(json) - e.estimatedBytes;
                    }
                    else {
                        run.addWhole(e);
                    }
                }
            }
            finally {
                this.heldBytes.addAndGet(bytesDelta);
                if (n > 0) {
                    this.packedEvents += n;
                }
                this.packedSinceMillis = oldestPacked();
                PackedEvents last = this.packed.peekLast();
                if (last != null && last.remaining() == 0) {
                    this.packed.pollLast(); // allocated, and then nothing was left to
                                            // pack
                }
            }
            return n;
        }
    }

    /** Called with the lock of packed held. */
    private long oldestPacked() {
        for (PackedEvents run : this.packed) {
            if (run.remaining() > 0) {
                return run.nextCapturedAtMillis();
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * @return when the oldest event was captured, or {@code none} when nothing is queued
     * (never waits for a packing helper)
     */
    long oldestMillis(long none) {
        long since = this.packedSinceMillis;
        if (since != Long.MAX_VALUE) {
            return since;
        }
        QueuedEvent head = this.queue.peek();
        return (head != null) ? head.capturedAtMillis : none;
    }

    /**
     * @return the runs of packed events (for tests)
     */
    int runs() {
        synchronized (this.packed) {
            return this.packed.size();
        }
    }

    /**
     * @return events packed and not taken yet
     */
    int packed() {
        return this.packedEvents;
    }

    /**
     * @return events queued and not packed (an estimate while consumers take)
     */
    int unpacked() {
        return Math.max(0, size() - this.packedEvents);
    }

    /**
     * @return events queued (not those handed back)
     */
    int size() {
        return Math.max(0, this.held.get() - this.handedBack.get());
    }

    /**
     * Counts the memory-only events of a batch handed back to the head of the line, or
     * taken again.
     * @param b the batch
     * @param back true when handed back, false when taken again
     */
    void heldBack(Batch b, boolean back) {
        int events = 0;
        long bytes = 0;
        for (QueuedEvent e : b.events) {
            if (e.inMemoryOnly()) {
                events++;
                bytes += e.estimatedBytes;
            }
        }
        // in the order that makes a concurrent size() err low rather than high (a reader
        // between its two loads can still be off by this batch for a moment)
        if (back) {
            this.handedBack.addAndGet(events);
            this.held.addAndGet(events);
        }
        else {
            this.held.addAndGet(-events);
            this.handedBack.addAndGet(-events);
        }
        this.heldBytes.addAndGet(back ? bytes : -bytes);
    }

    /**
     * @return the estimated heap bytes of the events held (queued and handed back)
     */
    long heldBytes() {
        return this.heldBytes.get();
    }

    long byteCapacity() {
        return this.byteCapacity;
    }

    void byteCapacity(long byteCapacity) {
        this.byteCapacity = byteCapacity;
    }

    int capacity() {
        return this.capacity;
    }

    void capacity(int capacity) {
        this.capacity = capacity;
    }

}
