package io.github.posthog4j.client.internal;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * until it is respected.
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
     * Takes an event back out if it is still queued (a capture that raced close).
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
        QueuedEvent e;
        while (n < max && (e = this.queue.poll()) != null) {
            into.add(e);
            bytes += e.estimatedBytes;
            n++;
        }
        this.held.addAndGet(-n);
        this.heldBytes.addAndGet(-bytes);
        return n;
    }

    /**
     * @return the oldest event, not removed, or null
     */
    @Nullable QueuedEvent peek() {
        return this.queue.peek();
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
