package io.github.posthog4j.client;

/**
 * The work {@link PosthogClient#withSpan} runs inside a span: it gets the span (to add
 * attributes or events) and returns a value. It may throw: the span records the exception
 * and ends, and the exception reaches the caller unchanged.
 *
 * @param <T> the result type
 * @param <E> what the work may throw
 */
@FunctionalInterface
public interface SpanCallback<T, E extends Throwable> {

    /**
     * Does the work.
     * @param span the span (a no-op span when tracing is off); active while this runs
     * @return the result
     * @throws E what the work throws
     */
    T call(PosthogSpan span) throws E;

}
