package io.github.posthog4j.client;

import org.jspecify.annotations.Nullable;

/**
 * Where the current {@link PosthogContext} lives: a thread-local. Applications open
 * contexts with {@link PosthogContext#builder()} and scopes; this class is for
 * integrations that carry thread-local state across threads themselves (Micrometer's
 * context-propagation {@code ThreadLocalAccessor}, which the Spring Boot starter
 * registers; a custom executor), and must put back what they replaced.
 */
public final class PosthogContextHolder {

    private static final ThreadLocal<@Nullable PosthogContext> CURRENT = new ThreadLocal<>();

    private PosthogContextHolder() {
    }

    /**
     * @return the context of this thread, or null
     */
    public static @Nullable PosthogContext getContext() {
        return CURRENT.get();
    }

    /**
     * Sets the context of this thread, replacing any (no merge, no restore).
     * @param context the context, or null to clear it
     */
    public static void setContext(@Nullable PosthogContext context) {
        if (context == null) {
            CURRENT.remove();
        }
        else {
            CURRENT.set(context);
        }
    }

    /** Clears the context of this thread. */
    public static void clearContext() {
        CURRENT.remove();
    }

    /**
     * Sets the context of this thread until the returned scope is closed.
     * @param context the context, or null for none
     * @return a scope that puts back the context current now
     */
    static PosthogContext.Scope replace(@Nullable PosthogContext context) {
        PosthogContext previous = CURRENT.get();
        setContext(context);
        return new Restore(previous);
    }

    /** Puts back a previous context, once. */
    private static final class Restore implements PosthogContext.Scope {

        private final @Nullable PosthogContext previous;

        private boolean closed;

        Restore(@Nullable PosthogContext previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!this.closed) {
                this.closed = true;
                setContext(this.previous);
            }
        }

    }

}
