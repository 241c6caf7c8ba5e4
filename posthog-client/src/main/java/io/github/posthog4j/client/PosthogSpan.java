package io.github.posthog4j.client;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A span: a timed operation with a parent, sent to PostHog as an OpenTelemetry span when
 * it {@link #end() ends}. Get one from {@link PosthogClient#startSpan(String)} or,
 * better, let {@link PosthogClient#withSpan(String, SpanCallback)} start, activate and
 * end it.
 *
 * <p>
 * Every method is thread-safe and never throws. After {@link #end()} every change is
 * ignored. When tracing cannot run (no traces config, opted out, too many live spans),
 * the client hands out a <em>no-op</em> span: the same methods, doing nothing,
 * {@link #isRecording()} false, {@link #traceparent()} null, never active.
 */
public interface PosthogSpan {

    /**
     * @return the span that does nothing
     */
    static PosthogSpan noop() {
        return NoopSpan.INSTANCE;
    }

    /**
     * Sets an attribute: a string, boolean, number, array, collection or map of those;
     * other values are sent as their {@code toString()}; null removes it. Span names stay
     * low-cardinality: put variable values (ids, paths) here, not in the name.
     * @param key the name
     * @param value the value
     * @return this span
     */
    PosthogSpan setAttribute(String key, @Nullable Object value);

    /**
     * Sets attributes (see {@link #setAttribute(String, Object)}).
     * @param attributes the attributes; null is ignored
     * @return this span
     */
    PosthogSpan setAttributes(@Nullable Map<String, ?> attributes);

    /**
     * Adds an event at this moment.
     * @param name the event name
     * @return this span
     */
    default PosthogSpan addEvent(String name) {
        return addEvent(name, null);
    }

    /**
     * Adds an event with attributes at this moment.
     * @param name the event name
     * @param attributes the event's attributes, or null
     * @return this span
     */
    PosthogSpan addEvent(String name, @Nullable Map<String, ?> attributes);

    /**
     * Adds an event with attributes at the given time.
     * @param name the event name
     * @param attributes the event's attributes, or null
     * @param timestamp when it happened (null: now)
     * @return this span
     */
    PosthogSpan addEvent(String name, @Nullable Map<String, ?> attributes, @Nullable Instant timestamp);

    /**
     * Sets the status (the last call wins).
     * @param status the status
     * @return this span
     */
    default PosthogSpan setStatus(SpanStatus status) {
        return setStatus(status, null);
    }

    /**
     * Sets the status and its description (the last call wins).
     * @param status the status
     * @param message a description (kept for {@link SpanStatus#ERROR} only), or null
     * @return this span
     */
    PosthogSpan setStatus(SpanStatus status, @Nullable String message);

    /**
     * Records an exception without ending the span: status {@code error} with the
     * exception's message, and an {@code exception} event with {@code exception.type}
     * (the class name) and {@code exception.message}.
     * @param exception the exception; null is ignored
     * @return this span
     */
    PosthogSpan recordException(@Nullable Throwable exception);

    /**
     * Replaces the name until the span ends (a route template known only once the request
     * was routed, for example). An empty name becomes {@code unknown}.
     * @param name the new name
     * @return this span
     */
    PosthogSpan updateName(String name);

    /**
     * @return the W3C {@code traceparent} header value of this span
     * ({@code 00-<trace id>-<span id>-01}), or null for a no-op span
     */
    @Nullable String traceparent();

    /**
     * @return the W3C {@code tracestate} this span carries (from a continued remote
     * trace), or null
     */
    @Nullable String tracestate();

    /**
     * @return the trace id (32 lowercase hex characters), or null for a no-op span
     */
    @Nullable String traceId();

    /**
     * @return the span id (16 lowercase hex characters), or null for a no-op span
     */
    @Nullable String spanId();

    /**
     * @return whether this span records (false for a no-op span, and once it ended)
     */
    boolean isRecording();

    /**
     * Makes this span the client's active span on this thread until the returned scope is
     * closed (the parent of spans started without one, and the trace of log records), for
     * code that cannot wrap its work in {@link PosthogClient#withSpan}. Does not end the
     * span. A no-op span is never activated.
     *
     * <pre>{@code
     * try (PosthogSpan.Scope scope = span.activate()) {
     *     ...
     * }
     * }</pre>
     * @return the scope; close it on this thread to restore the previous active span
     */
    Scope activate();

    /** Ends the span now. Later calls do nothing. */
    default void end() {
        end(null);
    }

    /**
     * Ends the span at the given time (a value before the start, or out of range, is
     * corrected). Later calls do nothing.
     * @param endTime when it ended, or null for now
     */
    void end(@Nullable Instant endTime);

    /**
     * An activation of a span ({@link #activate()}); closing it restores the span active
     * before. Closing twice does nothing.
     */
    interface Scope extends AutoCloseable {

        @Override
        void close();

    }

}
