package io.github.posthog4j.client.internal;

import java.util.List;

/**
 * Events sent together, and how many attempts they have had. Owned by one thread at a
 * time.
 */
final class Batch {

    final List<QueuedEvent> events;

    int attempts;

    Batch(List<QueuedEvent> events, int attempts) {
        this.events = events;
        this.attempts = attempts;
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
