package io.github.posthog4j.client.internal;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The client's in-memory queue: captured events, in order, bounded by the queue's
 * capacity. Events handed back by an unfinished delivery count towards the capacity too
 * ({@link #heldBack}), so an outage fills the queue and then refuses new captures, rather
 * than holding more than the capacity. Never blocks a producer. The capacity can change
 * at run time: events above a lowered capacity are kept, and captures are refused until
 * it is respected.
 */
final class MemoryQueue {

    private final LinkedBlockingQueue<QueuedEvent> queue = new LinkedBlockingQueue<>();

    /** Events queued plus memory-only events handed back and not yet taken again. */
    private final AtomicInteger held = new AtomicInteger();

    private volatile int capacity;

    MemoryQueue(int capacity) {
        this.capacity = capacity;
    }

    /**
     * @return whether a capture would be refused now (checked before any work is done for
     * it)
     */
    boolean isFull() {
        return this.held.get() >= this.capacity;
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
            return true;
        }
        return false;
    }

    /**
     * Moves up to {@code max} events, oldest first, into {@code into}.
     * @return how many
     */
    int drainTo(List<QueuedEvent> into, int max) {
        int n = this.queue.drainTo(into, max);
        this.held.addAndGet(-n);
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
        return this.queue.size();
    }

    /**
     * Counts memory-only events handed back to the head of the line (positive) or taken
     * again (negative).
     * @param delta the change
     */
    void heldBack(int delta) {
        this.held.addAndGet(delta);
    }

    int capacity() {
        return this.capacity;
    }

    void capacity(int capacity) {
        this.capacity = capacity;
    }

}
