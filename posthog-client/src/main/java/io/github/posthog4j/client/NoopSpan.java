package io.github.posthog4j.client;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The span that does nothing ({@link PosthogSpan#noop()}). */
final class NoopSpan implements PosthogSpan {

    static final NoopSpan INSTANCE = new NoopSpan();

    private static final Scope NO_SCOPE = () -> {
    };

    private NoopSpan() {
    }

    @Override
    public PosthogSpan setAttribute(String key, @Nullable Object value) {
        return this;
    }

    @Override
    public PosthogSpan setAttributes(@Nullable Map<String, ?> attributes) {
        return this;
    }

    @Override
    public PosthogSpan addEvent(String name, @Nullable Map<String, ?> attributes) {
        return this;
    }

    @Override
    public PosthogSpan addEvent(String name, @Nullable Map<String, ?> attributes, @Nullable Instant timestamp) {
        return this;
    }

    @Override
    public PosthogSpan setStatus(SpanStatus status, @Nullable String message) {
        return this;
    }

    @Override
    public PosthogSpan recordException(@Nullable Throwable exception) {
        return this;
    }

    @Override
    public PosthogSpan updateName(String name) {
        return this;
    }

    @Override
    public @Nullable String traceparent() {
        return null;
    }

    @Override
    public @Nullable String tracestate() {
        return null;
    }

    @Override
    public @Nullable String traceId() {
        return null;
    }

    @Override
    public @Nullable String spanId() {
        return null;
    }

    @Override
    public boolean isRecording() {
        return false;
    }

    @Override
    public Scope activate() {
        return NO_SCOPE;
    }

    @Override
    public void end(@Nullable Instant endTime) {
    }

    @Override
    public String toString() {
        return "PosthogSpan[no-op]";
    }

}
