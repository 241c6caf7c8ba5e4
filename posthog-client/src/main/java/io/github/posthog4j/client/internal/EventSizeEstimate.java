package io.github.posthog4j.client.internal;

import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a queued event holds on the heap, estimated on the caller's thread without
 * serialising it: the bound of the in-memory queue is in bytes ({@link MemoryQueue}), so
 * that a burst of small events is absorbed and a few huge ones cannot exhaust the heap.
 * The figures are those of a 64-bit JVM with compressed references and Latin-1 strings,
 * rounded up. Keys and the event name are counted by their length only (they are mostly
 * constants the caller shares); values in full (they are often built for the event, and
 * the queue keeps them alive). The benchmarks' event of five small properties retains
 * about 300 bytes (docs/BENCHMARKS.md) and is estimated at about 750. The walk of nested
 * values stops after {@value #MAX_VISITS} values; each value past that counts
 * {@value #PER_VALUE} bytes. Super properties are not counted: they are a snapshot shared
 * by every event.
 */
final class EventSizeEstimate {

    /** The event object, its uuid string, the property map's header and table. */
    static final int BASE = 256;

    /** A map entry or a collection slot, with a boxed or small value. */
    static final int PER_VALUE = 48;

    /** A string's header and array header. */
    static final int STRING = 48;

    static final int MAX_VISITS = 512;

    private int visits;

    private EventSizeEstimate() {
    }

    /**
     * @param event the event name
     * @param distinctId the distinct id, or null
     * @param properties the event's own properties, or null
     * @return the estimated bytes the queued event retains
     */
    static int of(String event, @Nullable String distinctId, @Nullable Map<String, @Nullable Object> properties) {
        long bytes = BASE + event.length() + chars(distinctId);
        if (properties != null && !properties.isEmpty()) {
            bytes += new EventSizeEstimate().map(properties);
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static long chars(@Nullable String s) {
        return (s == null) ? 0 : STRING + s.length();
    }

    private long map(Map<?, ?> m) {
        long bytes = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (++this.visits > MAX_VISITS) {
                return bytes + (long) PER_VALUE * m.size();
            }
            Object key = e.getKey();
            bytes += PER_VALUE + ((key instanceof String s) ? s.length() : PER_VALUE) + value(e.getValue());
        }
        return bytes;
    }

    private long value(@Nullable Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof Character) {
            return 16;
        }
        if (v instanceof CharSequence s) {
            return STRING + s.length();
        }
        if (v instanceof Map<?, ?> m) {
            return 2L * PER_VALUE + map(m);
        }
        if (v instanceof Collection<?> c) {
            long bytes = PER_VALUE + 8L * c.size();
            for (Object o : c) {
                if (++this.visits > MAX_VISITS) {
                    return bytes + (long) PER_VALUE * c.size();
                }
                bytes += value(o);
            }
            return bytes;
        }
        if (v instanceof byte[] a) {
            return 16 + a.length;
        }
        if (v instanceof Object[] a) {
            long bytes = 16 + 8L * a.length;
            for (Object o : a) {
                if (++this.visits > MAX_VISITS) {
                    return bytes + (long) PER_VALUE * a.length;
                }
                bytes += value(o);
            }
            return bytes;
        }
        // dates, enums, UUIDs, beans: small objects Jackson writes later
        return 2L * PER_VALUE;
    }

}
