package io.github.posthog4j.client.internal.exceptions;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validation of supplied exception metadata: a field of the wrong JSON type, an empty
 * string, a negative identifier or null is treated as absent, never as a default, and
 * never throws.
 */
final class Mechanisms {

    /** The mechanism fields PostHog gives a cross-SDK meaning. */
    static final Set<String> COMMON = Set.of("type", "handled", "source", "synthetic", "exception_id", "parent_id");

    private Mechanisms() {
    }

    static @Nullable String text(@Nullable Object value) {
        return (value instanceof String s && !s.isBlank()) ? s : null;
    }

    static @Nullable Boolean bool(@Nullable Object value) {
        return (value instanceof Boolean b) ? b : null;
    }

    static @Nullable Long id(@Nullable Object value) {
        long id;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            id = ((Number) value).longValue();
        }
        else if (value instanceof BigInteger big && big.bitLength() < 63) {
            id = big.longValue();
        }
        else {
            return null;
        }
        return (id >= 0) ? id : null;
    }

    /**
     * @param value a platform field's value
     * @return whether it is a JSON value (null excluded) made of strings, finite numbers,
     * booleans, lists and string-keyed maps
     */
    static boolean jsonSafe(@Nullable Object value) {
        return jsonSafe(value, 0);
    }

    private static boolean jsonSafe(@Nullable Object value, int depth) {
        if (value == null || depth > 16) {
            return false;
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
            return true;
        }
        if (value instanceof Double d) {
            return Double.isFinite(d);
        }
        if (value instanceof Float f) {
            return Float.isFinite(f);
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String) || !jsonSafe(e.getValue(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Collection<?> list) {
            for (Object item : list) {
                if (!jsonSafe(item, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

}
