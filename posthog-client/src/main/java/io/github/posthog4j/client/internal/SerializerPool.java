package io.github.posthog4j.client.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Serialisers for the capturing threads of spool mode, where events are serialised on the
 * caller's thread: a small lock-free pool (each serialiser keeps a reusable buffer), so
 * that neither many short-lived threads nor virtual threads keep one each. When every
 * pooled one is in use, a new one is made and dropped afterwards.
 */
final class SerializerPool {

    /**
     * Slots {@value #STRIDE} references apart, so that threads taking different slots do
     * not share a cache line.
     */
    private static final int STRIDE = 16;

    private final AtomicReferenceArray<EventSerializer> slots;

    private final int size;

    SerializerPool(int size) {
        this.size = size;
        this.slots = new AtomicReferenceArray<>(size * STRIDE);
    }

    EventSerializer acquire() {
        int n = this.size;
        int start = (int) (Thread.currentThread().getId() % n);
        for (int i = 0; i < n; i++) {
            int slot = ((start + i) % n) * STRIDE;
            EventSerializer s = this.slots.get(slot);
            if (s != null && this.slots.compareAndSet(slot, s, null)) {
                return s;
            }
        }
        return new EventSerializer();
    }

    void release(EventSerializer serializer) {
        int n = this.size;
        int start = (int) (Thread.currentThread().getId() % n);
        for (int i = 0; i < n; i++) {
            int slot = ((start + i) % n) * STRIDE;
            if (this.slots.get(slot) == null && this.slots.compareAndSet(slot, null, serializer)) {
                return;
            }
        }
    }

}
