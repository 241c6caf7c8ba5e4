package io.github.posthog4j.client;

import org.jspecify.annotations.Nullable;

/**
 * A hook that sees every finished span before it is queued
 * ({@link TracesConfig.Builder#beforeSpanSend}): the place to scrub sensitive attribute
 * values, or to sample (drop whole traces on a hash of
 * {@link PosthogSpanData#traceId()}). Hooks run on the thread that ends the span, in
 * order; each gets the previous one's output.
 *
 * <p>
 * Returning {@code null} drops the span ({@link DropReason#BEFORE_SEND}). A hook that
 * throws also drops it (fail closed: a broken scrubber must not leak what it was meant to
 * remove), with a WARN. The span limits (attributes, events) apply again to what the hook
 * returns.
 */
@FunctionalInterface
public interface BeforeSpanSendHook {

    /**
     * Inspects or changes a span.
     * @param span the span, mutable but for its ids and times
     * @return the span to send, or {@code null} to drop it
     */
    @Nullable PosthogSpanData apply(PosthogSpanData span);

}
