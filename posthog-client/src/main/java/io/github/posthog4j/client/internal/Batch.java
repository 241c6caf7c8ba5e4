package io.github.posthog4j.client.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Events sent together, and how many attempts they have had. Owned by one thread at a
 * time.
 */
final class Batch {

    final List<QueuedEvent> events;

    int attempts;

    /**
     * The id every attempt of this request carries (capture v1
     * {@code PostHog-Request-Id}), set by the first attempt; null before.
     */
    @Nullable String requestId;

    /**
     * When the request was first built (capture v1 {@code created_at}), kept across its
     * attempts; null before.
     */
    @Nullable String createdAt;

    Batch(List<QueuedEvent> events, int attempts) {
        this.events = events;
        this.attempts = attempts;
    }

    /**
     * The same request with fewer events (those PostHog asked to retry): attempt count,
     * request id and creation time are kept.
     * @param kept the events to keep
     * @return the smaller batch
     */
    Batch keep(List<QueuedEvent> kept) {
        Batch b = new Batch(kept, this.attempts);
        b.requestId = this.requestId;
        b.createdAt = this.createdAt;
        return b;
    }

    int size() {
        return events.size();
    }

    /**
     * @return how many of the events live only in memory (not in the spool)
     */
    int memoryOnlyCount() {
        int n = 0;
        for (QueuedEvent e : this.events) {
            if (e.inMemoryOnly()) {
                n++;
            }
        }
        return n;
    }

}
