package io.github.posthog4j.autoconfigure.logs;

import org.jspecify.annotations.Nullable;

/**
 * The trace and span ids of the work in progress on this thread, as another tracer knows
 * them (Micrometer Tracing), for log records.
 *
 * @param traceId 32 lowercase hex characters
 * @param spanId 16 lowercase hex characters
 * @param flags the W3C trace flags (1: sampled), or null when unknown
 */
public record TraceIds(String traceId, String spanId, @Nullable Integer flags) {

    /** Reads the current ids. Implementations are fast, thread-safe and never throw. */
    @FunctionalInterface
    public interface Source {

        /**
         * @return the ids of the current span on this thread, or null without one
         */
        @Nullable TraceIds current();

    }

    /**
     * Pads a 64-bit trace id (16 hex characters, as Brave may use) to the 32 characters
     * of W3C.
     * @param traceId a trace id
     * @return the id on 32 characters
     */
    static String w3c(String traceId) {
        return (traceId.length() == 16) ? "0000000000000000" + traceId : traceId;
    }

}
