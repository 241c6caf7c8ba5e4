package io.github.posthog4j.client;

import org.jspecify.annotations.Nullable;

/**
 * A hook that sees every log record before it is queued
 * ({@link LogsConfig.Builder#beforeSend}), and may change or drop it. Hooks run on the
 * capturing thread, in the order they were added; each gets the previous hook's output.
 * Returning {@code null}, or leaving the body blank, drops the record
 * ({@link DropReason#BEFORE_SEND}).
 *
 * <p>
 * A hook that throws is skipped: the record goes on with the value it had before that
 * hook, as the logs specification asks (fail open; the error is logged at WARN, rate
 * limited). Spans differ: a failing {@link BeforeSpanSendHook} drops the span.
 */
@FunctionalInterface
public interface BeforeSendLogHook {

    /**
     * Inspects or changes a record.
     * @param record the record, mutable
     * @return the record to send (the same or another instance), or {@code null} to drop
     * it
     */
    @Nullable PosthogLogRecord apply(PosthogLogRecord record);

}
