package io.github.posthog4j.autoconfigure.context;

import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.PosthogContextHolder;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer context-propagation's view of the thread-local {@link PosthogContext}: with
 * it, the context of a request (or one the application opened) follows
 * {@code ContextSnapshot}s to other threads: task executors decorated with a
 * {@code ContextPropagatingTaskDecorator}, and Reactor operators with automatic context
 * propagation (where it is read from the Reactor context under {@link #KEY}). Registered
 * through {@code META-INF/services} whenever context-propagation is on the class path.
 */
public final class PosthogContextThreadLocalAccessor implements ThreadLocalAccessor<PosthogContext> {

    /** The key of the PostHog context, in context snapshots and Reactor contexts. */
    public static final String KEY = "posthog.context";

    @Override
    public Object key() {
        return KEY;
    }

    @Override
    public @Nullable PosthogContext getValue() {
        return PosthogContextHolder.getContext();
    }

    @Override
    public void setValue(PosthogContext value) {
        PosthogContextHolder.setContext(value);
    }

    @Override
    public void setValue() {
        PosthogContextHolder.clearContext();
    }

    @Override
    public void restore() {
        PosthogContextHolder.clearContext();
    }

}
