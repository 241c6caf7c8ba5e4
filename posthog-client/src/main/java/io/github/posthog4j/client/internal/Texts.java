package io.github.posthog4j.client.internal;

import org.jspecify.annotations.Nullable;

/** Small text helpers shared by the parts of the client. Internal API. */
public final class Texts {

    private Texts() {
    }

    /**
     * Shortens user text (an event name, a flag key) for a log message.
     * @param s the text, or null
     * @return at most 64 characters and an ellipsis, or {@code null}
     */
    public static String abbreviate(@Nullable String s) {
        if (s == null) {
            return "null";
        }
        return (s.length() <= 64) ? s : s.substring(0, 64) + "...";
    }

    /**
     * @param s the text, or null
     * @return whether it is null, empty or white space only
     */
    public static boolean isBlank(@Nullable String s) {
        return s == null || s.isBlank();
    }

}
