package io.github.posthog4j.client;

import org.jspecify.annotations.Nullable;

/**
 * PostHog's tracing headers, which posthog-js and the mobile SDKs add to requests to the
 * application's backend, and how a server reads them into a {@link PosthogContext}.
 * Header values come from the client: they are analytics context, never evidence of
 * identity for authentication or authorisation.
 */
public final class TracingHeaders {

    /** The frontend's current distinct id. */
    public static final String DISTINCT_ID = "X-POSTHOG-DISTINCT-ID";

    /** The frontend's current session id, sent with events as {@code $session_id}. */
    public static final String SESSION_ID = "X-POSTHOG-SESSION-ID";

    /** The longest value kept, in characters; longer values are cut. */
    public static final int MAX_LENGTH = 1000;

    private TracingHeaders() {
    }

    /**
     * Cleans one header value: removes control characters, trims white space, cuts it to
     * {@value #MAX_LENGTH} characters (never inside a surrogate pair).
     * @param value the raw value, or null
     * @return the clean value, or null when nothing is left
     */
    public static @Nullable String sanitize(@Nullable String value) {
        if (value == null) {
            return null;
        }
        StringBuilder kept = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                if (kept == null) {
                    kept = new StringBuilder(value.length()).append(value, 0, i);
                }
            }
            else if (kept != null) {
                kept.append(c);
            }
        }
        String clean = ((kept != null) ? kept.toString() : value).strip();
        if (clean.length() > MAX_LENGTH) {
            int end = MAX_LENGTH;
            if (Character.isHighSurrogate(clean.charAt(end - 1))) {
                end--;
            }
            clean = clean.substring(0, end).strip();
        }
        return clean.isEmpty() ? null : clean;
    }

    /**
     * The first value of a header that is still a value once {@link #sanitize(String)
     * sanitised} (headers may be repeated).
     * @param values the header's values in order, or null
     * @return the clean value, or null
     */
    public static @Nullable String firstValid(@Nullable Iterable<String> values) {
        if (values == null) {
            return null;
        }
        for (String value : values) {
            String clean = sanitize(value);
            if (clean != null) {
                return clean;
            }
        }
        return null;
    }

}
