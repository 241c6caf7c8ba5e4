package io.github.posthog4j.client.internal.exceptions;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The storm guard's notion of "the same exception": the types of the (first eight)
 * exceptions of the list and the innermost frames of each, or the custom fingerprint when
 * there is one. Messages are left out (they often carry ids), except for synthetic
 * entries, which have nothing else. Never sent: PostHog groups exceptions itself.
 * Internal API.
 */
public final class ExceptionFingerprints {

    private static final int ENTRIES = 8;

    private static final int FRAMES = 8;

    private static final long OFFSET = 0xcbf29ce484222325L;

    private static final long PRIME = 0x100000001b3L;

    private ExceptionFingerprints() {
    }

    /**
     * @param properties the properties of an {@code $exception} event
     * @return a 64-bit fingerprint
     */
    public static long of(Map<String, ?> properties) {
        long h = OFFSET;
        if (properties.get("$exception_fingerprint") instanceof String custom) {
            return mix(mix(h, "custom"), custom);
        }
        if (!(properties.get("$exception_list") instanceof List<?> list)) {
            return h;
        }
        int n = Math.min(list.size(), ENTRIES);
        for (int i = 0; i < n; i++) {
            if (!(list.get(i) instanceof Map<?, ?> entry)) {
                continue;
            }
            h = mix(h, entry.get("type"));
            if (entry.get("mechanism") instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("synthetic"))) {
                h = mix(h, entry.get("value"));
            }
            if (entry.get("stacktrace") instanceof Map<?, ?> st && st.get("frames") instanceof List<?> frames) {
                // frames end at the crash site: hash the innermost ones
                for (int j = frames.size() - 1; j >= Math.max(0, frames.size() - FRAMES); j--) {
                    if (frames.get(j) instanceof Map<?, ?> f) {
                        h = mix(mix(mix(h, f.get("module")), f.get("function")), f.get("lineno"));
                    }
                }
            }
        }
        return h;
    }

    private static long mix(long h, @Nullable Object value) {
        String s = String.valueOf(value);
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * PRIME;
        }
        return (h ^ 0x1f) * PRIME;
    }

}
