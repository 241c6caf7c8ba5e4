package io.github.posthog4j.client;

import java.util.Locale;

/**
 * The status of a span: unset until {@link PosthogSpan#setStatus} or an error says
 * otherwise. Sent as the OTLP status code.
 */
public enum SpanStatus {

    /** No status was set; OTLP 0. */
    UNSET(0),

    /** The operation succeeded, as the application says; OTLP 1. */
    OK(1),

    /** The operation failed; OTLP 2. */
    ERROR(2);

    private final int code;

    SpanStatus(int code) {
        this.code = code;
    }

    /**
     * @return the OTLP status code
     */
    public int code() {
        return this.code;
    }

    /**
     * @return the name used in APIs and hooks, lower case ({@code ok}, {@code error},
     * {@code unset})
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

}
