package io.github.posthog4j.client.internal.flags;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Remembers which (distinct id, flag, value, groups) combinations already produced a
 * {@code $feature_flag_called} event, in a bounded LRU: at capacity the least recently
 * seen entry is forgotten, never the whole set.
 */
final class FlagCalledTracker {

    private final int capacity;

    private final LinkedHashMap<String, Boolean> seen;

    FlagCalledTracker(int capacity) {
        this.capacity = capacity;
        this.seen = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > FlagCalledTracker.this.capacity;
            }
        };
    }

    /**
     * Atomically checks and records a combination.
     * @return true the first time a combination is seen (the event should be sent)
     */
    boolean firstTime(String distinctId, String flag, Object value, Map<String, String> groups) {
        StringBuilder key = new StringBuilder(64).append(distinctId)
            .append('\u0001')
            .append(flag)
            .append('\u0001')
            .append(value instanceof String ? "s:" : "v:")
            .append(value);
        if (groups != null && !groups.isEmpty()) {
            new TreeMap<>(groups).forEach((t, k) -> key.append('\u0001').append(t).append('=').append(k));
        }
        synchronized (seen) {
            return seen.put(key.toString(), Boolean.TRUE) == null;
        }
    }

    void clear() {
        synchronized (seen) {
            seen.clear();
        }
    }

    int size() {
        synchronized (seen) {
            return seen.size();
        }
    }

}
