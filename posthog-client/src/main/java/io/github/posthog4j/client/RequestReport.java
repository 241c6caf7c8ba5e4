package io.github.posthog4j.client;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request attempt made by the client. Never contains the API key.
 *
 * @param endpoint {@code batch}, {@code flags} or {@code definitions}
 * @param attempt 1 for the first attempt of a batch, 2 for its first retry, and so on
 * @param statusCode the HTTP status, or 0 when no response arrived (I/O error or timeout)
 * @param outcome what the client made of it
 * @param eventCount how many events the request carried (0 for non-batch requests)
 * @param uuids the UUIDs of those events, in request order
 * @param requestBytes the size of the request body as sent (after compression)
 * @param duration how long the attempt took
 * @param error a short description of the failure, or null
 * @param pipeline the delivery pipeline of a batch request ({@code events}, {@code ai},
 * {@code logs}, {@code traces}), {@code flags} for flag and definitions requests
 */
public record RequestReport(String endpoint, int attempt, int statusCode, Outcome outcome, int eventCount,
        List<String> uuids, long requestBytes, Duration duration, @Nullable String error, String pipeline) {

    /** The pipeline of analytics events. */
    public static final String EVENTS = "events";

    /** The pipeline of AI events ({@link PosthogClient#captureAi}). */
    public static final String AI = "ai";

    /** The pipeline of log records ({@link PosthogClient#captureLog}). */
    public static final String LOGS = "logs";

    /** The pipeline of spans ({@link PosthogClient#startSpan}). */
    public static final String TRACES = "traces";

    /** The pipeline value of flag and definitions requests. */
    public static final String FLAGS = "flags";

    /**
     * A report without a pipeline: {@code events} for {@code batch} requests,
     * {@code flags} for the others.
     * @param endpoint {@code batch}, {@code flags} or {@code definitions}
     * @param attempt the attempt, from 1
     * @param statusCode the HTTP status, or 0
     * @param outcome what the client made of it
     * @param eventCount events carried
     * @param uuids their UUIDs
     * @param requestBytes body size as sent
     * @param duration how long it took
     * @param error the failure, or null
     */
    public RequestReport(String endpoint, int attempt, int statusCode, Outcome outcome, int eventCount,
            List<String> uuids, long requestBytes, Duration duration, @Nullable String error) {
        this(endpoint, attempt, statusCode, outcome, eventCount, uuids, requestBytes, duration, error,
                "batch".equals(endpoint) ? EVENTS : FLAGS);
    }

    /** What the client made of a response. */
    public enum Outcome {

        /** 2xx: delivered. */
        SUCCESS,
        /**
         * A retryable failure (408, 429, 5xx, I/O error); the request will be retried or
         * counted exhausted.
         */
        RETRYABLE_ERROR,
        /** A failure that is not retried (400, 401, 403, 413, ...). */
        REJECTED;

        /**
         * @return the lower-case name used in metric tags
         */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

    }
}
